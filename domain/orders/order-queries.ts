import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { decodeCursor, encodeCursor, isTimestampText, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import type { Actor } from '../shared/actor.js';
import { visibleTo } from './order-access.js';
import { loadOrder, loadOrders, type OrderRecord } from './order-records.js';
import type { OrderView } from './orders.schemas.js';

interface ListRow {
  id: string;
  created_at: Date;
}

/**
 * Which orders a role's history lists, newest first: each shape is one index range
 * (see the orders migration), with the keyset `(created_at, id) < cursor`.
 */
const LISTINGS = {
  customer: `select id, created_at from orders where customer_id = ? and (created_at, id) < (?, ?) order by created_at desc, id desc limit ?`,
  merchant: `select order_id as id, created_at from order_merchants where merchant_id = ? and (created_at, order_id) < (?, ?)
             order by created_at desc, order_id desc limit ?`,
  driver: `select id, created_at from orders where driver_id = ? and (created_at, id) < (?, ?) order by created_at desc, id desc limit ?`,
  admin: `select id, created_at from orders where (created_at, id) < (?, ?) order by created_at desc, id desc limit ?`,
} as const;

const END = ['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff'] as const;

export class OrderQueries {
  constructor(private readonly em: EntityManager) {}

  /** One order the caller may see; NOT_FOUND otherwise (its existence is not revealed). */
  async get(caller: Actor, orderId: string): Promise<OrderRecord> {
    return visibleTo(caller, await loadOrder(this.em, orderId)).record;
  }

  async view(caller: Actor, orderId: string): Promise<OrderView> {
    return (await this.get(caller, orderId)).view;
  }

  /** The caller's order history, newest first. */
  async list(caller: Actor, page: PageQuery): Promise<Page<OrderView>> {
    const [at, id] = page.cursor ? this.afterCursor(page.cursor) : END;
    const params = [...(caller.role === 'admin' ? [] : [caller.id]), at, id, page.limit + 1];
    const rows = await this.em.execute<ListRow[]>(LISTINGS[caller.role], params);
    const served = rows.slice(0, page.limit);
    const records = await loadOrders(
      this.em,
      served.map((r) => r.id),
    );
    const last = served[served.length - 1];
    return {
      items: served.flatMap((r) => records.get(r.id)?.view ?? []),
      nextCursor: rows.length > page.limit ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  private afterCursor(cursor: string): [string, string] {
    const [at, id] = decodeCursor(cursor, 2);
    if (!isTimestampText(at) || !isUuid(id)) {
      throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
    }
    return [at, id];
  }
}
