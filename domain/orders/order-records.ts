import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, OrderItem, OrderMerchant, OrderStatusChange } from './order.entity.js';
import { toOrderView } from './order-view.js';
import type { OrderView } from './orders.schemas.js';

export interface OrderRecord {
  order: Order;
  items: OrderItem[];
  merchantIds: string[];
  view: OrderView;
}

/** Loads orders with their lines, merchants and history in four queries, keyed by id. */
export async function loadOrders(em: EntityManager, ids: string[]): Promise<Map<string, OrderRecord>> {
  const result = new Map<string, OrderRecord>();
  if (ids.length === 0) return result;
  const [orders, items, merchants, history] = await Promise.all([
    em.find(Order, { id: { $in: ids } }, { refresh: true }),
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
      view: toOrderView(order, own, changes),
    });
  }
  return result;
}

export async function loadOrder(em: EntityManager, id: string): Promise<OrderRecord | undefined> {
  return (await loadOrders(em, [id])).get(id);
}
