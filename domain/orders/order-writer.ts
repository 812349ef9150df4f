import { randomUUID } from 'node:crypto';
import type { ProductForSale } from '../catalog/index.js';
import { Sql } from '../shared/sql.js';
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
 * New orders, their lines, merchants and first status as CTEs of one statement (whatever the number of
 * orders), each inserting only when the CTE named `guard` yields a row: a checkout batch sends them with
 * its guarded stock take, its keys' outcomes and its events in one round trip, and no ORM unit of work.
 * The orders' views are made here, before the statement (their ids are drawn here). The foreign keys
 * between the rows are checked at the end of the statement, when all of them exist.
 */
export function orderInserts(now: Date, drafts: readonly OrderDraft[], guard: string): { written: WrittenOrder[]; ctes: Sql } {
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
  const when = `where exists (select 1 from ${guard})`;
  const rows = (n: number, row: string) => Array.from({ length: n }, () => row).join(', ');
  const ctes = new Sql(
    `order_rows as (
       insert into orders (id, customer_id, status, total_cents, currency, delivery_address, locality, driver_id, meal_set_id, created_at, updated_at)
       select * from (values ${rows(orders.length, '(?::uuid, ?::uuid, ?, ?::bigint, ?, ?::jsonb, ?, ?::uuid, ?::uuid, ?::timestamptz, ?::timestamptz)')}) as v ${when}),
     order_item_rows as (
       insert into order_items (id, order_id, product_id, merchant_id, parent_item_id, name, quantity, unit_price_cents, position)
       select * from (values ${rows(items.length, '(?::uuid, ?::uuid, ?::uuid, ?::uuid, ?::uuid, ?, ?::int, ?::int, ?::int)')}) as v ${when}),
     order_merchant_rows as (
       insert into order_merchants (merchant_id, order_id, created_at)
       select * from (values ${rows(merchants.length, '(?::uuid, ?::uuid, ?::timestamptz)')}) as v ${when}),
     order_status_rows as (
       insert into order_status_changes (id, order_id, status, at, by_user_id, by_role)
       select * from (values ${rows(changes.length, '(?::uuid, ?::uuid, ?, ?::timestamptz, ?::uuid, ?)')}) as v ${when})`,
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
      ...changes.flatMap((c) => [c.id, c.orderId, c.status, now, c.byUserId, c.byRole]),
    ],
  );
  return { written, ctes };
}

function item(orderId: string, p: ProductForSale, quantity: number, parentItemId: string | null, position: number): OrderItem {
  return { id: randomUUID(), orderId, productId: p.id, merchantId: p.merchantId, parentItemId, name: p.name, quantity, unitPriceCents: p.priceCents, position };
}
