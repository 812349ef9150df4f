import { foldText } from '../verdict/ingredient-matcher.js';
import { join, likeEscape, raw, sql, textArrayParam, type Sql } from '../../shared/sql.js';
import { NO_SHARES, type WordShare } from './word-frequencies.js';

/** Below this many characters a query has no full trigram, so the prefix index answers it. */
export const TRIGRAM_MIN_LENGTH = 3;
/**
 * Candidates per strategy; the ranking only ever sorts this many rows (see below). The postings come
 * shortest name first, the order the ranking mostly keeps, so fewer of them serve: each is a product
 * row read by primary key (about 5 µs, most of a search's cost), and 3 pages' worth rank like 200.
 * The GIN's rows come in no useful order, so it keeps the wider net.
 */
const CANDIDATES = { prefix: 50, postings: 60, words: 200 } as const;
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
  const folded = hidden(sql`larder_fold(${word})`);
  const pattern = hidden(sql`'%' || larder_fold(${likeEscape(word)}) || '%'`);
  if ([...word].length < TRIGRAM_MIN_LENGTH) {
    return sql`array(select d.word from product_words d where ${prefixBounds(raw('d.word'), word)} order by d.word limit ${raw(String(EXPANSIONS))})`;
  }
  return sql`array(select d.word from product_words d
      where d.word like ${pattern} escape '!' or (d.word % ${folded} and similarity(d.word, ${folded}) >= ${raw(String(MIN_SIMILARITY))})
      order by similarity(d.word, ${folded}) desc, d.word limit ${raw(String(EXPANSIONS))})`;
}

/**
 * `column` (collated "C") starts with the folded text, as a range the btree uses even in a prepared
 * statement's generic plan (a LIKE with a bound pattern has no index bounds there): in byte order every
 * string with that prefix sorts at or after it and before it followed by the highest code point
 * (U+10FFFF, a noncharacter no name holds). No LIKE beside it: its own bounds made the planner count
 * the range twice, estimate a handful of rows and sort 8,000 of them for "da" instead of reading 21.
 */
export function prefixBounds(column: Sql, text: string): Sql {
  return sql`${column} >= ${hidden(sql`larder_fold(${text})`)} and ${column} < ${hidden(sql`larder_fold(${text}) || chr(1114111)`)}`;
}

/**
 * A value the planner does not look at (an init plan): the custom plans of a prepared search then cost
 * what its generic plan costs, so PostgreSQL settles on the generic plan after its five trials instead
 * of planning every call (2 ms with the column's 1,000-entry word statistics). Which word drives and
 * which branch runs is decided in code and by the one-time filter, not by the planner's estimates.
 */
function hidden(value: Sql): Sql {
  return sql`(select ${value})`;
}

