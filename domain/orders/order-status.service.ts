import { randomUUID } from 'node:crypto';
import type { CheckoutStock, StockMove } from '../inventory/index.js';
import type { Actor } from '../shared/actor.js';
import type { Clock } from '../shared/clock.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { viewFor, visibleTo } from './order-access.js';
import { OrderStatusChange, type OrderItem, type OrderStatus } from './order.entity.js';
import { loadOrder } from './order-records.js';
import { merchantViews, toOrderView } from './order-view.js';
import type { OrderView } from './orders.schemas.js';
import { assertTransition } from './transitions.js';

export interface OrderStatusDeps {
  uow: UnitOfWork;
  clock: Clock;
  stock: Pick<CheckoutStock, 'giveBack' | 'restocked'>;
}

/**
 * Moves an order through the state machine. The order row is locked for the whole move, so two
 * concurrent moves serialize and the second is judged against the first's result; a cancel returns
 * the units to stock in the same transaction.
 */
export class OrderStatusService {
  constructor(private readonly d: OrderStatusDeps) {}

  async change(caller: Actor, orderId: string, to: OrderStatus): Promise<OrderView> {
    const { view, returned } = await this.d.uow.run(async (tx, emit) => {
      const { record, party } = visibleTo(caller, await loadOrder(tx, orderId, { lock: true }));
      const { order, items, history } = record;
      const from = order.status;
      assertTransition(from, to, party);
      const returned = to === 'cancelled' ? await this.d.stock.giveBack(tx, unitsOf(items)) : [];
      const now = this.d.clock.now();
      order.status = to;
      order.updatedAt = now;
      const change = tx.create(OrderStatusChange, { id: randomUUID(), orderId, status: to, at: now, byUserId: caller.id, byRole: caller.role });
      await tx.flush();
      const changes = [...history, change];
      const view = toOrderView(order, items, changes);
      emit('order.status_changed', {
        order: view,
        merchantIds: record.merchantIds,
        merchantViews: merchantViews(order, items, changes, record.merchantIds),
        from,
        to,
        by: caller.id,
      });
      return { view: viewFor(caller, { ...record, history: changes, view }), returned };
    });
    await this.d.stock.restocked(returned);
    return view;
  }
}

/** The units an order took, per product (a dish and its add-ons may share products). */
function unitsOf(items: OrderItem[]): StockMove[] {
  const units = new Map<string, number>();
  for (const i of items) units.set(i.productId, (units.get(i.productId) ?? 0) + i.quantity);
  return [...units].map(([productId, quantity]) => ({ productId, quantity }));
}
