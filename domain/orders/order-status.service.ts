import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { Inventory } from '../cart/inventory.js';
import { visibleTo, type OrderCaller } from './order-access.js';
import { OrderStatusChange, type OrderItem, type OrderStatus } from './order.entity.js';
import { loadOrder } from './order-records.js';
import { toOrderView } from './order-view.js';
import type { OrderView } from './orders.schemas.js';
import { returnStock, type StockAfter, type StockMove } from './stock-ledger.js';
import { assertTransition } from './transitions.js';

export interface OrderStatusDeps {
  em: EntityManager;
  events: EventBus;
  clock: Clock;
  inventory: Inventory;
  log: Logger;
}

/**
 * Moves an order through the state machine. The order row is locked for the whole move, so two
 * concurrent moves serialize and the second is judged against the first's result; a cancel returns
 * the units to stock in the same transaction.
 */
export class OrderStatusService {
  constructor(private readonly d: OrderStatusDeps) {}

  async change(caller: OrderCaller, orderId: string, to: OrderStatus): Promise<OrderView> {
    const { view, merchantIds, from, returned } = await this.d.em.transactional(async (tx) => {
      const { record, party } = visibleTo(caller, await loadOrder(tx, orderId, { lock: true }));
      const { order, items, history } = record;
      const from = order.status;
      assertTransition(from, to, party);
      const returned = to === 'cancelled' ? await returnStock(tx, unitsOf(items)) : [];
      const now = this.d.clock.now();
      order.status = to;
      order.updatedAt = now;
      const change = tx.create(OrderStatusChange, { id: randomUUID(), orderId, status: to, at: now, byUserId: caller.id, byRole: caller.role });
      await tx.flush();
      return { view: toOrderView(order, items, [...history, change]), merchantIds: record.merchantIds, from, returned };
    });
    await this.publish(caller, view, merchantIds, from, returned);
    return view;
  }

  private async publish(caller: OrderCaller, order: OrderView, merchantIds: string[], from: OrderStatus, returned: StockAfter[]): Promise<void> {
    if (returned.length) {
      // The database is the record; a mirror that missed this write is corrected by the next
      // versioned write or `npm run inventory:rebuild`, and checkout's guarded update never oversells.
      await this.d.inventory
        .applyStock(returned)
        .catch((err) => this.d.log.warn({ err: (err as Error).message, orderId: order.id }, 'stock mirror not updated after cancel'));
      await this.d.events.publish('stock.committed', { productIds: returned.map((r) => r.productId) });
    }
    await this.d.events.publish('order.status_changed', { order, merchantIds, from, to: order.status, by: caller.id });
  }
}

/** The units an order took, per product (a dish and its add-ons may share products). */
function unitsOf(items: OrderItem[]): StockMove[] {
  const units = new Map<string, number>();
  for (const i of items) units.set(i.productId, (units.get(i.productId) ?? 0) + i.quantity);
  return [...units].map(([productId, quantity]) => ({ productId, quantity }));
}
