import type { ProductOutput } from './catalog.schemas.js';
import { raw, type Sql } from '../shared/sql.js';

/** A product as clients see it, minus `available` (live from the inventory, never cached). */
export type ProductData = Omit<ProductOutput, 'available'>;

/** The row shape of PRODUCT_COLUMNS. */
export interface ProductRow {
  id: string;
  merchant_id: string;
  restaurant_id: string | null;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  currency: string;
  stock: number;
  barcode: string | null;
  category: string;
  kind: ProductData['kind'];
  labels: string[];
  allergens: string[];
  ingredients: string;
  energy_kcal: number | null;
  protein: number | null;
  fat: number | null;
  saturated_fat: number | null;
  carbohydrate: number | null;
  sugars: number | null;
  fibre: number | null;
  salt: number | null;
  iodine_ug: number | null;
  active: boolean;
  max_per_customer: number | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** Every column a product response needs, qualified by the alias `p`. */
// biome-ignore format: a column list, not one per line
export const PRODUCT_COLUMNS: Sql = raw(
  [
    'id', 'merchant_id', 'restaurant_id', 'sku', 'name', 'description', 'price_cents', 'currency', 'stock', 'barcode', 'category', 'kind',
    'labels', 'allergens', 'ingredients', 'energy_kcal', 'protein', 'fat', 'saturated_fat', 'carbohydrate', 'sugars',
    'fibre', 'salt', 'iodine_ug', 'active', 'max_per_customer', 'created_at', 'updated_at',
  ]
    .map((c) => `p.${c}`)
    .join(', '),
);

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const iso = (v: Date | string): string => new Date(v).toISOString();

/** Maps a products row to the response shape. */
export function toProductData(r: ProductRow): ProductData {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    restaurantId: r.restaurant_id ?? null,
    sku: r.sku,
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    currency: r.currency,
    stock: r.stock,
    barcode: r.barcode,
    category: r.category,
    kind: r.kind,
    labels: r.labels,
    allergens: r.allergens,
    ingredients: r.ingredients,
    nutrition: {
      energyKcal: num(r.energy_kcal),
      protein: num(r.protein),
      fat: num(r.fat),
      saturatedFat: num(r.saturated_fat),
      carbohydrate: num(r.carbohydrate),
      sugars: num(r.sugars),
      fibre: num(r.fibre),
      salt: num(r.salt),
      iodineUg: num(r.iodine_ug),
    },
    active: r.active,
    maxPerCustomer: r.max_per_customer,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
