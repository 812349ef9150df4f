import { foldText } from '../verdict/ingredient-matcher.js';
import { join, likeEscape, raw, sql, textArray, type Sql } from '../../shared/sql.js';
import { NO_SHARES, type WordShare } from './word-frequencies.js';

/** Below this many characters a query has no full trigram, so the prefix index answers it. */
export const TRIGRAM_MIN_LENGTH = 3;
/** Candidates per strategy; the ranking only ever sorts this many rows (see below). */
const CANDIDATES = { prefix: 50, words: 200 } as const;
/** How many dictionary words one query word may expand to, and how close a typo must be. */
const EXPANSIONS = 10;
const MIN_SIMILARITY = 0.45;
const MAX_QUERY_WORDS = 5;

/** The query's words, split where larder_fold would split them (each is folded again in SQL). */
export function queryWords(q: string): string[] {
  return foldText(q)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_QUERY_WORDS);
}

/**
 * The dictionary words a query word stands for: for 3+ characters, words containing it (substring,
 * trigram LIKE) or close to it (typo, trigram similarity ≥ MIN_SIMILARITY); for shorter ones, words
 * starting with it (btree on the "C"-collated primary key). Best matches first, capped.
 */
function expansionOf(word: string): Sql {
  const folded = sql`larder_fold(${word})`;
  const pattern = sql`larder_fold(${likeEscape(word)})`;
  if ([...word].length < TRIGRAM_MIN_LENGTH) {
    return sql`array(select d.word from product_words d where d.word like ${pattern} || '%' escape '!' order by d.word limit ${raw(String(EXPANSIONS))})`;
  }
  return sql`array(select d.word from product_words d
      where d.word like '%' || ${pattern} || '%' escape '!' or (d.word % ${folded} and similarity(d.word, ${folded}) >= ${raw(String(MIN_SIMILARITY))})
      order by similarity(d.word, ${folded}) desc, d.word limit ${raw(String(EXPANSIONS))})`;
}

/**
 * One row with one text[] per query word: its dictionary expansions. Run first, on its own, so the
 * product query carries them as constants: with a subquery the planner cannot estimate
 * `name_words && $1` and picked a sequential scan (70k rows filtered for "choclate" on 1M products);
 * with a literal array it uses the element statistics and the GIN index.
 */
export function expansionsSql(q: string): Sql {
  return wordExpansionsSql(queryWords(q));
}

/** expansionsSql for words already split (queryWords). */
export function wordExpansionsSql(words: readonly string[]): Sql {
  return sql`select ${join(
    words.map((w, i) => sql`${expansionOf(w)} as ${raw(`e${i}`)}`),
    ', ',
    "'{}'::text[] as e0",
  )}`;
}

/**
 * A query word whose expansions together name more than this share of all products (`de` is in 10 %
 * of Open Food Facts names) does not drive the index when a rarer word can: intersecting its posting
 * list (100k entries on 1M names) cost more than checking it on the few rows the rarer words leave.
 * Below it, intersecting is cheaper than checking: with 1 % here, "jus d orange" was driven by "jus"
 * alone and fetched 9,000 rows to keep 200.
 */
const COMMON_SHARE = 0.05;

/** Which query words go to the GIN (index) and which are only checked on its rows (filter). */
export function driverWords(expanded: string[][], share: WordShare): boolean[] {
  const shares = expanded.map((e) =>
    Math.min(
      1,
      e.reduce((sum, w) => sum + share(w), 0),
    ),
  );
  const rarest = shares.indexOf(Math.min(...shares));
  return shares.map((s, i) => s <= COMMON_SHARE || i === rarest);
}

/**
 * Name search as a capped candidate set, ranked afterwards (searchScore). Two branches, each stopped
 * by a LIMIT:
 *   prefix  btree products_search_name: whole names starting with the query, so the exact name is
 *           always a candidate (and ranks first);
 *   words   every query word must match a name word through its expansions (expansionsSql): GIN
 *           products_name_words with `name_words && array[...]` for the driving words (driverWords);
 *           the common ones are tested on those rows in a form the planner cannot match to the index
 *           (and does not estimate from the statistics, which also saves planning time).
 * Ordering all matches by similarity would rank every product holding a common word (thousands on
 * 1M rows); the caps keep the cost flat however many weak matches there are.
 *
 * `filter` (over alias `p`) goes inside both branches so narrow filters still fill the page. Each
 * branch returns `columns` of the rows it already read (a product in both comes twice: the caller
 * keeps one), so the ranking does not look the candidates up again by id.
 */
export function searchCandidates(q: string, expanded: string[][], filter: Sql, share: WordShare = NO_SHARES, columns: Sql = raw('p.id')): Sql {
  const hasAll = expanded.length > 0 && expanded.every((e) => e.length > 0);
  const drives = driverWords(expanded, share);
  const wordMatch = hasAll
    ? join(
        expanded.map((e, i) => (drives[i] ? sql`p.name_words && ${textArray(e)}` : sql`coalesce(p.name_words && ${textArray(e)}, false)`)),
        ' and ',
      )
    : raw('false');
  const pattern = sql`larder_fold(${likeEscape(q)})`;
  return sql`(select ${columns} from products p where p.search_name like ${pattern} || '%' escape '!' and ${filter} order by p.search_name limit ${raw(String(CANDIDATES.prefix))})
      union all
      (select ${columns} from products p where ${wordMatch} and ${filter} limit ${raw(String(CANDIDATES.words))})`;
}

/**
 * Relevance over alias `p`: exact name > name prefix > the rest, then by trigram similarity of the
 * whole name (strict_word_similarity as well doubled the ranking's cost on 1M rows for no visible gain).
 */
export function searchScore(q: string): Sql {
  const term = sql`larder_fold(${likeEscape(q)})`;
  const folded = sql`larder_fold(${q})`;
  return sql`((p.search_name = ${folded})::int * 2 + (p.search_name like ${term} || '%' escape '!')::int
      + similarity(${folded}, p.search_name))::float8`;
}

/** Short queries: names starting with the text, through the btree (pattern is a constant). */
export function prefixMatch(q: string): Sql {
  return sql`p.search_name like larder_fold(${likeEscape(q)}) || '%' escape '!'`;
}