/** A text[] bound as one hidden parameter. */
function wordsParam(words: readonly string[]): Sql {
  return hidden(textArrayParam(words));
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

/** How many postings each expansion of the driving word hands out at most (shortest names first). */
const POSTINGS_PER_WORD = 200;
/**
 * Fewer hits than this from a postings budget used up: ask the GIN as well. Above it the hits are the
 * shortest matching names, the ones the ranking puts first anyway.
 */
const FALLBACK_BELOW = 30;
/**
 * A multi-word query whose rarest word is in at most this share of names goes to the GIN alone: its
 * intersection is small and cheap (about 0.5 µs per product in it), while the postings of a rare driver
 * would be checked one product row at a time for the other words, most of which fail.
 */
const RARE_DRIVER_SHARE = 0.01;

/** The query word whose expansions name the fewest products (it drives the postings). */
export function drivingWord(expanded: string[][], share: WordShare): number {
  const shares = expanded.map((e) => driverShare(e, share));
  return shares.indexOf(Math.min(...shares));
}

/**
 * Name search as a capped candidate set, ranked afterwards (searchScore). Each branch is stopped by a
 * LIMIT:
 *   prefix    btree products_search_name: whole names starting with the query, so the exact name is
 *             always a candidate (and ranks first);
 *   postings  the driving query word's expansions (drivingWord), each through product_search_postings
 *             in name-length order (the order the similarity ranking mostly follows), at most
 *             POSTINGS_PER_WORD each; every other query word and the filter are checked on the product
 *             row found by primary key; it stops at CANDIDATES.postings hits, usually after about as many
 *             postings (no bitmap of every product holding a common word is ever built);
 *   words     for a multi-word query whose rarest word is rare (RARE_DRIVER_SHARE), instead of the
 *             postings; otherwise only when the postings ran out of budget with too few hits (the
 *             other words or the filter rarely hold on the driver's products): the GIN over every
 *             word whose expansions hold at most COMMON_SHARE of names (driverWords), the common ones
 *             checked on its rows; as the fallback, behind a one-time filter that costs nothing when
 *             the postings sufficed.
 * Ordering all matches by similarity would rank every product holding a common word (thousands on
 * 1M rows); the caps keep the cost flat however many weak matches there are.
 *
 * Every value is a bound parameter (arrays as one each), so the text depends only on the number of
 * query words and the filter's shape: the listing prepares it once per connection. `filter` (over
 * alias `p`) goes inside every branch so narrow filters still fill the page. Each branch returns
 * `columns` of the rows it already read (a product in two comes twice: the caller keeps one), so the
 * ranking does not look the candidates up again by id.
 */
export function searchCandidates(q: string, expanded: string[][], filter: Sql, share: WordShare = NO_SHARES, columns: Sql = raw('p.id')): Sql {
  const prefix = sql`(select ${columns} from products p where ${prefixBounds(raw('p.search_name'), q)} and ${filter} order by p.search_name limit ${raw(String(CANDIDATES.prefix))})`;
  const hasAll = expanded.length > 0 && expanded.every((e) => e.length > 0);
  if (!hasAll) return sql`select * from ${prefix} x`;
  const driver = drivingWord(expanded, share);
  const checks = join(
    expanded.flatMap((e, i) => (i === driver ? [] : [sql`p.name_words && ${wordsParam(e)}`])),
    ' and ',
    'true',
  );
  const drives = driverWords(expanded, share);
  const gin = join(
    expanded.map((e, i) => (drives[i] ? sql`p.name_words && ${wordsParam(e)}` : sql`coalesce(p.name_words && ${wordsParam(e)}, false)`)),
    ' and ',
  );
  const words = raw(String(CANDIDATES.words));
  const ginBranch = sql`(select ${columns} from products p where ${gin} and ${filter} limit ${words})`;
  if (expanded.length > 1 && driverShare(expanded[driver], share) <= RARE_DRIVER_SHARE) return sql`${prefix} union all ${ginBranch}`;
  const perWord = raw(String(POSTINGS_PER_WORD));
  return sql`with probe as (
        select d.o, s.product_id from unnest(${wordsParam(expanded[driver])}) with ordinality d(word, o)
          cross join lateral (select s.product_id from product_search_postings s where s.word = d.word and s.name_len >= ${hidden(sql`${shortestName(expanded)}::int`)}
            order by s.name_len, s.product_id limit ${perWord}) s
      ), hits as (
        select ${columns} from probe join products p on p.id = probe.product_id where ${checks} and ${filter} limit ${raw(String(CANDIDATES.postings))}
      )
      ${prefix}
      union all
      (select * from hits)
      union all
      (select ${columns} from products p where ${gin} and ${filter}
        and (select count(*) from hits) < ${raw(String(FALLBACK_BELOW))} and exists (select from probe group by probe.o having count(*) >= ${perWord})
        limit ${words})`;
}

const driverShare = (expansion: string[], share: WordShare) => expansion.reduce((sum, w) => sum + share(w), 0);

/**
 * The shortest folded name that can hold a word of every expansion: their shortest words side by side
 * with one separator between them (or, when expansions share a word, which one name word can then
 * match twice, the longest of the shortest words). The driver's postings start there: the shortest
 * names holding a common word are mostly that word alone ("noir"), which no multi-word query matches.
 */
export function shortestName(expanded: string[][]): number {
  const shortest = expanded.map((e) => Math.min(...e.map((w) => [...w].length)));
  const words = expanded.flat();
  return new Set(words).size === words.length ? shortest.reduce((sum, n) => sum + n, 0) + expanded.length - 1 : Math.max(...shortest);
}

/**
 * Relevance over alias `p`: exact name > name prefix > the rest, then by trigram similarity of the
 * whole name (strict_word_similarity as well doubled the ranking's cost on 1M rows for no visible gain).
 */
export function searchScore(q: string): Sql {
  const term = hidden(sql`larder_fold(${likeEscape(q)}) || '%'`);
  const folded = hidden(sql`larder_fold(${q})`);
  return sql`((p.search_name = ${folded})::int * 2 + (p.search_name like ${term} escape '!')::int
      + similarity(${folded}, p.search_name))::float8`;
}

/** Short queries: names starting with the text, through the btree (prefixBounds). */
export function prefixMatch(q: string): Sql {
  return prefixBounds(raw('p.search_name'), q);
}
