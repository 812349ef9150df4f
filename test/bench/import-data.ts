import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const FOODS = ['oat milk', 'rye bread', 'green tea', 'goat cheese', 'apple juice', 'dark chocolate', 'olive oil', 'basmati rice', 'tomato soup', 'granola'];
const ADJECTIVES = ['Golden', 'Little', 'Northern', 'Happy', 'Wild', 'Sunny', 'Old Mill', 'Blue Farm'];
const WORDS = ['fresh', 'daily', 'organic', 'local', 'crisp', 'smooth', 'rich', 'light', 'classic', 'house', 'seasonal', 'farm', 'whole', 'roasted', 'sweet'];

/** A deterministic pseudo-random generator (the same file for the same seed). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedFile {
  path: string;
  bytes: number;
  rows: number;
  /** Rows repeating an earlier SKU (another case): superseded by the later row. */
  duplicates: number;
  /** Rows with a bad value (a price that is not a number, an empty name). */
  bad: number;
}

/**
 * Fulfil-style products (`name,sku,description,price,stock`, descriptions with quoted commas and line
 * breaks): `rows` rows of ~100 bytes, 5 % repeating an earlier SKU in another case, 1 % invalid.
 */
export async function writeFulfilStyleCsv(path: string, rows: number, seed = 42): Promise<GeneratedFile> {
  const random = mulberry32(seed);
  const out = createWriteStream(path);
  let bytes = 0;
  let duplicates = 0;
  let bad = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('name,sku,description,price,stock\n');
  for (let i = 1; i <= rows; i++) {
    const r = random();
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
    let sku = `sku-${i}`;
    if (r < 0.05 && i > 100) {
      sku = `SKU-${1 + Math.floor(random() * (i - 1))}`; // an earlier row's SKU in capitals
      duplicates++;
    }
    const isBad = r >= 0.05 && r < 0.06;
    if (isBad) bad++;
    const name = isBad && random() < 0.5 ? '' : `${pick(ADJECTIVES)} ${pick(FOODS)}`;
    const words = Array.from({ length: 5 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ');
    const description = random() < 0.3 ? `"${words}, ${words}.\n${words}."` : words;
    const price = isBad && name !== '' ? 'n/a' : (1 + random() * 40).toFixed(2);
    await write(`${name},${sku},${description},${price},${Math.floor(random() * 500)}\n`);
  }
  out.end();
  await once(out, 'finish');
  return { path, bytes, rows, duplicates, bad };
}
