import { ConstraintViolationException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { ProductsForSale } from '../catalog/index.js';
import { CHECKOUT_DEADLINE_MS, CHECKOUT_STATEMENT_TIMEOUT_MS, type CheckoutStock, type Hold, type StockMove } from '../inventory/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import { Batcher, type BatcherOptions } from '../shared/batcher.js';
import type { Clock } from '../shared/clock.js';
import { Compensations } from '../shared/compensations.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { IdempotencyStore } from './idempotency.js';
import type { OrderRules } from './order-rules.js';
import { requestHash } from './idempotency.js';
import { cappedProducts, currentLines, planOrder, type OrderPlan, type RequestedLine } from './order-plan.js';
import { writeOrders } from './order-writer.js';
import type { OrderView, PlaceOrderInput } from './orders.schemas.js';

export interface CheckoutDeps {
  uow: UnitOfWork;
  clock: Clock;
  log: Logger;
  stock: Pick<CheckoutStock, 'holdCart' | 'reserve' | 'release' | 'take' | 'consumeAll'>;
  products: Pick<ProductsForSale, 'find' | 'addonLinks'>;
  idempotency: IdempotencyStore;
  /** Other modules' rules (meal sets), judged inside the transaction once the lines are priced. */
  rules: OrderRules;
  /** Units of the products the customer has in orders not cancelled (read in the checkout's transaction). */
  orderedUnits: (customerId: string, productIds: readonly string[], tx: EntityManager) => Promise<Map<string, number>>;
  /** How checkouts are grouped; CHECKOUT_BATCHING when absent. */
  batching?: BatcherOptions;
}

/** A checkout's answer: the order, and whether it is the stored answer to an earlier request with the key. */
export interface PlacedOrder {
  order: OrderView;
  replayed: boolean;
}

/** How concurrent checkouts are grouped into one transaction (see Batcher). */
export const CHECKOUT_BATCHING: BatcherOptions = { maxBatch: 64, maxWaitMs: 2, maxInFlight: 4 };

/** One checkout waiting for its batch. */
interface Member {
  customerId: string;
  input: PlaceOrderInput;
  key: string;
  hash: string;
  started: number;
}

type Settled = PromiseSettledResult<PlacedOrder>;

/**
 * Checkout with group commit. Concurrent checkouts queue briefly (Batcher) and a batch is ONE unit of
 * work, as a table of contents: claim every idempotency key (and bound the transaction) → hold each
 * order's units (a cart's reservations, or explicit lines) → price the lines from the database
 * (PRICE_CHANGED if the client expected another total) and judge other modules' rules → write every
 * order in one statement (with their keys' outcomes) → write their events to the outbox → take the
 * summed stock with one guarded update in id order → per-customer caps → commit within the deadline → consume the holds. So a hot product's row lock is taken once per
 * batch, held for one statement and the commit, instead of once per order.
 *
 * An order refused before the writes (replay, mismatch, validation, price, rules, no stock in the
 * mirror) is answered alone and its key settled in the same transaction; the others go on. A failure
 * after that (a constraint, stock the mirror did not know was gone, a cap) rolls the batch back and
 * its members run again one by one, in arrival order, where the failure is the failing order's own;
 * a timeout or an unreachable database is answered to every member.
 * Each inventory step is paired with its undo, which runs if its order does not commit. The bounds
 * keep every checkout shorter than its hold (CHECKOUT_HOLD_MS), so a crashed one's units come back
 * within seconds. The batcher is per process; across processes the database is the arbiter.
 */
export class CheckoutService {
  private readonly batcher: Batcher<Member, PlacedOrder>;

  constructor(private readonly d: CheckoutDeps) {
    this.batcher = new Batcher(
      (members) => this.placeBatch(members),
      (m) => `${m.customerId} ${m.key}`,
      d.batching ?? CHECKOUT_BATCHING,
    );
  }

  async place(caller: Actor, input: PlaceOrderInput, key: string): Promise<PlacedOrder> {
    if (caller.role !== 'customer') throw new AppError('FORBIDDEN', 'Only customers place orders');
    return this.batcher.submit({ customerId: caller.id, input, key, hash: requestHash('orders.place', input), started: performance.now() });
  }

  private async placeBatch(members: Member[]): Promise<Settled[]> {
    try {
      return await this.placeTogether(members);
    } catch (caught) {
      const err = accountGone(caught) ?? caught;
      if (members.length > 1 && isSomeOrdersFault(err)) {
        this.d.log.info({ err: (err as Error).message, members: members.length }, 'checkout batch failed; its orders run one by one');
        const results: Settled[] = [];
        for (const m of members) results.push(...(await this.placeBatch([m])));
        return results;
      }
      return Promise.all(members.map((m) => this.refuse(m, err)));
    }
  }

  /** A member's transaction failed as a whole: a refusal a retry must get again is stored. */
  private async refuse(m: Member, err: unknown): Promise<Settled> {
    if (err instanceof AppError && recordable(err)) await this.d.idempotency.recordRefusal(m.customerId, m.key, m.hash, err);
    return { status: 'rejected', reason: err };
  }

  private async placeTogether(members: Member[]): Promise<Settled[]> {
    const outcomes: Array<Settled | undefined> = new Array(members.length);
    const steps = members.map(
      () => new Compensations((err) => this.d.log.warn({ err: (err as Error).message }, 'could not undo a checkout step; its hold expires by itself')),
    );
    const holds: Hold[] = [];
    const plans: OrderPlan[] = [];
    const claimed: number[] = [];
    // An order's own refusal: answered alone. Anything else ends the whole batch.
    const fail = (i: number, err: unknown) => {
      if (!(err instanceof AppError)) throw err;
      outcomes[i] = { status: 'rejected', reason: err };
    };
    const pending = () => claimed.filter((i) => !outcomes[i]);
    let placed: Array<{ i: number; order: OrderView }> = [];
    try {
      const sold = await this.d.uow.run(async (tx, emit, writeEvents) => {
        const claims = await this.d.idempotency.claimAll<OrderView>(
          tx,
          members.map((m) => ({ userId: m.customerId, key: m.key, hash: m.hash })),
          CHECKOUT_STATEMENT_TIMEOUT_MS,
        );
        claims.forEach((c, i) => {
          if (c === null) claimed.push(i);
          else outcomes[i] = c instanceof AppError ? { status: 'rejected', reason: c } : { status: 'fulfilled', value: { order: c.result, replayed: true } };
        });
        await this.each(
          pending().filter((i) => members[i].input.fromCart),
          async (i) =>
            (holds[i] = await steps[i].step(
              () => this.d.stock.holdCart(members[i].customerId),
              (h) => this.d.stock.release(h),
            )),
          fail,
        );
        await this.planAll(tx, members, holds, plans, pending(), fail);
        await this.each(
          pending().filter((i) => !holds[i]),
          async (i) =>
            (holds[i] = await steps[i].step(
              () => this.d.stock.reserve(plans[i].moves, tx),
              (h) => this.d.stock.release(h),
            )),
          fail,
        );
        const refused = claimed.filter((i) => outcomes[i]);
        await this.d.idempotency.refuseAll(
          tx,
          refused.map((i) => ({ userId: members[i].customerId, key: members[i].key, error: recordable(rejection(outcomes[i])) })),
        );
        const ready = pending();
        if (ready.length === 0) return [];
        const written = await writeOrders(
          tx,
          this.d.clock.now(),
          ready.map((i) => ({ customerId: members[i].customerId, plan: plans[i], input: members[i].input })),
          (orders) => this.d.idempotency.completion(ready.map((i, j) => ({ userId: members[i].customerId, key: members[i].key, result: orders[j].order }))),
        );
        ready.forEach((i, j) => {
          emit('order.created', { order: written[j].order, merchantIds: plans[i].merchantIds, merchantViews: written[j].views });
        });
        await writeEvents();
        // Stock last, so a hot product's row lock is held only for this statement and the commit.
        const taken = await this.d.stock.take(tx, sumMoves(ready.map((i) => plans[i].moves)));
        for (const i of ready) await this.assertCaps(tx, members[i].customerId, plans[i]);
        if (performance.now() - Math.min(...members.map((m) => m.started)) > CHECKOUT_DEADLINE_MS) throw deadlineExceeded();
        placed = ready.map((i, j) => ({ i, order: written[j].order }));
        return taken;
      });
      const after = new Map(sold.map((s) => [s.productId, s]));
      await this.d.stock.consumeAll(
        placed.map(({ i }) => ({ hold: holds[i], sold: plans[i].moves.map((m) => ({ ...after.get(m.productId)!, quantity: m.quantity })) })),
      );
      for (const { i, order } of placed) outcomes[i] = { status: 'fulfilled', value: { order, replayed: false } };
      // Orders refused on their own give their holds back.
      await Promise.all(claimed.filter((i) => outcomes[i]?.status === 'rejected').map((i) => steps[i].rollback()));
      return outcomes as Settled[];
    } catch (err) {
      await Promise.all(steps.map((s) => s.rollback()));
      throw err;
    }
  }

  /** Runs `work` for each member at once; a member whose work throws is handed to `fail`. */
  private async each(indices: number[], work: (i: number) => Promise<unknown>, fail: (i: number, err: unknown) => void): Promise<void> {
    await Promise.all(indices.map((i) => work(i).catch((err: unknown) => fail(i, err))));
  }

  /** Prices every member's lines from one read of their products, then judges each one's rules and expected total. */
  private async planAll(
    tx: EntityManager,
    members: Member[],
    holds: Hold[],
    plans: OrderPlan[],
    indices: number[],
    fail: (i: number, err: unknown) => void,
  ): Promise<void> {
    const requested = new Map<number, RequestedLine[]>();
    for (const i of indices) {
      const lines = holds[i] ? linesOf(holds[i]) : members[i].input.items!;
      if (lines.length === 0) fail(i, AppError.validation([{ path: 'fromCart', message: 'The cart is empty' }]));
      else requested.set(i, lines);
    }
    if (requested.size === 0) return;
    const all = [...requested.values()].flat();
    const withAddons = all.filter((r) => r.addonIds.length > 0).map((r) => r.productId);
    const [products, links] = await Promise.all([
      this.d.products.find(
        all.flatMap((r) => [r.productId, ...r.addonIds]),
        tx,
      ),
      this.d.products.addonLinks(withAddons, tx),
    ]);
    for (const [i, lines] of requested) {
      const { customerId, input } = members[i];
      try {
        const plan = planOrder(lines, products, links);
        await this.d.rules.check({ customerId, mealSetId: input.mealSetId, plan, deliveryAddress: input.deliveryAddress }, tx);
        if (input.expectedTotalCents !== undefined && input.expectedTotalCents !== plan.totalCents) throw priceChanged(plan, input.expectedTotalCents);
        plans[i] = plan;
      } catch (err) {
        fail(i, err);
      }
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
}

/** The moves of several orders as one move per product. */
function sumMoves(all: ReadonlyArray<readonly StockMove[]>): StockMove[] {
  const sum = new Map<string, number>();
  for (const moves of all) for (const m of moves) sum.set(m.productId, (sum.get(m.productId) ?? 0) + m.quantity);
  return [...sum].map(([productId, quantity]) => ({ productId, quantity }));
}

function rejection(outcome: Settled | undefined): unknown {
  return outcome?.status === 'rejected' ? outcome.reason : undefined;
}

/** The refusal to store for a retry with the same key, or null for errors a retry must not replay. */
function recordable(err: unknown): AppError | null {
  return err instanceof AppError && err.isRefusal && !UNRECORDED.has(err.code) && !err.details.replayed ? err : null;
}

function deadlineExceeded(): AppError {
  return new AppError('UNAVAILABLE', 'Checkout took too long; retry with the same Idempotency-Key');
}

/**
 * A batch failure that one of its orders may have caused (a constraint, a refusal such as stock the
 * mirror did not know was gone or a cap): its orders are rerun one by one. A timeout, an unreachable
 * database or the deadline is everyone's: all of them get it (503, retry with the same key) rather than
 * a queue of single transactions on an overloaded database.
 */
function isSomeOrdersFault(err: unknown): boolean {
  return err instanceof ConstraintViolationException || (err instanceof AppError && err.isRefusal);
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
