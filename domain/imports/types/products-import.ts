import type { z } from 'zod';
import { NUTRIENTS, ProductImportRow, type ImportField, type Nutrient, type ProductBulk } from '../../catalog/index.js';
import { columnPositions, type ColumnPlan, type ColumnSchema } from '../csv-columns.js';
import type { ImportType, RowResult } from '../import-type.js';
import { booleanCell, CellError, decimalCell, integerCell, listCell, optionalText, priceCell } from './product-cells.js';

const snake = (n: string) => n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The catalog field each column fills (price and price_cents are the same field, in two units). */
const FIELD_OF: Readonly<Record<string, ImportField>> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  price: 'priceCents',
  price_cents: 'priceCents',
  currency: 'currency',
  stock: 'stock',
  barcode: 'barcode',
  category: 'category',
  kind: 'kind',
  active: 'active',
  ingredients: 'ingredients',
  labels: 'labels',
  allergens: 'allergens',
  ...Object.fromEntries(NUTRIENTS.map((n) => [snake(n), n])),
};

/** Fulfil's `name,sku,description` and the catalog's fields; Open Food Facts spellings as aliases. */
export const PRODUCT_COLUMNS: ColumnSchema = {
  known: Object.keys(FIELD_OF),
  aliases: {
    product_name: 'name',
    title: 'name',
    code: 'barcode',
    ean: 'barcode',
    gtin: 'barcode',
    upc: 'barcode',
    quantity_in_stock: 'stock',
    energy_kcal_100g: 'energy_kcal',
    proteins: 'protein',
    proteins_100g: 'protein',
    fat_100g: 'fat',
    saturated_fat_100g: 'saturated_fat',
    carbohydrates: 'carbohydrate',
    carbohydrates_100g: 'carbohydrate',
    sugars_100g: 'sugars',
    fiber: 'fibre',
    fiber_100g: 'fibre',
    fibre_100g: 'fibre',
    salt_100g: 'salt',
  },
  // Without a sku column the barcode is the SKU (Open Food Facts exports identify products by it).
  required: [['name'], ['sku', 'barcode']],
  exclusive: [['price', 'price_cents']],
};

/** How one column's cell becomes a field of the row (undefined: not given). */
interface CellReader {
  column: string;
  key: string;
  nutrient?: Nutrient;
  read(cell: string, currency: string): unknown;
}

const READER_OF: Readonly<Record<string, Omit<CellReader, 'column'>>> = {
  description: { key: 'description', read: (c) => c },
  price: { key: 'priceCents', read: (c, currency) => priceCell(c, currency) },
  price_cents: { key: 'priceCents', read: integerCell },
  currency: { key: 'currency', read: (c) => optionalText(c)?.toUpperCase() },
  stock: { key: 'stock', read: integerCell },
  barcode: { key: 'barcode', read: (c) => optionalText(c) ?? null },
  category: { key: 'category', read: optionalText },
  kind: { key: 'kind', read: (c) => optionalText(c)?.toLowerCase() },
  active: { key: 'active', read: booleanCell },
  ingredients: { key: 'ingredients', read: (c) => c.trim() },
  labels: { key: 'labels', read: listCell },
  allergens: { key: 'allergens', read: listCell },
  ...Object.fromEntries(NUTRIENTS.map((n) => [snake(n), { key: 'nutrition', nutrient: n, read: (c: string) => decimalCell(c) ?? null }])),
};

interface Compiled {
  at: Map<string, number>;
  fields: ImportField[];
  /** The readers of the columns the file has, with their positions. */
  readers: Array<CellReader & { position: number }>;
}
const compiledPlans = new WeakMap<ColumnPlan, Compiled>();

function compile(plan: ColumnPlan): Compiled {
  let compiled = compiledPlans.get(plan);
  if (!compiled) {
    const at = columnPositions(plan);
    const readers = [...at].filter(([column]) => READER_OF[column]).map(([column, position]) => ({ column, position, ...READER_OF[column] }));
    compiled = { at, fields: [...new Set([...at.keys()].map((c) => FIELD_OF[c]))], readers };
    compiledPlans.set(plan, compiled);
  }
  return compiled;
}

/** The catalog fields a file gives (sku always: from the barcode when there is no sku column). */
export function fieldsOf(plan: ColumnPlan): ImportField[] {
  return compile(plan).fields;
}

/** Cells → the shape ProductImportRow validates (only what the row gives); throws CellError for a cell that cannot be read. */
function readCells(cells: readonly string[], { at, readers }: Compiled): Record<string, unknown> {
  const keyAt = at.get('sku') ?? at.get('barcode');
  const currencyAt = at.get('currency');
  const currency = (currencyAt === undefined ? undefined : optionalText(cells[currencyAt] ?? '')?.toUpperCase()) ?? 'EUR';
  const input: Record<string, unknown> = { sku: (keyAt === undefined ? '' : (cells[keyAt] ?? '')).trim(), name: (cells[at.get('name') ?? -1] ?? '').trim() };
  let nutrition: Partial<Record<Nutrient, unknown>> | undefined;
  for (const reader of readers) {
    let value: unknown;
    try {
      value = reader.read(cells[reader.position] ?? '', currency);
    } catch (err) {
      throw err instanceof CellError ? new CellError(`${reader.column}: ${err.message}`) : err;
    }
    if (value === undefined) continue;
    if (!reader.nutrient) input[reader.key] = value;
    else {
      nutrition ??= {};
      nutrition[reader.nutrient] = value;
    }
  }
  if (nutrition) input.nutrition = nutrition;
  return input;
}

/** A zod issue as the merchant reads it: the column, then what is wrong. */
function reasonOf(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const [field, sub] = issue.path.map(String);
      const column = field === 'nutrition' && sub ? snake(sub) : field === 'priceCents' ? 'price' : snake(field ?? 'row');
      return `${column}: ${issue.message}`;
    })
    .join('; ');
}

/** Products: validated by the catalog's own schema, staged and written by the catalog (`catalog.bulk`). */
export function productsImport(bulk: ProductBulk): ImportType<ProductImportRow> {
  return {
    name: 'products',
    columns: PRODUCT_COLUMNS,
    parseRow(cells, plan): RowResult<ProductImportRow> {
      const compiled = compile(plan);
      const { at } = compiled;
      let input: Record<string, unknown>;
      try {
        input = readCells(cells, compiled);
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        return { ok: false, reason: err.message, key: (cells[at.get('sku') ?? at.get('barcode') ?? -1] ?? '').trim() || null };
      }
      const parsed = ProductImportRow.safeParse(input);
      if (parsed.success) return { ok: true, row: parsed.data };
      return { ok: false, reason: reasonOf(parsed.error), key: (input.sku as string) || null };
    },
    openStage: (stageId) => bulk.openStage(stageId),
    prepare: (stageId, merchantId, plan) => bulk.prepare(stageId, merchantId, fieldsOf(plan)),
    async writeBatch(tx, emit, { stageId, merchantId, plan, fromRow, toRow }) {
      const outcome = await bulk.writeBatch(tx, emit, stageId, merchantId, fieldsOf(plan), { fromRow, toRow });
      return { upserted: outcome.inserted + outcome.updated, unchanged: outcome.unchanged, rejections: outcome.rejections };
    },
    diff: (stageId, merchantId, plan) => bulk.diff(stageId, merchantId, fieldsOf(plan)),
    dropStage: (stageId) => bulk.dropStage(stageId),
    announce: (emit, summary) => emit('products.imported', summary),
  };
}
