import type { EntityManager } from '@mikro-orm/postgresql';
import type { HealthProfile } from '../../identity/health-profile.js';
import { AppError } from '../../shared/app-error.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/pagination.js';
import type { ListProductsQuery } from '../catalog.schemas.js';
import type { Caller } from '../product-access.js';
import { PRODUCT_COLUMNS, toProductData, type ProductData, type ProductRow } from '../product-row.js';
import { filterPredicate } from './filters.js';
import { prefixMatch, searchCandidates, searchScore, TRIGRAM_MIN_LENGTH } from './search-sql.js';
import { after, cursorFits, orderBy, SCORE_KEY, SORT_KEYS, type SortKey } from './sort-keys.js';
import { join, raw, sql, type Sql } from './sql.js';

type Row = ProductRow & { sort_key: string };

/**
 * Product listings and search with keyset pagination: a page continues strictly after the last row
 * served, so rows inserted meanwhile never shift a page (no duplicates, no gaps). Reads go to a
 * replica when one is configured.
 */
export class ProductListing {
  constructor(private readonly em: EntityManager) {}

  /** One page of products matching the query. */
  async page(q: ListProductsQuery, caller: Caller | undefined, profile: HealthProfile | null): Promise<Page<ProductData>> {
    const built = this.build(q, caller, profile);
    const rows: Row[] = await this.em.getConnection('read').execute(built.text, [...built.params]);
    const more = rows.length > q.limit;
    const items = more ? rows.slice(0, q.limit) : rows;
    const last = items[items.length - 1];
    return { items: items.map(toProductData), nextCursor: more && last ? encodeCursor([last.sort_key, last.id]) : null };
  }

  /** The SQL for a page (also used by the benchmark's raw baseline). */
  build(q: ListProductsQuery, caller: Caller | undefined, profile: HealthProfile | null): Sql {
    const filter = filterPredicate(q, caller, profile);
    const fuzzy = q.q !== undefined && [...q.q].length >= TRIGRAM_MIN_LENGTH;
    const sort = q.sort ? SORT_KEYS[q.sort] : fuzzy ? SCORE_KEY : q.q !== undefined ? SORT_KEYS.name : SORT_KEYS.newest;
    const cursor = q.cursor ? this.cursor(q.cursor, sort) : undefined;
    const limit = raw(String(q.limit + 1));
    if (fuzzy) {
      // Ranked search: page over the capped candidates, ordered by score (or the requested sort).
      const keyset = cursor ? after(raw('r.sort_val'), raw('r.id'), sort, cursor) : raw('true');
      const value = sort === SCORE_KEY ? searchScore(q.q!) : sort.expr;
      return sql`select r.*, r.sort_val::text as sort_key from (
          select ${PRODUCT_COLUMNS}, ${value} as sort_val
          from (${searchCandidates(q.q!, filter)}) c join products p on p.id = c.id
        ) r where ${keyset} order by ${orderBy(raw('r.sort_val'), raw('r.id'), sort.desc)} limit ${limit}`;
    }
    const where = join([filter, q.q !== undefined ? prefixMatch(q.q) : raw('true'), cursor ? after(sort.expr, raw('p.id'), sort, cursor) : raw('true')], ' and ');
    return sql`select ${PRODUCT_COLUMNS}, (${sort.expr})::text as sort_key from products p
      where ${where} order by ${orderBy(sort.expr, raw('p.id'), sort.desc)} limit ${limit}`;
  }

  private cursor(value: string, sort: SortKey): unknown[] {
    const cursor = decodeCursor(value, 2);
    if (!cursorFits(sort, cursor)) throw AppError.validation([{ path: 'cursor', message: 'Cursor does not belong to this listing' }]);
    return cursor;
  }
}
