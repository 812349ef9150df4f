import type { EntityManager } from '@mikro-orm/postgresql';
import type { SoldLine } from './reservations.js';
import { AppError } from '../shared/app-error.js';

export interface StockMove {
  productId: string;
  quantity: number;
}
/** A moved line with the product's stock after the move (what the cart consumes and the mirror applies). */
export type StockAfter = SoldLine;

interface Row {
  id: string;
  stock: number;
  stock_version: string;
}

/**
 * One statement, so a hot product's row lock is held for a single round trip plus the commit: the CTE
 * locks the rows in ascending id order (every writer does, so concurrent checkouts and cancels cannot
 * deadlock), then the UPDATE changes them. NO KEY UPDATE is the lock an UPDATE of stock takes anyway;
 * unlike FOR UPDATE it does not conflict with the KEY SHARE locks that other transactions'
 * order_items foreign keys hold on the same products.
 */
function moveStock(tx: EntityManager, moves: StockMove[], change: '-' | '+'): Promise<Row[]> {
  const values = moves.map(() => '(?::uuid, ?::int)').join(', ');
  const guard = change === '-' ? 'and p.stock >= v.n' : '';
  return tx.execute<Row[]>(
    `with locked as materialized (select id from products where id in (?) order by id for no key update)
     update products p set stock = p.stock ${change} v.n from (values ${values}) as v(id, n), locked
     where p.id = v.id and locked.id = p.id ${guard} returning p.id, p.stock, p.stock_version`,
    [[...moves.map((m) => m.productId)].sort(), ...moves.flatMap((m) => [m.productId, m.quantity])],
  );
}

/**
 * Guarded decrement: `stock = stock − n` only where `stock >= n`. One short line fails the whole
 * checkout with OUT_OF_STOCK listing every short line; the caller's transaction rolls back.
 */
export async function takeStock(tx: EntityManager, moves: StockMove[]): Promise<StockAfter[]> {
  const rows = await moveStock(tx, moves, '-');
  if (rows.length < moves.length) {
    const done = new Set(rows.map((r) => r.id));
    const shortIds = moves.filter((m) => !done.has(m.productId)).map((m) => m.productId);
    const current = await tx.execute<Row[]>(`select id, stock from products where id in (?)`, [shortIds]);
    const stockOf = new Map(current.map((r) => [r.id, r.stock]));
    const items = moves
      .filter((m) => !done.has(m.productId))
      .map((m) => ({ productId: m.productId, requested: m.quantity, available: stockOf.get(m.productId) ?? 0 }));
    throw new AppError('OUT_OF_STOCK', 'Not enough stock for every line', { items });
  }
  return toAfter(rows, moves);
}

/** Returns units to stock (a cancelled order). */
export async function returnStock(tx: EntityManager, moves: StockMove[]): Promise<StockAfter[]> {
  return toAfter(await moveStock(tx, moves, '+'), moves);
}

function toAfter(rows: Row[], moves: StockMove[]): StockAfter[] {
  const qty = new Map(moves.map((m) => [m.productId, m.quantity]));
  return rows.map((r) => ({ productId: r.id, quantity: qty.get(r.id) ?? 0, stock: r.stock, stockVersion: Number(r.stock_version) }));
}
