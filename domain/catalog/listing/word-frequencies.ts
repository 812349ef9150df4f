import type { EntityManager } from '@mikro-orm/postgresql';
import { nativeRows } from '../../shared/native-query.js';
import { raw } from '../../shared/sql.js';

/** Share of products (0..1) whose name holds the word; 0 for words too rare to be listed. */
export type WordShare = (word: string) => number;

export const NO_SHARES: WordShare = () => 0;

/**
 * PostgreSQL's own statistics on `products.name_words`: ANALYZE keeps the most common elements and
 * their frequencies (thousands of them at the column's statistics target), so no table of our own
 * has to be kept in step with every product write. Words missing from the list are rarer than all
 * listed ones.
 */
export const WORD_SHARES_SQL = raw(`select most_common_elems::text::text[] as words, most_common_elem_freqs::float8[] as freqs
  from pg_stats where schemaname = current_schema() and tablename = 'products' and attname = 'name_words'`);

export function wordShareOf(rows: Array<{ words: string[] | null; freqs: number[] | null }>): WordShare {
  const map = new Map<string, number>();
  const [row] = rows;
  for (const [i, w] of (row?.words ?? []).entries()) map.set(w, Number(row.freqs?.[i] ?? 0));
  return map.size ? (word) => map.get(word) ?? 0 : NO_SHARES;
}

/** How long one read of the statistics serves (autovacuum re-analyses far less often than this). */
const MAX_AGE_MS = 5 * 60_000;

/** The word shares, read from the statistics at most every few minutes (a stale list only shifts which word drives a search). */
export class WordShares {
  private current: WordShare = NO_SHARES;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | undefined;

  constructor(private readonly em: EntityManager) {}

  async get(): Promise<WordShare> {
    if (performance.now() - this.readAt > MAX_AGE_MS) {
      this.reading ??= this.read().finally(() => {
        this.reading = undefined;
      });
      // Only the first read is waited for; later ones refresh in the background.
      if (this.readAt === Number.NEGATIVE_INFINITY) await this.reading;
    }
    return this.current;
  }

  private async read(): Promise<void> {
    try {
      this.current = wordShareOf(await nativeRows(this.em.getConnection('read'), WORD_SHARES_SQL));
    } catch {
      // No statistics to hand: every word counts as rare, so every word drives the index (still correct).
    }
    this.readAt = performance.now();
  }
}
