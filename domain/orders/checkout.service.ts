import { randomUUID } from 'node:crypto';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { ProductForSale, ProductsForSale } from '../catalog/index.js';
import { CHECKOUT_DEADLINE_MS, CHECKOUT_STATEMENT_TIMEOUT_MS, type CheckoutStock, type Hold } from '../inventory/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { Compensations } from '../shared/compensations.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { IdempotencyStore } from './idempotency.js';
import type { OrderRules } from './order-rules.js';
import { requestHash } from './idempotency.js';
import { Order, OrderItem, OrderMerchant, OrderStatusChange } from './order.entity.js';
import { cappedProducts, currentLines, planOrder, type OrderPlan, type RequestedLine } from './order-plan.js';
import { merchantViews, toOrderView } from './order-view.js';
import type { OrderView, PlaceOrderInput } from './orders.schemas.js';

export interface CheckoutDeps {
  uow: UnitOfWork;
  clock: Clock;
  log: Logger;
  stock: Pick<CheckoutStock, 'holdCart' | 'reserve' | 'release' | 'take' | 'consume'>;
  products: Pick<ProductsForSale, 'find' | 'addonLinks'>;
  idempotency: IdempotencyStore;
  /** Other modules' rules (meal sets), judged inside the transaction once the lines are priced. */
  rules: OrderRules;
  /** Units of the products the customer has in orders not cancelled (read in the checkout's transaction). */
  orderedUnits: (customerId: string, productIds: readonly string[], tx: EntityManager) => Promise<Map<string, number>>;
}

/** A checkout's answer: the order, and whether it is the stored answer to an earlier request with the key. */
export interface PlacedOrder {
  order: OrderView;
  replayed: boolean;
}

/**
 * Checkout as one unit of work, as a table of contents: claim the idempotency key (and bound the
 * transaction) → hold the units (a cart's reservations, or explicit lines) → price the lines from the
 * database (PRICE_CHANGED if the client expected another total) → write the order → take stock with a
 * guarded update in id order → per-customer caps → commit within the deadline → consume the hold. Each
 * inventory step is paired with its undo, which runs if anything after it fails; the transaction undoes
 * the rest. The bounds keep every checkout shorter than its hold (CHECKOUT_HOLD_MS), so a crashed
 * one's units come back within seconds.
 */
export class CheckoutService {
  constructor(private readonly d: CheckoutDeps) {}

