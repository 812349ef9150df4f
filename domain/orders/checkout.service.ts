import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { Reservations } from '../cart/reservations.js';
import { CHECKOUT_HOLDER_PREFIX } from '../cart/redis-keys.js';
import { MAX_LINE_QUANTITY } from '../cart/cart.schemas.js';
import { IdempotencyStore, requestHash, type StoredOutcome } from './idempotency.js';
import { Order, OrderItem, OrderMerchant, OrderStatusChange } from './order.entity.js';
import { planOrder, type OrderPlan, type ProductForSale, type RequestedLine } from './order-plan.js';
import { toOrderView } from './order-view.js';
import type { OrderView, PlaceOrderInput } from './orders.schemas.js';
import { takeStock, type StockAfter, type StockMove } from './stock-ledger.js';

/** A checkout in flight holds its units under this holder id; the cart sweeper frees them if we crash. */
const CHECKOUT_HOLD_MS = 120_000;

export interface CheckoutDeps {
  em: EntityManager;
  events: EventBus;
  clock: Clock;
  log: Logger;
  reservations: Reservations;
  idempotency: IdempotencyStore;
  /** A cart's lifetime, given back to a cart whose checkout failed. */
  cartTtlMs: number;
}

interface Placed {
  view: OrderView;
  sold: StockAfter[];
  merchantIds: string[];
}

/**
 * Checkout as one unit of work: claim the idempotency key, hold the units in Redis (explicit lines;
 * a cart already holds them), write the order, take stock with a guarded update in id order, commit —
 * then consume the reservations. Any failure rolls everything back and releases what was held.
 */
export class CheckoutService {
  constructor(private readonly d: CheckoutDeps) {}

  async place(customerId: string, input: PlaceOrderInput, key: string): Promise<StoredOutcome> {
    const hash = requestHash('orders.place', input);
    // The checkout's own holder: a cart hands its reservations over to it, so two checkouts of one
    // cart (two devices, two keys) cannot both buy it; explicit lines are reserved under it.
    const holder = `${CHECKOUT_HOLDER_PREFIX}${randomUUID()}`;
    let holding: 'cart' | 'lines' | undefined;
    try {
      const result = await this.d.em.transactional(async (tx) => {
        const replay = await this.d.idempotency.claim(tx, customerId, key, hash);
        if (replay) return replay;
        let requested: RequestedLine[];
        if (input.fromCart) {
          holding = 'cart';
          const lines = await this.d.reservations.transfer(customerId, holder, CHECKOUT_HOLD_MS);
          requested = [...lines].map(([productId, quantity]) => ({ productId, quantity, addonIds: [] }));
        } else requested = input.items!;
        const plan = await this.plan(tx, requested);
        if (!input.fromCart) {
          holding = 'lines';
          await this.hold(tx, holder, plan.moves);
        }
        const view = await this.write(tx, customerId, plan, input);
        await this.d.idempotency.complete(tx, customerId, key, 201, view);
        // Stock last, so a hot product's row lock is held only for this statement and the commit. The
        // KEY SHARE locks that order_items' foreign keys took do not conflict with it (see stock-ledger).
        const sold = await takeStock(tx, plan.moves);
        return { view, sold, merchantIds: plan.merchantIds } satisfies Placed;
      });
      if ('replayed' in result) return result;
      await this.afterCommit(holder, result);
      return { status: 201, body: result.view, replayed: false };
    } catch (err) {
      if (holding === 'cart') await this.returnToCart(holder, customerId);
      if (holding === 'lines') await this.releaseHold(holder);
      if (err instanceof AppError && err.status < 500 && err.code !== 'IDEMPOTENCY_MISMATCH' && !err.details.replayed) {
        await this.d.idempotency.recordFailure(this.d.em, customerId, key, hash, err);
      }
      throw err;
    }
  }

