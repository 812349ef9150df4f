import type { EntityManager } from '@mikro-orm/postgresql';
import type { SoldLine } from './reservations.js';

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
 * Locks the products' rows in ascending id order, as every stock writer does (concurrent checkouts and
 * cancels cannot deadlock), and reads their stock; the ids are its one parameter. NO KEY UPDATE is the
 * lock an UPDATE of stock takes anyway; unlike FOR UPDATE it does not conflict with the KEY SHARE locks
 * that other transactions' order_items foreign keys hold on the same products.
 */
export const LOCK_STOCK_ROWS = 'select id, stock from products where id in (?) order by id for no key update';

/** Returns units to stock (a cancelled order) in one statement: the rows locked, then changed. */
export async function returnStock(tx: EntityManager, moves: StockMove[]): Promise<StockAfter[]> {
  const values = moves.map(() => '(?::uuid, ?::int)').join(', ');
  const rows = await tx.execute<Row[]>(
    `with locked as materialized (${LOCK_STOCK_ROWS})
     update products p set stock = p.stock + v.n from (values ${values}) as v(id, n), locked
     where p.id = v.id and locked.id = p.id returning p.id, p.stock, p.stock_version`,
    [[...moves.map((m) => m.productId)].sort(), ...moves.flatMap((m) => [m.productId, m.quantity])],
  );
  return stockAfter(rows, moves);
}

/** Each moved row with its move's quantity and the stock after it. */
export function stockAfter(rows: readonly Row[], moves: readonly StockMove[]): StockAfter[] {
  const qty = new Map(moves.map((m) => [m.productId, m.quantity]));
  return rows.map((r) => ({ productId: r.id, quantity: qty.get(r.id) ?? 0, stock: r.stock, stockVersion: Number(r.stock_version) }));
}
