import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, OrderItem, OrderMerchant, OrderStatusChange } from './order.entity.js';
import { toOrderView } from './order-view.js';
import type { OrderView } from './orders.schemas.js';

export interface OrderRecord {
  order: Order;
  items: OrderItem[];
  merchantIds: string[];
  history: OrderStatusChange[];
  view: OrderView;
}

/**
 * Loads orders with their lines, merchants and history in four queries, keyed by id. With `lock`
 * (inside a transaction) the order rows are locked first, so what follows is read after any
 * concurrent move of the same orders has committed.
 */
export async function loadOrders(em: EntityManager, ids: string[], options: { lock?: boolean } = {}): Promise<Map<string, OrderRecord>> {
  const result = new Map<string, OrderRecord>();
  if (ids.length === 0) return result;
  const lockedOrders = options.lock ? await em.find(Order, { id: { $in: ids } }, { refresh: true, lockMode: LockMode.PESSIMISTIC_WRITE }) : undefined;
  const [orders, items, merchants, history] = await Promise.all([
    lockedOrders ?? em.find(Order, { id: { $in: ids } }, { refresh: true }),
    em.find(OrderItem, { orderId: { $in: ids } }),
    em.find(OrderMerchant, { orderId: { $in: ids } }),
    em.find(OrderStatusChange, { orderId: { $in: ids } }, { refresh: true }),
  ]);
  for (const order of orders) {
    const own = items.filter((i) => i.orderId === order.id);
    const changes = history.filter((h) => h.orderId === order.id);
    result.set(order.id, {
      order,
      items: own,
      merchantIds: merchants.filter((m) => m.orderId === order.id).map((m) => m.merchantId),
      history: changes,
      view: toOrderView(order, own, changes),
    });
  }
  return result;
}

export async function loadOrder(em: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<OrderRecord | undefined> {
  return (await loadOrders(em, [id], options)).get(id);
}
