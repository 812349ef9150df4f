import { NUTRIENTS, type Nutrient } from '../product.entity.js';

/** A product field a bulk import may set (nutrients by their own name). */
export type ImportField =
  | 'sku'
  | 'name'
  | 'description'
  | 'priceCents'
  | 'currency'
  | 'stock'
  | 'barcode'
  | 'category'
  | 'kind'
  | 'active'
  | 'ingredients'
  | 'labels'
  | 'allergens'
  | Nutrient;

/**
 * How one field is staged and written. `replace` fields take the file's value as it is (an empty
 * cell clears a barcode or a nutrient, empties a text or a list); `keep` fields keep the product's
 * value when the cell is empty (a price, a stock or a kind has no "empty").
 */
export interface FieldSpec {
  field: ImportField;
  column: string;
  sqlType: string;
  update: 'replace' | 'keep';
  /** The value a new product gets from staged `s.<column>` (null when the file does not give it). */
  insert: string;
}

const nutrientColumn = (n: Nutrient) => n.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Every importable field, in staging-table column order. */
export const FIELD_SPECS: readonly FieldSpec[] = [
  { field: 'sku', column: 'sku', sqlType: 'text', update: 'replace', insert: 's.sku' },
  { field: 'name', column: 'name', sqlType: 'text', update: 'replace', insert: 's.name' },
  { field: 'description', column: 'description', sqlType: 'text', update: 'replace', insert: `coalesce(s.description, '')` },
  { field: 'priceCents', column: 'price_cents', sqlType: 'integer', update: 'keep', insert: 'coalesce(s.price_cents, 0)' },
  { field: 'currency', column: 'currency', sqlType: 'text', update: 'keep', insert: `coalesce(s.currency, 'EUR')` },
  { field: 'stock', column: 'stock', sqlType: 'integer', update: 'keep', insert: 'coalesce(s.stock, 0)' },
  { field: 'barcode', column: 'barcode', sqlType: 'text', update: 'replace', insert: 's.barcode' },
  { field: 'category', column: 'category', sqlType: 'text', update: 'keep', insert: `coalesce(s.category, 'other')` },
  { field: 'kind', column: 'kind', sqlType: 'text', update: 'keep', insert: `coalesce(s.kind, 'grocery')` },
  // A product imported without a price is not for sale until it gets one (never sold at 0 by accident).
  { field: 'active', column: 'active', sqlType: 'boolean', update: 'keep', insert: 'coalesce(s.active, s.price_cents is not null)' },
  { field: 'ingredients', column: 'ingredients', sqlType: 'text', update: 'replace', insert: `coalesce(s.ingredients, '')` },
  { field: 'labels', column: 'labels', sqlType: 'text[]', update: 'replace', insert: `coalesce(s.labels, '{}')` },
  { field: 'allergens', column: 'allergens', sqlType: 'text[]', update: 'replace', insert: `coalesce(s.allergens, '{}')` },
  ...NUTRIENTS.map(
    (n): FieldSpec => ({ field: n, column: nutrientColumn(n), sqlType: 'double precision', update: 'replace', insert: `s.${nutrientColumn(n)}` }),
  ),
];

export const IMPORT_FIELDS: readonly ImportField[] = FIELD_SPECS.map((f) => f.field);

/** The specs of the fields a file gives, in column order (sku and name always). */
export function specsOf(fields: readonly ImportField[]): FieldSpec[] {
  const given = new Set<ImportField>(['sku', 'name', ...fields]);
  return FIELD_SPECS.filter((f) => given.has(f.field));
}

/**
 * `(t.a, t.b) is distinct from (s.a, coalesce(s.b, t.b))` over the given fields: whether a staged row
 * (alias `staged`) would change a product (alias `product`). Unchanged rows are neither rewritten nor counted.
 */
export function changesSql(specs: readonly FieldSpec[], product = 't', staged = 's'): string {
  const current = specs.map((f) => `${product}.${f.column}`);
  const next = specs.map((f) => (f.update === 'keep' ? `coalesce(${staged}.${f.column}, ${product}.${f.column})` : `${staged}.${f.column}`));
  return `(${current.join(', ')}) is distinct from (${next.join(', ')})`;
}
