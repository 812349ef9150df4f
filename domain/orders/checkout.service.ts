import { ConstraintViolationException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { ProductForSale, ProductsForSale } from '../catalog/index.js';
import {
  CHECKOUT_DEADLINE_MS,
  CHECKOUT_STATEMENT_TIMEOUT_MS,
  type CheckoutStock,
  type Hold,
  type StockAfter,
  type StockMove,
  type TakeRow,
} from '../inventory/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import { Batcher, type BatcherOptions } from '../shared/batcher.js';
import type { Clock } from '../shared/clock.js';
import { Compensations } from '../shared/compensations.js';
import { raw, sql } from '../shared/sql.js';
import type { ChainEvents, UnitOfWork } from '../shared/unit-of-work.js';
import type { IdempotencyStore } from './idempotency.js';
import type { OrderRules } from './order-rules.js';
import { requestHash } from './idempotency.js';
import { cappedProducts, currentLines, planOrder, type OrderPlan, type RequestedLine } from './order-plan.js';
import { orderInserts, type WrittenOrder } from './order-writer.js';
import type { OrderView, PlaceOrderInput } from './orders.schemas.js';

export interface CheckoutDeps {
  uow: UnitOfWork;
  clock: Clock;
  log: Logger;
  stock: Pick<CheckoutStock, 'holdCart' | 'reserve' | 'release' | 'takeWhenAllFit' | 'takeOutcome' | 'lock' | 'consumeAll'>;
  products: Pick<ProductsForSale, 'find' | 'addonLinks'>;
  idempotency: IdempotencyStore;
  /** Other modules' rules (meal sets), judged inside the transaction once the lines are priced. */
  rules: OrderRules;
  /** Units of the products each customer has in orders not cancelled, by customer then product (read in the checkout's transaction). */
  orderedUnits: (customerIds: readonly string[], productIds: readonly string[], tx: EntityManager) => Promise<Map<string, Map<string, number>>>;
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

/** Products (and which dishes' add-on links) read for pricing. */
interface Priced {
  products: Map<string, ProductForSale>;
  links: Set<string>;
  linksRead: Set<string>;
}

/**
 * Checkout with group commit. Concurrent checkouts queue briefly (Batcher) and a batch is ONE unit of
 * work, as a table of contents: claim every idempotency key (and bound the transaction), while the
 * explicit lines' products are read beside it → hold each order's units (a cart's reservations, or
 * explicit lines) → price the lines (PRICE_CHANGED if the client expected another total) and judge
 * other modules' rules → ONE statement that locks the products' rows, takes the summed stock only if all
 * of it fits, and then writes every order, its key's outcome and its order.created event → commit within
 * the deadline → consume the holds. So a hot product's row lock is taken once per batch and held for
 * that statement and the commit, instead of once per order.
 *
 * Each order's outcome is decided inside the batch: one refused before the writes (replay, mismatch,
 * validation, price, rules, no stock in the mirror) is answered alone and its key settled in the same
 * transaction. When the batch does not fit the locked stock (the mirror knew less than the database),
 * nothing was written and the rows stay locked: each order, in arrival order, takes what the earlier
 * ones left or is refused OUT_OF_STOCK, and the ones that fit are written by a second statement. With
 * a per-customer cap the rows are locked first and the caps judged the same way. Only a failure the
 * database raises for one order (a constraint) rolls the batch back, and its members run again one by
 * one; a timeout or an unreachable database is answered to every member.
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
    const settled = new Set<number>();
    // Refusals not yet stored with their keys (in the transaction, so they commit with the orders).
    const settleRefusals = async (tx: EntityManager) => {
      const refused = claimed.filter((i) => outcomes[i] && !settled.has(i));
      for (const i of refused) settled.add(i);
      await this.d.idempotency.refuseAll(
        tx,
        refused.map((i) => ({ userId: members[i].customerId, key: members[i].key, error: recordable(rejection(outcomes[i])) })),
      );
    };
    // The explicit lines' products are read on a connection of their own while the transaction begins
    // and claims the keys: read committed either way, and one round trip fewer before the writes.
    const early = this.readProducts(members.flatMap((m) => m.input.items ?? []));
    early.catch(() => {}); // awaited in the transaction; a batch that fails before must not leave it unhandled
    let placed: Array<{ i: number; order: OrderView }> = [];
    try {
      const sold = await this.d.uow.run(async (tx, _emit, _writeEvents, chainEvents) => {
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
        await this.planAll(tx, members, holds, plans, pending(), fail, await early);
        await this.each(
          pending().filter((i) => !holds[i]),
          async (i) =>
            (holds[i] = await steps[i].step(
              () => this.d.stock.reserve(plans[i].moves, tx),
              (h) => this.d.stock.release(h),
            )),
          fail,
        );
        if (pending().length < claimed.length) await settleRefusals(tx);
        const now = this.d.clock.now();
        const write = (ready: number[]) => this.write(tx, now, members, plans, ready, chainEvents);
        let ready = pending();
        let taken: StockAfter[] = [];
        let written: WrittenOrder[] = [];
        if (ready.length > 0) {
          if (ready.some((i) => cappedProducts(plans[i]).length > 0)) {
            // Caps count committed orders: lock the rows first, then judge each order.
            await this.decide(tx, members, plans, ready, await this.d.stock.lock(tx, productsOf(plans, ready)), fail, true);
            ready = pending();
          }
          let attempt = ready.length ? await write(ready) : null;
          if (attempt && 'locked' in attempt.outcome) {
            // The batch did not fit (the mirror knew less than the database): nothing was written and the
            // rows stay locked, so each order is judged against that stock and the ones that fit are written.
            await this.decide(tx, members, plans, ready, attempt.outcome.locked, fail, false);
            ready = pending();
            attempt = ready.length ? await write(ready) : null;
            if (attempt && 'locked' in attempt.outcome) throw new Error('Stock moved under its row lock');
          }
          if (attempt && 'taken' in attempt.outcome) ({ taken, written } = { taken: attempt.outcome.taken, written: attempt.written });
          if (pending().length < claimed.length) await settleRefusals(tx);
        }
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

  /**
   * The orders of `ready` in one statement: the guarded take of their summed units, their rows, their
   * keys' outcomes and their order.created events, all written only if every unit fits the locked stock.
   * So a hot product's row lock is taken once per batch and held for this statement and the commit.
   */
  private async write(tx: EntityManager, now: Date, members: Member[], plans: OrderPlan[], ready: number[], chainEvents: ChainEvents) {
    const moves = sumMoves(ready.map((i) => plans[i].moves));
    const take = this.d.stock.takeWhenAllFit(moves);
    const { written, ctes } = orderInserts(
      now,
      ready.map((i) => ({ customerId: members[i].customerId, plan: plans[i], input: members[i].input })),
      take.guard,
    );
    const keys = this.d.idempotency.completion(
      ready.map((i, j) => ({ userId: members[i].customerId, key: members[i].key, result: written[j].order })),
      take.guard,
    );
    const events = chainEvents(take.guard, (emit) => {
      ready.forEach((i, j) => {
        emit('order.created', { order: written[j].order, merchantIds: plans[i].merchantIds, merchantViews: written[j].views });
      });
    });
    const statement = sql`with ${take.ctes}, ${ctes}, order_keys as (${keys})${events.cte ? sql`, order_events as (${events.cte})` : raw('')} ${take.select}`;
    const outcome = this.d.stock.takeOutcome(await tx.execute<TakeRow[]>(statement.text, [...statement.params]), moves);
    if ('taken' in outcome) events.keep();
    return { outcome, written };
  }

  /**
   * With the products' rows locked, each order in arrival order takes its units from the stock the ones
   * before it left, or is refused on its own: OUT_OF_STOCK listing its short lines, or (with `caps`)
   * VALIDATION past a product's maxPerCustomer, counting the customer's orders not cancelled (read now,
   * under the lock, so every committed order of the product is in) and its earlier orders in this batch.
   */
  private async decide(
    tx: EntityManager,
    members: Member[],
    plans: OrderPlan[],
    ready: number[],
    stock: Map<string, number>,
    fail: (i: number, err: unknown) => void,
    caps: boolean,
  ): Promise<void> {
    const capped = caps ? ready.filter((i) => cappedProducts(plans[i]).length > 0) : [];
    const ordered = capped.length
      ? await this.d.orderedUnits(
          [...new Set(capped.map((i) => members[i].customerId))],
          [...new Set(capped.flatMap((i) => cappedProducts(plans[i]).map((c) => c.productId)))],
          tx,
        )
      : new Map<string, Map<string, number>>();
    const left = new Map(stock);
    for (const i of ready) {
      const moves = plans[i].moves;
      const short = moves.filter((m) => (left.get(m.productId) ?? 0) < m.quantity);
      if (short.length) {
        const items = short.map((m) => ({ productId: m.productId, requested: m.quantity, available: left.get(m.productId) ?? 0 }));
        fail(i, new AppError('OUT_OF_STOCK', 'Not enough stock for every line', { items }));
        continue;
      }
      if (caps) {
        const mine = ordered.get(members[i].customerId) ?? new Map<string, number>();
        const units = (productId: string) => moves.find((m) => m.productId === productId)?.quantity ?? 0;
        const over = cappedProducts(plans[i]).filter((c) => (mine.get(c.productId) ?? 0) + units(c.productId) > c.cap);
        if (over.length) {
          fail(
            i,
            AppError.validation(
              over.map((c) => ({ path: `items.${c.line}.quantity`, message: `At most ${c.cap} per customer, counting orders not cancelled` })),
            ),
          );
          continue;
        }
        for (const c of cappedProducts(plans[i])) mine.set(c.productId, (mine.get(c.productId) ?? 0) + units(c.productId));
        ordered.set(members[i].customerId, mine);
      }
      for (const m of moves) left.set(m.productId, (left.get(m.productId) ?? 0) - m.quantity);
    }
  }

  /** The products (and add-on links) of explicit lines, read outside the transaction. */
  private async readProducts(lines: ReadonlyArray<{ productId: string; addonIds?: string[] }>): Promise<Priced> {
    const ids = lines.flatMap((r) => [r.productId, ...(r.addonIds ?? [])]);
    const withAddons = lines.filter((r) => (r.addonIds?.length ?? 0) > 0).map((r) => r.productId);
    const [products, links] = await Promise.all([this.d.products.find(ids), this.d.products.addonLinks(withAddons)]);
    return { products, links, linksRead: new Set(withAddons) };
  }

  /** Runs `work` for each member at once; a member whose work throws is handed to `fail`. */
  private async each(indices: number[], work: (i: number) => Promise<unknown>, fail: (i: number, err: unknown) => void): Promise<void> {
    await Promise.all(indices.map((i) => work(i).catch((err: unknown) => fail(i, err))));
  }

  /**
   * Prices every member's lines from the products read already (`early`) and one read of the others (a
   * cart's lines), then judges each one's rules and expected total.
   */
  private async planAll(
    tx: EntityManager,
    members: Member[],
    holds: Hold[],
    plans: OrderPlan[],
    indices: number[],
    fail: (i: number, err: unknown) => void,
    early: Priced,
  ): Promise<void> {
    const requested = new Map<number, RequestedLine[]>();
    for (const i of indices) {
      const lines = holds[i] ? linesOf(holds[i]) : members[i].input.items!;
      if (lines.length === 0) fail(i, AppError.validation([{ path: 'fromCart', message: 'The cart is empty' }]));
      else requested.set(i, lines);
    }
    if (requested.size === 0) return;
    const all = [...requested.values()].flat();
    const missing = [...new Set(all.flatMap((r) => [r.productId, ...r.addonIds]))].filter((id) => !early.products.has(id));
    const unlinked = all.filter((r) => r.addonIds.length > 0 && !early.linksRead.has(r.productId)).map((r) => r.productId);
    const [more, moreLinks] = await Promise.all([this.d.products.find(missing, tx), this.d.products.addonLinks(unlinked, tx)]);
    const products = new Map([...early.products, ...more]);
    const links = new Set([...early.links, ...moreLinks]);
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
}

/** Every product the orders move, once. */
function productsOf(plans: OrderPlan[], indices: number[]): string[] {
  return [...new Set(indices.flatMap((i) => plans[i].moves.map((m) => m.productId)))];
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
 * A batch failure that one of its orders may have caused (a constraint; a refusal is decided inside the
 * batch and never fails it): its orders are rerun one by one. A timeout, an unreachable
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
