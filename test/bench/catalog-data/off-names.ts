import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { pick } from './vocabulary.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/data/openfoodfacts_lifyzer_2019_sample5k.csv', import.meta.url));
const MAX_WORDS = 12;
const END = '\u0000';

/**
 * Product names with the word distribution of the Open Food Facts sample (multi-word French, English
 * and German names): a third are real names verbatim, the rest walk a word-bigram chain learnt from
 * them, so frequent words ("de", "au", "chocolat") and phrases ("pain de mie", "jus d'orange", "coca
 * cola") keep their real frequencies while the catalog gets new combinations. A made-up brand in
 * front of some names gives the long tail of rare words a real catalog has.
 */
export function offNameGenerator(rand: () => number, brands: readonly string[]): () => string {
  const names = (
    parse(readFileSync(SAMPLE), { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Array<{ product_name?: string }>
  )
    .map((r) => (r.product_name ?? '').replace(/\s+/g, ' ').trim())
    .filter((n) => n.length > 0 && n.length <= 150);
  const starts: string[] = [];
  const next = new Map<string, string[]>();
  for (const name of names) {
    const words = name.split(' ');
    starts.push(words[0]);
    words.forEach((w, i) => {
      const key = w.toLowerCase();
      const list = next.get(key) ?? [];
      list.push(words[i + 1] ?? END);
      next.set(key, list);
    });
  }
  const walk = (): string => {
    const words = [pick(rand, starts)];
    while (words.length < MAX_WORDS) {
      const w = pick(rand, next.get(words[words.length - 1].toLowerCase()) ?? [END]);
      if (w === END) break;
      words.push(w);
    }
    return words.join(' ');
  };
  return () => {
    const base = rand() < 0.35 ? pick(rand, names) : walk();
    const name = rand() < 0.3 ? `${pick(rand, brands)} ${base}` : base;
    return name.slice(0, 200);
  };
}
