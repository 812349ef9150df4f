/**
 * `npm run seed -- <file.csv>`: loads Open Food Facts rows (the Lifyzer 2019 sample by default) into
 * a demo merchant on DATABASE_URL. Columns: barcode, product_name, ingredients, *_100g nutrients,
 * alcohol_100g, is_healthy. Barcodes are kept when their check digit is valid; allergens come from
 * the ingredient text (English and French keyword groups of the verdict engine); a category is
 * guessed from the name. Re-running skips rows already loaded (same SKU or barcode).
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { fileURLToPath } from 'node:url';
import { isValidGtin } from '../../domain/catalog/barcode.js';
import { ingredientFlags } from '../../domain/catalog/verdict/ingredient-matcher.js';
import { ALLERGENS } from '../../domain/identity/index.js';
import { ensureMerchant, openMigratedDatabase } from './catalog-data/prepare-database.js';
import { guessCategory } from './catalog-data/guess-category.js';

const DEFAULT_FILE = fileURLToPath(new URL('../fixtures/data/openfoodfacts_lifyzer_2019_sample5k.csv', import.meta.url));
const file = process.argv[2] ?? DEFAULT_FILE;
const BATCH = 500;
const ALLERGEN_SET = new Set<string>(ALLERGENS);

type CsvRow = Record<string, string>;
const grams = (v: string | undefined) => {
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? Math.round(n * 1000) / 1000 : null;
};
/** Deterministic demo price and stock from the row number (the data set has neither). */
const priceFor = (i: number) => 99 + ((i * 7919) % 900);

function toProduct(r: CsvRow, i: number) {
  const name = (r.product_name ?? '').trim().slice(0, 200);
  if (!name) return null;
  const code = (r.barcode ?? '').trim();
  const ingredients = (r.ingredients ?? '').trim().slice(0, 10_000);
  const labels = [...(Number(r.alcohol_100g) > 0.5 ? ['alcoholic'] : []), ...(r.is_healthy === '1' ? ['healthy-choice'] : [])];
  const flags = ingredientFlags(ingredients, labels);
  return {
    sku: `OFF-${code || i}`.slice(0, 64),
    name,
    price_cents: priceFor(i),
    stock: (i * 31) % 120,
    barcode: isValidGtin(code) ? code : null,
    category: guessCategory(name),
    fat: grams(r.fat_100g),
    saturated_fat: grams(r.saturated_fat_100g),
    carbohydrate: grams(r.carbohydrates_100g),
    sugars: grams(r.sugars_100g),
    fibre: grams(r.fiber_100g),
    protein: grams(r.proteins_100g),
    salt: grams(r.salt_100g),
    ingredients,
    ingredient_flags: flags,
    labels,
    allergens: flags.filter((f) => ALLERGEN_SET.has(f)),
  };
}
type SeedProduct = NonNullable<ReturnType<typeof toProduct>>;

const COLUMNS = [
  'sku',
  'name',
  'price_cents',
  'stock',
  'barcode',
  'category',
  'fat',
  'saturated_fat',
  'carbohydrate',
  'sugars',
  'fibre',
  'protein',
  'salt',
  'ingredients',
  'ingredient_flags',
  'labels',
  'allergens',
] as const;

/** One multi-row insert; conflicts on SKU or barcode (re-runs, duplicate barcodes in the file) skip the row. */
async function insert(client: import('pg').Client, merchantId: string, batch: SeedProduct[]): Promise<number> {
  const params: unknown[] = [merchantId];
  const values = batch.map((p) => {
    const cells = COLUMNS.map((c) => {
      params.push(p[c]);
      return `$${params.length}`;
    });
    return `(gen_random_uuid(), $1, ${cells.join(', ')}, now(), now())`;
  });
  const res = await client.query(
    `insert into products (id, merchant_id, ${COLUMNS.join(', ')}, created_at, updated_at) values ${values.join(', ')} on conflict do nothing`,
    params,
  );
  return res.rowCount ?? 0;
}

const { client } = await openMigratedDatabase();
try {
  const merchantId = await ensureMerchant(client, 'demo-merchant@larder.local', 'Open Food Facts demo store');
  const parser = createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }));
  let read = 0;
  let inserted = 0;
  let skipped = 0;
  let batch: SeedProduct[] = [];
  const seenCodes = new Set<string>();
  for await (const record of parser as AsyncIterable<CsvRow>) {
    const product = toProduct(record, read++);
    if (!product || (product.barcode && seenCodes.has(product.barcode))) {
      skipped++;
      continue;
    }
    if (product.barcode) seenCodes.add(product.barcode);
    batch.push(product);
    if (batch.length === BATCH) {
      inserted += await insert(client, merchantId, batch);
      batch = [];
    }
  }
  if (batch.length) inserted += await insert(client, merchantId, batch);
  await client.query('analyze products');
  console.log(
    `read ${read} rows: ${inserted} products inserted, ${skipped} skipped (no name or duplicate barcode), ${read - inserted - skipped} already present; merchant ${merchantId}`,
  );
} finally {
  await client.end();
}
