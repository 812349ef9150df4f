import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductForSale } from '../catalog/index.js';
import type { Sql } from '../shared/sql.js';
import type { Order, OrderItem, OrderStatusChange } from './order.entity.js';
import type { OrderPlan } from './order-plan.js';
import { merchantViews, toOrderView } from './order-view.js';
import type { OrderView, PlaceOrderInput } from './orders.schemas.js';

/** An order about to be written: who places it, its priced plan and the request's own fields. */
export interface OrderDraft {
  customerId: string;
  plan: OrderPlan;
  input: Pick<PlaceOrderInput, 'deliveryAddress' | 'mealSetId'>;
}

export interface WrittenOrder {
  order: OrderView;
  /** Each merchant's view when the order has several merchants. */
  views?: Record<string, OrderView>;
}

/**
 * Writes new orders, their lines, merchants and first status as ONE statement (data-modifying CTEs,
 * whatever the number of orders): a checkout batch costs one round trip here, and no ORM unit of work.
 * `alongside` gives one more data-modifying statement made from the written orders (the idempotency
 * keys' outcomes), sent in the same round trip. The foreign keys between the rows are checked at the
 * end of the statement, when all of them exist.
 */
export async function writeOrders(
  tx: EntityManager,
  now: Date,
  drafts: readonly OrderDraft[],
  alongside: (written: WrittenOrder[]) => Sql,
): Promise<WrittenOrder[]> {
  const orders: Order[] = [];
  const items: OrderItem[] = [];
  const merchants: Array<{ merchantId: string; orderId: string }> = [];
  const changes: OrderStatusChange[] = [];
  const written = drafts.map((d) => {
    const order: Order = {
      id: randomUUID(),
      customerId: d.customerId,
      status: 'placed',
      totalCents: d.plan.totalCents,
      currency: d.plan.currency,
      deliveryAddress: d.input.deliveryAddress ?? null,
      locality: d.input.deliveryAddress?.locality ?? null,
      driverId: null,
      mealSetId: d.input.mealSetId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    const own: OrderItem[] = [];
    let position = 0;
    for (const line of d.plan.lines) {
      const dish = item(order.id, line.product, line.quantity, null, position++);
      own.push(dish, ...line.addons.map((a) => item(order.id, a, line.quantity, dish.id, position++)));
    }
    const placed: OrderStatusChange = { id: randomUUID(), orderId: order.id, status: 'placed', at: now, byUserId: d.customerId, byRole: 'customer' };
    orders.push(order);
    items.push(...own);
    merchants.push(...d.plan.merchantIds.map((merchantId) => ({ merchantId, orderId: order.id })));
    changes.push(placed);
    return { order: toOrderView(order, own, [placed]), views: merchantViews(order, own, [placed], d.plan.merchantIds) };
  });
  const extra = alongside(written);
  const rows = (n: number, width: number) => Array.from({ length: n }, () => `(${Array(width).fill('?').join(', ')})`).join(', ');
  await tx.execute(
    `with o as (
       insert into orders (id, customer_id, status, total_cents, currency, delivery_address, locality, driver_id, meal_set_id, created_at, updated_at)
       values ${rows(orders.length, 11)}),
     i as (
       insert into order_items (id, order_id, product_id, merchant_id, parent_item_id, name, quantity, unit_price_cents, position)
       values ${rows(items.length, 9)}),
     m as (insert into order_merchants (merchant_id, order_id, created_at) values ${rows(merchants.length, 3)}),
     x as (${extra.text})
     insert into order_status_changes (id, order_id, status, at, by_user_id, by_role) values ${rows(changes.length, 6)}`,
    [
      ...orders.flatMap((o) => [
        o.id,
        o.customerId,
        o.status,
        o.totalCents,
        o.currency,
        o.deliveryAddress ? JSON.stringify(o.deliveryAddress) : null,
        o.locality,
        null,
        o.mealSetId,
        now,
        now,
      ]),
      ...items.flatMap((i) => [i.id, i.orderId, i.productId, i.merchantId, i.parentItemId, i.name, i.quantity, i.unitPriceCents, i.position]),
      ...merchants.flatMap((m) => [m.merchantId, m.orderId, now]),
      ...extra.params,
      ...changes.flatMap((c) => [c.id, c.orderId, c.status, now, c.byUserId, c.byRole]),
    ],
  );
  return written;
}

function item(orderId: string, p: ProductForSale, quantity: number, parentItemId: string | null, position: number): OrderItem {
  return { id: randomUUID(), orderId, productId: p.id, merchantId: p.merchantId, parentItemId, name: p.name, quantity, unitPriceCents: p.priceCents, position };
}
