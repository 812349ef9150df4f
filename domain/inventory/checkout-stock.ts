import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../shared/app-error.js';
import type { EventBus } from '../shared/event-bus.js';
import { Sql } from '../shared/sql.js';
import { holders } from './redis-keys.js';
import { MAX_LINE_QUANTITY } from './reservation-limits.js';
import type { Reservations } from './reservations.js';
import type { StockMirror } from './stock-mirror.js';
import { LOCK_STOCK_ROWS, returnStock, stockAfter, type StockAfter, type StockMove } from './stock-ledger.js';

/**
 * A checkout's transaction is bounded (the orders module applies these): no statement and no idle gap
 * inside it lasts longer than CHECKOUT_STATEMENT_TIMEOUT_MS (PostgreSQL's statement_timeout and
 * idle_in_transaction_session_timeout), and it does not start committing later than CHECKOUT_DEADLINE_MS
 * after it began.
 */
export const CHECKOUT_STATEMENT_TIMEOUT_MS = 2_000;
export const CHECKOUT_DEADLINE_MS = 5_000;
/**
 * How long a checkout in flight holds its units: just above the longest a bounded checkout can still
 * commit (the deadline, then the outbox insert and COMMIT, each within the statement timeout). If the
 * process dies mid-checkout its transaction is gone and the expiry sweeper returns the units within
 * about this long (issue #15 item 14; it was 120 s).
 */
export const CHECKOUT_HOLD_MS = CHECKOUT_DEADLINE_MS + 2 * CHECKOUT_STATEMENT_TIMEOUT_MS + 1_000;

/** A guarded take to chain into a statement (see CheckoutStock.takeWhenAllFit). */
export interface StockTake {
  ctes: Sql;
  guard: string;
  select: Sql;
}

/** A row of a StockTake's `select`: the stock found under the lock, and after the take (null when it did not happen). */
export interface TakeRow {
  id: string;
  locked: number;
  stock: number | null;
  stock_version: string | null;
}

/** Units held for one checkout in flight. */
export interface Hold {
  holder: string;
  /** The customer whose cart handed its reservations over (they go back there on failure), else null. */
  cartOwner: string | null;
  lines: Map<string, number>;
}

/**
 * Stock as a checkout moves it, each action paired with its undo: hold (a cart's reservations, or
 * explicit lines) ↔ release; take (the guarded decrement, inside the order's transaction) is undone by
 * that transaction's rollback; after the commit the hold is consumed. Cancels give stock back.
 */
export class CheckoutStock {
  constructor(
    private readonly reservations: Reservations,
    private readonly mirror: StockMirror,
    private readonly events: EventBus,
    private readonly log: Logger,
    private readonly cart: { ttlMs: number; maxHoldMs: number },
  ) {}

  /** The customer's cart hands every reservation to a new hold: a second checkout of the same cart finds it empty. */
  async holdCart(customerId: string): Promise<Hold> {
    const holder = holders.checkout(randomUUID());
    const lines = await this.reservations.transfer(holders.cart(customerId), holder, CHECKOUT_HOLD_MS);
    return { holder, cartOwner: customerId, lines };
  }

  /**
   * Reserves every move under a new hold (loading the mirror through `em`, the caller's transaction).
   * One short line fails them all, listing every short line, and what was reserved is released.
   */
  async reserve(moves: readonly StockMove[], em: EntityManager): Promise<Hold> {
    const hold: Hold = { holder: holders.checkout(randomUUID()), cartOwner: null, lines: new Map() };
    const short: Array<{ productId: string; requested: number; available: number }> = [];
    try {
      for (const m of moves) {
        const r = await this.reservations.change(hold.holder, m.productId, 'add', m.quantity, { ttlMs: CHECKOUT_HOLD_MS, em });
        if (r.status === 'QUANTITY_LIMIT')
          throw AppError.validation([{ path: 'items', message: `At most ${MAX_LINE_QUANTITY} units of one product per order` }]);
        if (r.status === 'OK') hold.lines.set(m.productId, m.quantity);
        else short.push({ productId: m.productId, requested: m.quantity, available: Math.max(0, r.available) });
      }
      if (short.length) throw new AppError('OUT_OF_STOCK', 'Not enough stock for every line', { items: short });
    } catch (err) {
      await this.release(hold);
      throw err;
    }
    return hold;
  }

