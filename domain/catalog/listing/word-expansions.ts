import type { EntityManager } from '@mikro-orm/postgresql';
import { nativeRows } from '../../shared/native-query.js';
import { queryWords, wordExpansionsSql } from './search-sql.js';

/** How long a word's expansions serve without asking the dictionary again. */
const TTL_MS = 60_000;
/** Words remembered at most (the oldest go first): hot queries repeat a few thousand words. */
const MAX_WORDS = 20_000;

/**
 * The dictionary expansions of query words (expansionsSql), remembered in the process: a hot query
 * then costs one round trip instead of two, and PostgreSQL no longer plans and runs the trigram
 * look-ups for it. The dictionary only grows, so a remembered list can only miss words added since:
 * the query word itself is always part of its expansion (an exact new word is found at once), the
 * catalog's change events clear the lists of this instance, and other instances refresh within TTL_MS.
 */
export class WordExpansions {
  private readonly remembered = new Map<string, { words: string[]; until: number }>();

  constructor(private readonly em: EntityManager) {}

  /** One array per query word: the dictionary words it stands for. */
  async of(q: string): Promise<string[][]> {
    const words = queryWords(q);
    const now = performance.now();
    const known = new Map<string, string[]>();
    for (const w of words) {
      const hit = this.remembered.get(w);
      if (hit && hit.until > now) known.set(w, hit.words);
    }
    const missing = [...new Set(words.filter((w) => !known.has(w)))];
    if (missing.length) {
      const [row] = await nativeRows<Record<string, string[]>>(this.em.getConnection('read'), wordExpansionsSql(missing), true);
      const found = Object.values(row ?? {});
      missing.forEach((w, i) => {
        const expansion = found[i]?.includes(w) ? found[i] : [...(found[i] ?? []), w];
        known.set(w, expansion);
        this.remember(w, expansion, now);
      });
    }
    return words.map((w) => known.get(w) ?? [w]);
  }

  /** Drops every remembered list (a product was written: its name may hold new words). */
  forget(): void {
    this.remembered.clear();
  }

  private remember(word: string, words: string[], now: number): void {
    this.remembered.delete(word);
    if (this.remembered.size >= MAX_WORDS) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(word, { words, until: now + TTL_MS });
  }
}
