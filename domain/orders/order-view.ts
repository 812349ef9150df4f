import type { Order, OrderItem, OrderStatusChange } from './order.entity.js';
import type { OrderView } from './orders.schemas.js';

/** The public shape of an order (API.md): lines with their add-ons nested, and the status history. */
export function toOrderView(order: Order, items: OrderItem[], history: OrderStatusChange[]): OrderView {
  const sorted = [...items].sort((a, b) => a.position - b.position);
  const line = (i: OrderItem) => ({ productId: i.productId, name: i.name, quantity: i.quantity, unitPriceCents: i.unitPriceCents });
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    items: sorted.filter((i) => !i.parentItemId).map((i) => ({ ...line(i), addons: sorted.filter((a) => a.parentItemId === i.id).map(line) })),
    totalCents: Number(order.totalCents),
    currency: order.currency,
    deliveryAddress: order.deliveryAddress ?? null,
    driverId: order.driverId ?? null,
    mealSetId: order.mealSetId ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    history: [...history].sort((a, b) => a.at.getTime() - b.at.getTime()).map((h) => ({ status: h.status, at: h.at.toISOString(), by: h.byUserId ?? null })),
  };
}