  /** The undo of a hold: a cart's units go back to the cart (merged with anything added meanwhile); explicit lines are released. */
  async release(hold: Hold): Promise<void> {
    if (hold.cartOwner) {
      await this.reservations.transfer(hold.holder, holders.cart(hold.cartOwner), this.cart.ttlMs, this.cart.maxHoldMs);
      return;
    }
    const released = await this.reservations.release(hold.holder);
    if (released.length) await this.events.publish('stock.changed', { productIds: released.map((l) => l.productId) });
  }

  /**
   * A batch's summed decrement as the head of one statement of the caller's: `ctes` lock the products'
   * rows in ascending id order (as every stock writer does, so none deadlocks), `guard` names a CTE that
   * yields a row only when every move fits the locked stock, and the decrement happens only then. The
   * caller chains its own writes guarded by the same CTE and ends the statement with `select`, whose rows
   * `takeOutcome` reads. The rows stay locked until the transaction ends, whether the guard held or not.
   */
  takeWhenAllFit(moves: readonly StockMove[]): StockTake {
    return {
      ctes: new Sql(
        `stock_locked as materialized (${LOCK_STOCK_ROWS}),
         stock_need (id, n) as (values ${moves.map(() => '(?::uuid, ?::int)').join(', ')}),
         stock_fits as materialized (
           select 1 from stock_need left join stock_locked l on l.id = stock_need.id having bool_and(coalesce(l.stock >= stock_need.n, false))),
         stock_taken as (
           update products p set stock = p.stock - stock_need.n from stock_need
           where p.id = stock_need.id and exists (select 1 from stock_fits) returning p.id, p.stock, p.stock_version)`,
        [moves.map((m) => m.productId).sort(), ...moves.flatMap((m) => [m.productId, m.quantity])],
      ),
      guard: 'stock_fits',
      select: new Sql('select l.id, l.stock as locked, t.stock, t.stock_version from stock_locked l left join stock_taken t on t.id = l.id'),
    };
  }

  /** What `takeWhenAllFit`'s statement answered: the stock after the take, or the locked stock when some move did not fit. */
  takeOutcome(rows: readonly TakeRow[], moves: readonly StockMove[]): { taken: StockAfter[] } | { locked: Map<string, number> } {
    if (rows.length === moves.length && rows.every((r) => r.stock !== null)) {
      return { taken: stockAfter(rows as ReadonlyArray<TakeRow & { stock: number; stock_version: string }>, moves) };
    }
    return { locked: new Map(rows.map((r) => [r.id, r.locked])) };
  }

  /** Locks the products' rows (ascending id order, until the transaction ends) and reads their stock; a missing product has none. */
  async lock(tx: EntityManager, productIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await tx.execute<Array<{ id: string; stock: number }>>(LOCK_STOCK_ROWS, [[...productIds]]);
    const stock = new Map(rows.map((r) => [r.id, r.stock]));
    return new Map(productIds.map((id) => [id, stock.get(id) ?? 0]));
  }

  /**
   * After a batch of sales committed: each hold's units are consumed and the mirror takes the new stock;
   * watchers are told once for the whole batch.
   */
  async consumeAll(sales: ReadonlyArray<{ hold: Hold; sold: StockAfter[] }>): Promise<void> {
    await Promise.all(
      sales.map(({ hold, sold }) =>
        this.reservations.consume(hold.holder, sold).catch((err: Error) => {
          // The sale stands; the held units free themselves when the hold expires.
          this.log.warn({ err: err.message, holder: hold.holder }, 'could not consume reservations after checkout');
        }),
      ),
    );
    const productIds = [...new Set(sales.flatMap((s) => s.sold.map((l) => l.productId)))];
    if (productIds.length) await this.events.publish('stock.committed', { productIds });
  }

  /** Returns units to stock (a cancelled order), in the caller's transaction. */
  giveBack(tx: EntityManager, moves: readonly StockMove[]): Promise<StockAfter[]> {
    return returnStock(tx, [...moves]);
  }

  /** After a return committed: the mirror takes the new stock and watchers are told. */
  async restocked(returned: StockAfter[]): Promise<void> {
    if (returned.length === 0) return;
    // The database is the record; a mirror that missed this write is corrected by the next versioned
    // write or `npm run inventory:rebuild`, and checkout's guarded update never oversells.
    await this.mirror.applyStock(returned).catch((err) => this.log.warn({ err: (err as Error).message }, 'stock mirror not updated after a return'));
    await this.events.publish('stock.committed', { productIds: returned.map((r) => r.productId) });
  }
}
