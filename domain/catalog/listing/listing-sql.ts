import type { HealthProfile } from '../../identity/index.js';
import { AppError } from '../../shared/app-error.js';
import { decodeCursor } from '../../shared/pagination.js';
import type { ListProductsQuery } from '../catalog.schemas.js';
import type { Caller } from '../product-access.js';
import { PRODUCT_COLUMNS } from '../product-row.js';
import { filterPredicate } from './filters.js';
import { prefixMatch, searchCandidates, searchScore, TRIGRAM_MIN_LENGTH } from './search-sql.js';
import { NO_SHARES, type WordShare } from './word-frequencies.js';
import { after, cursorFits, orderBy, SCORE_KEY, SORT_KEYS, type SortKey } from './sort-keys.js';
import { join, raw, sql, type Sql } from '../../shared/sql.js';

/** True when the listing is a ranked search (it then needs the query words' expansions first). */
export function isRankedSearch(q: ListProductsQuery): boolean {
  return q.q !== undefined && [...q.q].length >= TRIGRAM_MIN_LENGTH;
}

/**
 * The SQL for one page (the listing runs it; the benchmark runs it raw as its baseline). A ranked
 * search needs `expanded`: the rows of expansionsSql(q.q) as arrays, one per query word, and the
 * words' shares of all names (WordShares) to pick the words that drive the index.
 */
export function listingSql(
  q: ListProductsQuery,
  caller: Caller | undefined,
  profile: HealthProfile | null,
  expanded: string[][] = [],
  share: WordShare = NO_SHARES,
): Sql {
  const filter = filterPredicate(q, caller, profile);
  const fuzzy = isRankedSearch(q);
  const sort = q.sort ? SORT_KEYS[q.sort] : fuzzy ? SCORE_KEY : q.q !== undefined ? SORT_KEYS.name : SORT_KEYS.newest;
  const cursor = q.cursor ? decodeListingCursor(q.cursor, sort) : undefined;
  const limit = raw(String(q.limit + 1));
  if (fuzzy) {
    // Ranked search: page over the capped candidates, ordered by score (or the requested sort).
    const keyset = cursor ? after(raw('r.sort_val'), raw('r.id'), sort, cursor) : raw('true');
    const value = sort === SCORE_KEY ? searchScore(q.q!) : sort.expr;
    return sql`select r.*, r.sort_val::text as sort_key from (
        select p.*, ${value} as sort_val
        from (select distinct on (c.id) c.* from (${searchCandidates(q.q!, expanded, filter, share, sql`${PRODUCT_COLUMNS}, p.search_name`)}) c) p
      ) r where ${keyset} order by ${orderBy(raw('r.sort_val'), raw('r.id'), sort.desc)} limit ${limit}`;
  }
  const where = join([filter, q.q !== undefined ? prefixMatch(q.q) : raw('true'), cursor ? after(sort.expr, raw('p.id'), sort, cursor) : raw('true')], ' and ');
  return sql`select ${PRODUCT_COLUMNS}, (${sort.expr})::text as sort_key from products p
    where ${where} order by ${orderBy(sort.expr, raw('p.id'), sort.desc)} limit ${limit}`;
}

function decodeListingCursor(value: string, sort: SortKey): unknown[] {
  const cursor = decodeCursor(value, 2);
  if (!cursorFits(sort, cursor)) throw AppError.validation([{ path: 'cursor', message: 'Cursor does not belong to this listing' }]);
  return cursor;
}
