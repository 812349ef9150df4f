import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { decodeCursor, encodeCursor, isTimestampText, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import type { Actor } from '../shared/actor.js';
import { uuidArray } from '../shared/uuid-array.js';
import { viewFor, visibleTo } from './order-access.js';
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
    return viewFor(caller, await this.get(caller, orderId));
  }

  /**
   * Units of each product the customer has in orders that are not cancelled (what maxPerCustomer
   * counts besides the cart). Inside a checkout, pass its transaction: read after the product's row
   * lock, it sees every committed order of the product.
   */
  async orderedUnitsOf(customerId: string, productIds: readonly string[], em: EntityManager = this.em): Promise<Map<string, number>> {
    if (productIds.length === 0) return new Map();
    const rows = await em.execute<Array<{ product_id: string; units: string }>>(
      `select oi.product_id, sum(oi.quantity) as units from orders o join order_items oi on oi.order_id = o.id
       where o.customer_id = ? and o.status <> 'cancelled' and oi.product_id in (?) group by oi.product_id`,
      [customerId, [...productIds]],
    );
    return new Map(rows.map((r) => [r.product_id, Number(r.units)]));
  }

  /** `orderedUnitsOf` for several customers in one query: by customer, then product. */
  async orderedUnitsByCustomer(
    customerIds: readonly string[],
    productIds: readonly string[],
    em: EntityManager = this.em,
  ): Promise<Map<string, Map<string, number>>> {
    const byCustomer = new Map<string, Map<string, number>>();
    if (customerIds.length === 0 || productIds.length === 0) return byCustomer;
    const rows = await em.execute<Array<{ customer_id: string; product_id: string; units: string }>>(
      `select o.customer_id, oi.product_id, sum(oi.quantity) as units from orders o join order_items oi on oi.order_id = o.id
       where o.customer_id in (?) and o.status <> 'cancelled' and oi.product_id in (?) group by o.customer_id, oi.product_id`,
      [[...customerIds], [...productIds]],
    );
    for (const r of rows) {
      const units = byCustomer.get(r.customer_id) ?? new Map<string, number>();
      units.set(r.product_id, Number(r.units));
      byCustomer.set(r.customer_id, units);
    }
    return byCustomer;
  }

  /** Units of one product the customer has in orders that are not cancelled. */
  orderedUnits = async (customerId: string, productId: string): Promise<number> => (await this.orderedUnitsOf(customerId, [productId])).get(productId) ?? 0;

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
      items: served.flatMap((r) => {
        const record = records.get(r.id);
        return record ? [viewFor(caller, record)] : [];
      }),
      nextCursor: rows.length > page.limit ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  /** Which of `customerIds` hold a live (not cancelled) order placed from the meal set. */
  async customersWithOrderFrom(mealSetId: string, customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const rows = await this.em.execute<Array<{ customer_id: string }>>(
      `select distinct customer_id from orders where meal_set_id = ? and customer_id = any(?::uuid[]) and status <> 'cancelled'`,
      [mealSetId, uuidArray(customerIds)],
    );
    return new Set(rows.map((r) => r.customer_id));
  }

  private afterCursor(cursor: string): [string, string] {
    const [at, id] = decodeCursor(cursor, 2);
    if (!isTimestampText(at) || !isUuid(id)) {
      throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
    }
    return [at, id];
  }
}