  async place(caller: Actor, input: PlaceOrderInput, key: string): Promise<PlacedOrder> {
    if (caller.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers place orders');
    const customerId = caller.id;
    const started = performance.now();
    const hash = requestHash('orders.place', input);
    const steps = new Compensations((err) => this.d.log.warn({ err: (err as Error).message }, 'could not undo a checkout step; its hold expires by itself'));
    try {
      const result = await this.d.uow.run(async (tx, emit) => {
        const replay = await this.d.idempotency.claim<OrderView>(tx, customerId, key, hash, CHECKOUT_STATEMENT_TIMEOUT_MS);
        if (replay) return { order: replay.result, replayed: true as const };
        const cartHold = input.fromCart
          ? await steps.step(
              () => this.d.stock.holdCart(customerId),
              (h) => this.d.stock.release(h),
            )
          : undefined;
        const plan = await this.plan(tx, cartHold ? linesOf(cartHold) : input.items!);
        await this.d.rules.check({ customerId, mealSetId: input.mealSetId, plan, deliveryAddress: input.deliveryAddress }, tx);
        if (input.expectedTotalCents !== undefined && input.expectedTotalCents !== plan.totalCents) throw priceChanged(plan, input.expectedTotalCents);
        const hold =
          cartHold ??
          (await steps.step(
            () => this.d.stock.reserve(plan.moves, tx),
            (h) => this.d.stock.release(h),
          ));
        const { order, views } = await this.write(tx, customerId, plan, input);
        await this.d.idempotency.complete(tx, customerId, key, order);
        // Stock last, so a hot product's row lock is held only for this statement and the commit.
        const sold = await this.d.stock.take(tx, plan.moves);
        await this.assertCaps(tx, customerId, plan);
        if (performance.now() - started > CHECKOUT_DEADLINE_MS)
          throw new AppError('UNAVAILABLE', 'Checkout took too long; retry with the same Idempotency-Key');
        emit('order.created', { order, merchantIds: plan.merchantIds, merchantViews: views });
        return { order, replayed: false as const, hold, sold };
      });
      if (result.replayed) return result;
      await this.d.stock.consume(result.hold, result.sold);
      return { order: result.order, replayed: false };
    } catch (caught) {
      await steps.rollback();
      const err = accountGone(caught) ?? caught;
      if (err instanceof AppError && err.isRefusal && !UNRECORDED.has(err.code) && !err.details.replayed) {
        await this.d.idempotency.recordRefusal(customerId, key, hash, err);
      }
      throw err;
    }
  }

  /**
   * maxPerCustomer over every order of the customer that is not cancelled, this one included. Read after
   * `take` locked the products' rows, so a concurrent checkout of the same product by the same customer
   * has committed (and is counted) or waits for this one.
   */
  private async assertCaps(tx: EntityManager, customerId: string, plan: OrderPlan): Promise<void> {
    const capped = cappedProducts(plan);
    if (capped.length === 0) return;
    const ordered = await this.d.orderedUnits(
      customerId,
      capped.map((c) => c.productId),
      tx,
    );
    const errors = capped
      .filter((c) => (ordered.get(c.productId) ?? 0) > c.cap)
      .map((c) => ({ path: `items.${c.line}.quantity`, message: `At most ${c.cap} per customer, counting orders not cancelled` }));
    if (errors.length) throw AppError.validation(errors);
  }

  private async plan(tx: EntityManager, requested: RequestedLine[]): Promise<OrderPlan> {
    if (requested.length === 0) throw AppError.validation([{ path: 'fromCart', message: 'The cart is empty' }]);
    const ids = requested.flatMap((r) => [r.productId, ...r.addonIds]);
    const withAddons = requested.filter((r) => r.addonIds.length > 0).map((r) => r.productId);
    const [products, links] = await Promise.all([this.d.products.find(ids, tx), this.d.products.addonLinks(withAddons, tx)]);
    return planOrder(requested, products, links);
  }

  private async write(
    tx: EntityManager,
    customerId: string,
    plan: OrderPlan,
    input: PlaceOrderInput,
  ): Promise<{ order: OrderView; views?: Record<string, OrderView> }> {
    const now = this.d.clock.now();
    const order = tx.create(Order, {
      id: randomUUID(),
      customerId,
      status: 'placed',
      totalCents: plan.totalCents,
      currency: plan.currency,
      deliveryAddress: input.deliveryAddress ?? null,
      locality: input.deliveryAddress?.locality ?? null,
      driverId: null,
      mealSetId: input.mealSetId ?? null,
      createdAt: now,
      updatedAt: now,
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
    return { order: toOrderView(order, items, [placed]), views: merchantViews(order, items, [placed], plan.merchantIds) };
  }
}

/** The client's total is not today's: nothing is charged, and it learns the current lines. */
function priceChanged(plan: OrderPlan, expectedTotalCents: number): AppError {
  return new AppError('PRICE_CHANGED', `The total is now ${plan.totalCents} ${plan.currency}, not ${expectedTotalCents}`, {
    expectedTotalCents,
    totalCents: plan.totalCents,
    currency: plan.currency,
    items: currentLines(plan),
  });
}

/** Refusals a retry with the same key must not replay: they are about the caller or the key, not the order. */
const UNRECORDED: ReadonlySet<string> = new Set(['IDEMPOTENCY_MISMATCH', 'UNAUTHENTICATED', 'FORBIDDEN']);

/** The customer's row vanished while its token was still valid (deleted behind the API): 401, not a 500. */
function accountGone(err: unknown): AppError | undefined {
  if (err instanceof ForeignKeyConstraintViolationException && (err as { constraint?: string }).constraint === 'orders_customer_id_fkey') {
    return new AppError('UNAUTHENTICATED', 'Account no longer exists');
  }
  return undefined;
}

/** A cart's held lines as requested lines (a cart holds products alone, never add-ons). */
function linesOf(hold: Hold): RequestedLine[] {
  return [...hold.lines].map(([productId, quantity]) => ({ productId, quantity, addonIds: [] }));
}

function itemFields(orderId: string, p: ProductForSale, quantity: number, parentItemId: string | null, position: number) {
  return { id: randomUUID(), orderId, productId: p.id, merchantId: p.merchantId, parentItemId, name: p.name, quantity, unitPriceCents: p.priceCents, position };
}
