import type { Order, OrderItem, OrderStatusChange } from './order.entity.js';
import type { OrderView } from './orders.schemas.js';

/** The order as one of its merchants sees it: only its own lines (with their add-ons), and their total. */
export function merchantView(order: Order, items: OrderItem[], history: OrderStatusChange[], merchantId: string): OrderView {
  const own = items.filter((i) => i.merchantId === merchantId);
  const totalCents = own.reduce((sum, i) => sum + i.unitPriceCents * i.quantity, 0);
  return toOrderView({ ...order, totalCents }, own, history);
}

/**
 * Each merchant's view of an order of several merchants (for pushes and webhooks to merchants), keyed by
 * merchant id; undefined for a single merchant's order, which that merchant sees whole.
 */
export function merchantViews(order: Order, items: OrderItem[], history: OrderStatusChange[], merchantIds: string[]): Record<string, OrderView> | undefined {
  if (merchantIds.length <= 1) return undefined;
  return Object.fromEntries(merchantIds.map((m) => [m, merchantView(order, items, history, m)]));
}

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
