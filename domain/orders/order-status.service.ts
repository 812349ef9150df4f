import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { Inventory } from '../cart/inventory.js';
import { canSee, partyOf, type OrderCaller } from './order-access.js';
import { Order, OrderItem, OrderStatusChange, type OrderStatus } from './order.entity.js';
import { loadOrder } from './order-records.js';
import type { OrderView } from './orders.schemas.js';
import { returnStock, type StockAfter } from './stock-ledger.js';
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
    const { record, from, returned } = await this.d.em.transactional(async (tx) => {
      const order = await tx.findOne(Order, { id: orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!order) throw new AppError('NOT_FOUND', 'Order not found');
      const merchantIds = (await tx.execute<Array<{ merchant_id: string }>>(`select merchant_id from order_merchants where order_id = ?`, [orderId])).map(
        (r) => r.merchant_id,
      );
      const party = partyOf(caller, order, merchantIds);
      if (!canSee(party)) throw new AppError('NOT_FOUND', 'Order not found');
      const from = order.status;
      assertTransition(from, to, party);
      const returned = to === 'cancelled' ? await this.returnUnits(tx, orderId) : [];
      const now = this.d.clock.now();
      order.status = to;
      order.updatedAt = now;
      tx.create(OrderStatusChange, { id: randomUUID(), orderId, status: to, at: now, byUserId: caller.id, byRole: caller.role });
      await tx.flush();
      return { record: (await loadOrder(tx, orderId))!, from, returned };
    });
    await this.publish(caller, record.view, record.merchantIds, from, returned);
    return record.view;
  }

  private async returnUnits(tx: EntityManager, orderId: string): Promise<StockAfter[]> {
    const items = await tx.find(OrderItem, { orderId });
    const units = new Map<string, number>();
    for (const i of items) units.set(i.productId, (units.get(i.productId) ?? 0) + i.quantity);
    return returnStock(tx, [...units].map(([productId, quantity]) => ({ productId, quantity })));
  }

  private async publish(caller: OrderCaller, order: OrderView, merchantIds: string[], from: OrderStatus, returned: StockAfter[]): Promise<void> {
    if (returned.length) {
      // The database is the record; a mirror that missed this write is corrected by the next
      // versioned write or `npm run inventory:rebuild`, and checkout's guarded update never oversells.
      await this.d.inventory
        .applyStock(returned.map((r) => ({ productId: r.productId, stock: r.stock, version: r.stockVersion })))
        .catch((err) => this.d.log.warn({ err: (err as Error).message, orderId: order.id }, 'stock mirror not updated after cancel'));
      await this.d.events.publish('stock.committed', { productIds: returned.map((r) => r.productId) });
    }
    await this.d.events.publish('order.status_changed', { order, merchantIds, from, to: order.status, by: caller.id });
  }
}
