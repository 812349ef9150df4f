/**
 * `npm run bench:data -- 1000000`: fills DATABASE_URL with generated products for benchmarks (names
 * with the word distribution of the Open Food Facts sample, see catalog-data/off-names.ts), spread
 * over 500 merchants, through COPY (pg-copy-streams). The catalog's secondary indexes (the search
 * postings' too) are dropped before the load and rebuilt after it from their own definitions (far
 * faster than maintaining a trigram GIN or 4M postings row by row), then the tables are vacuumed and
 * analysed (index-only scans of the postings need the visibility map).
 */
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { checkDigit } from '../../domain/catalog/barcode.js';
import { ingredientFlags } from '../../domain/catalog/verdict/ingredient-matcher.js';
import { ensureMerchant, openMigratedDatabase } from './catalog-data/prepare-database.js';
import { guessCategory } from './catalog-data/guess-category.js';
import { offNameGenerator } from './catalog-data/off-names.js';
import { brandNames, random } from './catalog-data/vocabulary.js';

const count = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(count) || count < 1 || count > 20_000_000) {
  console.error('usage: npm run bench:data -- <count 1..20000000>');
  process.exit(2);
}
const MERCHANTS = 500;
const COLUMNS = [
  'id',
  'merchant_id',
  'sku',
  'name',
  'description',
  'price_cents',
  'currency',
  'stock',
  'barcode',
  'category',
  'kind',
  'energy_kcal',
  'protein',
  'fat',
  'saturated_fat',
  'carbohydrate',
  'sugars',
  'fibre',
  'salt',
  'iodine_ug',
  'ingredients',
  'ingredient_flags',
  'labels',
  'allergens',
  'active',
  'created_at',
  'updated_at',
];
const ALLERGEN_FLAGS = new Set([
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soybeans',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
]);
const BASES: Record<string, string> = {
  dairy: 'pasteurised milk, salt, cultures',
  bakery: 'wheat flour, water, yeast, salt',
  confectionery: 'sugar, cocoa butter, milk powder, soya lecithin',
  'breakfast-cereals': 'oats, sugar, honey, almonds',
  beverages: 'water, sugar, natural flavouring',
  'fruits-vegetables': '',
  meat: 'pork, salt, spices',
  fish: 'fish, salt',
  'ready-meals': 'water, vegetables, wheat flour, cream, eggs, celery',
  pantry: 'sea salt',
  snacks: 'potatoes, sunflower oil, salt',
  frozen: 'milk, sugar, cream, egg yolk',
};

const rand = random(20261125);
const brands = brandNames(20_000, rand);
const nextName = offNameGenerator(rand, brands);
const flagMemo = new Map<string, { flags: string[]; allergens: string[] }>();
const text = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
const arr = (values: string[]) => `{${values.join(',')}}`;
const num = (v: number | null) => (v === null ? '\\N' : String(v));

function analyse(ingredients: string, labels: string[]) {
  const key = `${ingredients}|${labels.join(',')}`;
  let hit = flagMemo.get(key);
  if (!hit) {
    const flags = ingredientFlags(ingredients, labels);
    hit = { flags, allergens: flags.filter((f) => ALLERGEN_FLAGS.has(f)) };
    flagMemo.set(key, hit);
  }
  return hit;
}

function nutrition(): Array<number | null> {
  if (rand() < 0.08) return Array(9).fill(null); // unknown nutrition, as on real catalogs
  const r = (max: number) => Math.round(rand() * max * 10) / 10;
  const carbohydrate = r(80);
  return [
    Math.round(rand() * 600),
    r(30),
    r(40),
    r(15),
    carbohydrate,
    Math.round(rand() * carbohydrate * 10) / 10,
    r(12),
    Math.round(rand() * 300) / 100,
    rand() < 0.7 ? null : r(80),
  ];
}

function row(i: number, merchants: string[], now: number): string {
  const name = nextName();
  const category = guessCategory(name);
  const folded = name.toLowerCase();
  const labels = /\bvegan\b/.test(folded) ? ['vegan'] : /\b(bio|organic|organique)\b/.test(folded) ? ['organic'] : [];
  const ingredients = BASES[category] ?? '';
  const { flags, allergens } = analyse(ingredients, labels);
  const body = `299${String(i).padStart(9, '0')}`;
  const created = new Date(now - Math.floor(rand() * 730 * 86_400_000)).toISOString().replace('Z', `${String(Math.floor(rand() * 1000)).padStart(3, '0')}+00`);
  return `${[
    randomUUID(),
    merchants[i % merchants.length],
    `GEN-${i}`,
    text(name),
    '',
    50 + Math.floor(rand() * 2_000),
    'EUR',
    Math.floor(rand() * 200),
    body + checkDigit(body),
    category,
    'grocery',
    ...nutrition().map(num),
    text(ingredients),
    arr(flags),
    arr(labels),
    arr(allergens),
    rand() < 0.98 ? 't' : 'f',
    created,
    created,
  ].join('\t')}\n`;
}

function* rows(merchants: string[]): Generator<string> {
  const now = Date.now();
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += row(i, merchants, now);
    if (chunk.length > 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

const { client, url } = await openMigratedDatabase();
try {
  const started = performance.now();
  const merchants: string[] = [];
  for (let m = 0; m < MERCHANTS; m++) merchants.push(await ensureMerchant(client, `bench-merchant-${m}@larder.local`, `Bench merchant ${m}`));
  await client.query(`delete from products where merchant_id = any($1::uuid[])`, [merchants]);
  const { rows: indexes } = await client.query(
    `select indexname, indexdef from pg_indexes where tablename in ('products', 'product_search_postings') and indexname <> 'products_pkey'`,
  );
  for (const ix of indexes) await client.query(`drop index ${ix.indexname}`);
  const copy = client.query(copyStreams.from(`copy products (${COLUMNS.join(', ')}) from stdin`));
  await pipeline(Readable.from(rows(merchants)), copy);
  const loaded = performance.now();
  console.log(
    `copied ${count} products in ${((loaded - started) / 1000).toFixed(1)} s (${Math.round(count / ((loaded - started) / 1000))} rows/s) into ${new URL(url).pathname.slice(1)}`,
  );
  await client.query(`set maintenance_work_mem = '512MB'`);
  for (const ix of indexes) {
    const t = performance.now();
    await client.query(ix.indexdef);
    console.log(`  ${ix.indexname}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await client.query('vacuum analyze products');
  await client.query('vacuum analyze product_words');
  await client.query('vacuum analyze product_search_postings');
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await client.end();
}