  private async plan(tx: EntityManager, requested: RequestedLine[]): Promise<OrderPlan> {
    if (requested.length === 0) throw AppError.validation([{ path: 'fromCart', message: 'The cart is empty' }]);
    const ids = [...new Set(requested.flatMap((r) => [r.productId, ...r.addonIds]))];
    const rows = await tx.execute<Array<Record<string, any>>>(
      `select id, merchant_id, name, price_cents, currency, kind, active from products where id in (?)`,
      [ids],
    );
    const products = new Map<string, ProductForSale>(
      rows.map((r) => [r.id, { id: r.id, merchantId: r.merchant_id, name: r.name, priceCents: r.price_cents, currency: r.currency, kind: r.kind, active: r.active }]),
    );
    const pairs = requested.flatMap((r) => r.addonIds.map((a) => [r.productId, a]));
    const links = pairs.length
      ? await tx.execute<Array<{ dish_id: string; addon_id: string }>>(`select dish_id, addon_id from dish_addons where dish_id in (?)`, [
          [...new Set(pairs.map(([d]) => d))],
        ])
      : [];
    return planOrder(requested, products, new Set(links.map((l) => `${l.dish_id}:${l.addon_id}`)));
  }

  /** Reserves every move for this checkout; one short line fails all, listing every short line. */
  private async hold(tx: EntityManager, holder: string, moves: StockMove[]): Promise<void> {
    const short: Array<{ productId: string; requested: number; available: number }> = [];
    for (const m of moves) {
      const r = await this.d.reservations.change(holder, m.productId, 'add', m.quantity, CHECKOUT_HOLD_MS, tx);
      if (r.status === 'QUANTITY_LIMIT') throw AppError.validation([{ path: 'items', message: `At most ${MAX_LINE_QUANTITY} units of one product per order` }]);
      if (r.status !== 'OK') short.push({ productId: m.productId, requested: m.quantity, available: Math.max(0, r.available) });
    }
    if (short.length) throw new AppError('OUT_OF_STOCK', 'Not enough stock for every line', { items: short });
  }

  private async write(tx: EntityManager, customerId: string, plan: OrderPlan, input: PlaceOrderInput): Promise<OrderView> {
    const now = this.d.clock.now();
    const order = tx.create(Order, {
      id: randomUUID(), customerId, status: 'placed', totalCents: plan.totalCents, currency: plan.currency,
      deliveryAddress: input.deliveryAddress ?? null, locality: input.deliveryAddress?.locality ?? null,
      driverId: null, createdAt: now, updatedAt: now,
    });
    // The entities carry plain id columns (no ORM relations), so the parent row goes in first.
    await tx.flush();
    const items: OrderItem[] = [];
    let position = 0;
    for (const line of plan.lines) {
      const dish = tx.create(OrderItem, itemFields(order.id, line.product, line.quantity, null, position++));
      items.push(dish, ...line.addons.map((a) => tx.create(OrderItem, itemFields(order.id, a, line.quantity, dish.id, position++))));
    }
    for (const merchantId of plan.merchantIds) tx.create(OrderMerchant, { merchantId, orderId: order.id, createdAt: now });
    const placed = tx.create(OrderStatusChange, { id: randomUUID(), orderId: order.id, status: 'placed', at: now, byUserId: customerId, byRole: 'customer' });
    await tx.flush();
    return toOrderView(order, items, [placed]);
  }

  private async afterCommit(holder: string, placed: Placed): Promise<void> {
    try {
      await this.d.reservations.consume(holder, placed.sold);
    } catch (err) {
      // The order stands; the held units free themselves when the holder expires.
      this.d.log.warn({ err: (err as Error).message, orderId: placed.view.id }, 'could not consume reservations after checkout');
    }
    await this.d.events.publish('stock.committed', { productIds: placed.sold.map((s) => s.productId) });
    await this.d.events.publish('order.placed', { order: placed.view, merchantIds: placed.merchantIds });
  }

  /** A failed cart checkout gives the reservations back to the cart (merged with anything added meanwhile). */
  private async returnToCart(holder: string, customerId: string): Promise<void> {
    try {
      await this.d.reservations.transfer(holder, customerId, this.d.cartTtlMs);
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message, holder }, 'could not return a checkout hold to the cart; it expires by itself');
    }
  }

  private async releaseHold(holder: string): Promise<void> {
    try {
      const released = await this.d.reservations.release(holder);
      await this.d.events.publish('stock.changed', { productIds: released.map((l) => l.productId) });
    } catch (err) {
      this.d.log.warn({ err: (err as Error).message, holder }, 'could not release a checkout hold; it expires by itself');
    }
  }
}

function itemFields(orderId: string, p: ProductForSale, quantity: number, parentItemId: string | null, position: number) {
  return { id: randomUUID(), orderId, productId: p.id, merchantId: p.merchantId, parentItemId, name: p.name, quantity, unitPriceCents: p.priceCents, position };
}
