import { likeEscape, raw, sql, type Sql } from './sql.js';

/** Below this many characters a query has no full trigram, so the prefix index answers it. */
export const TRIGRAM_MIN_LENGTH = 3;
/** Candidates per matching strategy; the ranking only ever sorts this many rows (see below). */
export const CANDIDATES_PER_BRANCH = { prefix: 50, substring: 200, fuzzy: 200 } as const;

/**
 * Name search as a capped candidate set, ranked afterwards. Three branches each stop at a LIMIT:
 *   prefix    btree products_search_name (collation "C" makes LIKE 'abc%' a range scan): exact names first;
 *   substring GIN products_search_trgm with LIKE '%abc%';
 *   fuzzy     GIN with strict_word_similarity (`<<%`, default threshold 0.5): misspellings.
 * Ordering the whole match set by similarity would sort every weak match (tens of thousands for a
 * common word on 1M rows); the caps keep the ranking's cost flat. EXPLAIN ANALYZE on 1M rows:
 * see the benchmark notes in test/bench/catalog.ts.
 *
 * `filter` (over alias `p`) goes inside every branch so narrow filters still fill the page.
 * Yields candidate ids (a UNION, so each at most once); rank them with searchScore.
 */
export function searchCandidates(q: string, filter: Sql): Sql {
  const term = sql`larder_fold(${likeEscape(q)})`;
  const folded = sql`larder_fold(${q})`;
  const { prefix, substring, fuzzy } = CANDIDATES_PER_BRANCH;
  return sql`(select p.id from products p where p.search_name like ${term} || '%' escape '!' and ${filter} order by p.search_name limit ${raw(String(prefix))})
      union
      (select p.id from products p where p.search_name like '%' || ${term} || '%' escape '!' and ${filter} limit ${raw(String(substring))})
      union
      (select p.id from products p where ${folded} <<% p.search_name and ${filter} limit ${raw(String(fuzzy))})`;
}

/** Relevance over alias `p`: exact name > name prefix > the rest, then by trigram similarity. */
export function searchScore(q: string): Sql {
  const term = sql`larder_fold(${likeEscape(q)})`;
  const folded = sql`larder_fold(${q})`;
  return sql`((p.search_name = ${folded})::int * 2 + (p.search_name like ${term} || '%' escape '!')::int
      + strict_word_similarity(${folded}, p.search_name) + similarity(${folded}, p.search_name) * 0.5)::float8`;
}

/** Short queries: names starting with the text, through the btree (pattern is a constant). */
export function prefixMatch(q: string): Sql {
  return sql`p.search_name like larder_fold(${likeEscape(q)}) || '%' escape '!'`;
}
