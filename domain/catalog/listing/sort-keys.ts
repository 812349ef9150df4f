import type { ProductSort } from '../catalog.schemas.js';
import { raw, sql, type Sql } from '../../shared/sql.js';
import { isFloat8Text, isInt32Text, isTimestampText, isUuid } from '../../shared/pagination.js';

/** How a listing is ordered: one key expression plus the id as tie-break, both in one direction. */
export interface SortKey {
  /** Expression over alias `p` whose value goes into the cursor. */
  expr: Sql;
  /** Type the cursor value is cast back to. */
  cast: string;
  desc: boolean;
}

/**
 * Every sort has an index on (key, id) in the catalog migration. `newest` goes through text so the
 * cursor keeps PostgreSQL's microseconds (a JS Date would round them and skip or repeat rows).
 */
export const SORT_KEYS: Record<ProductSort, SortKey> = {
  newest: { expr: raw('p.created_at'), cast: 'timestamptz', desc: true },
  name: { expr: raw('p.search_name'), cast: 'text', desc: false },
  price: { expr: raw('p.price_cents'), cast: 'integer', desc: false },
  '-price': { expr: raw('p.price_cents'), cast: 'integer', desc: true },
};

/** Search relevance: the listing computes it with `searchScore` (this `expr` is not used) and pages it as `r.sort_val`. */
export const SCORE_KEY: SortKey = { expr: raw('score'), cast: 'double precision', desc: true };

/** `order by key, id` in the sort's direction, over the given qualifier (`p.` or `r.`). */
export function orderBy(key: Sql, id: Sql, desc: boolean): Sql {
  const dir = raw(desc ? 'desc' : 'asc');
  return sql`${key} ${dir}, ${id} ${dir}`;
}

/** What a cursor value may be per sort type: exactly what the cast in `after` accepts (PostgreSQL text may not hold NUL). */
const CURSOR_VALUE: Record<string, (value: string) => boolean> = {
  timestamptz: isTimestampText,
  text: (value) => value.length <= 400 && !value.includes('\0'),
  integer: isInt32Text,
  'double precision': isFloat8Text,
};

/** True when a decoded cursor fits the sort (so a forged cursor is a 422, not a database error). */
export function cursorFits(sort: SortKey, cursor: unknown[]): boolean {
  const [value, id] = cursor;
  return typeof value === 'string' && isUuid(id) && CURSOR_VALUE[sort.cast](value);
}

/** The keyset condition: rows strictly after the cursor in the sort's direction. */
export function after(key: Sql, id: Sql, sort: SortKey, cursor: unknown[]): Sql {
  const op = raw(sort.desc ? '<' : '>');
  const cast = raw(sort.cast);
  return sql`(${key}, ${id}) ${op} (${cursor[0]}::${cast}, ${cursor[1]}::uuid)`;
}
