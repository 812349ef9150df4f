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

interface Compiled {
  at: Map<string, number>;
  fields: ImportField[];
}
const compiledPlans = new WeakMap<ColumnPlan, Compiled>();

function compile(plan: ColumnPlan): Compiled {
  let compiled = compiledPlans.get(plan);
  if (!compiled) {
    const at = columnPositions(plan);
    compiled = { at, fields: [...new Set([...at.keys()].map((c) => FIELD_OF[c]))] };
    compiledPlans.set(plan, compiled);
  }
  return compiled;
}

/** The catalog fields a file gives (sku always: from the barcode when there is no sku column). */
export function fieldsOf(plan: ColumnPlan): ImportField[] {
  return compile(plan).fields;
}

/** Cells → the shape ProductImportRow validates; throws CellError for a cell that cannot be read. */
function readCells(cells: readonly string[], at: Map<string, number>): Record<string, unknown> {
  const cell = (column: string): string | undefined => {
    const i = at.get(column);
    return i === undefined ? undefined : (cells[i] ?? '');
  };
  /** The column's value through `reader`; undefined when the file has no such column or the cell gives nothing. */
  const read = <T>(column: string, reader: (c: string) => T | undefined): T | undefined => {
    const value = cell(column);
    if (value === undefined) return undefined;
    try {
      return reader(value);
    } catch (err) {
      throw err instanceof CellError ? new CellError(`${column}: ${err.message}`) : err;
    }
  };
  const currency = optionalText(cell('currency') ?? '')?.toUpperCase();
  const nutrition: Partial<Record<Nutrient, number | null>> = {};
  for (const n of NUTRIENTS) {
    const value = read(snake(n), (c) => decimalCell(c) ?? null);
    if (value !== undefined) nutrition[n] = value;
  }
  const input: Record<string, unknown> = {
    sku: (cell('sku') ?? cell('barcode') ?? '').trim(),
    name: (cell('name') ?? '').trim(),
    description: read('description', (c) => c),
    priceCents: read('price', (c) => priceCell(c, currency ?? 'EUR')) ?? read('price_cents', integerCell),
    currency,
    stock: read('stock', integerCell),
    barcode: read('barcode', (c) => optionalText(c) ?? null),
    category: read('category', optionalText),
    kind: read('kind', (c) => optionalText(c)?.toLowerCase()),
    active: read('active', booleanCell),
    ingredients: read('ingredients', (c) => c.trim()),
    labels: read('labels', listCell),
    allergens: read('allergens', listCell),
    nutrition: Object.keys(nutrition).length ? nutrition : undefined,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
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
      const { at } = compile(plan);
      let input: Record<string, unknown>;
      try {
        input = readCells(cells, at);
      } catch (err) {
        if (!(err instanceof CellError)) throw err;
        return { ok: false, reason: err.message, key: (cells[at.get('sku') ?? at.get('barcode') ?? -1] ?? '').trim() || null };
      }
      const parsed = ProductImportRow.safeParse(input);
      if (parsed.success) return { ok: true, row: parsed.data };
      return { ok: false, reason: reasonOf(parsed.error), key: (input.sku as string) || null };
    },
    openStage: (stageId) => bulk.openStage(stageId),
    prepare: (stageId) => bulk.prepare(stageId),
    async writeBatch(tx, emit, { stageId, merchantId, plan, fromRow, toRow }) {
      const outcome = await bulk.writeBatch(tx, emit, stageId, merchantId, fieldsOf(plan), { fromRow, toRow });
      return { upserted: outcome.inserted + outcome.updated, unchanged: outcome.unchanged, rejections: outcome.rejections };
    },
    diff: (stageId, merchantId, plan) => bulk.diff(stageId, merchantId, fieldsOf(plan)),
    dropStage: (stageId) => bulk.dropStage(stageId),
    announce: (emit, summary) => emit('products.imported', summary),
  };
}
