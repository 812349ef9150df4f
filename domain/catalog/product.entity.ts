import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const PRODUCT_KINDS = ['grocery', 'dish', 'addon'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** Nutrition per 100 g, in grams unless the name carries a unit; null means unknown (never zero). */
export const NUTRIENTS = ['energyKcal', 'protein', 'fat', 'saturatedFat', 'carbohydrate', 'sugars', 'fibre', 'salt', 'iodineUg'] as const;
export type Nutrient = (typeof NUTRIENTS)[number];

const nutrient = () => p.double().runtimeType('number').nullable();

/**
 * A sellable item. `version` and `stockVersion` are bumped by database triggers (see the catalog
 * migration) so every writer — this entity, raw checkout updates, bulk imports — advances them.
 */
export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    merchantId: p.uuid(),
    /** The restaurant a dish or add-on belongs to (set through a restaurant, never by a product write). */
    restaurantId: p.uuid().nullable(),
    sku: p.string(),
    name: p.string(),
    description: p.text().default(''),
    priceCents: p.integer(),
    currency: p.string().default('EUR'),
    stock: p.integer().default(0),
    stockVersion: p.bigint('number').default(1),
    barcode: p.string().nullable(),
    category: p.string().default('other'),
    kind: p.enum(PRODUCT_KINDS).default('grocery'),
    energyKcal: nutrient(),
    protein: nutrient(),
    fat: nutrient(),
    saturatedFat: nutrient(),
    carbohydrate: nutrient(),
    sugars: nutrient(),
    fibre: nutrient(),
    salt: nutrient(),
    iodineUg: nutrient(),
    ingredients: p.text().default(''),
    ingredientFlags: p.array().default([]),
    labels: p.array().default([]),
    allergens: p.array().default([]),
    active: p.boolean().default(true),
    /** Units one customer may hold in carts and have ordered (orders not cancelled) in all; null: no cap. */
    maxPerCustomer: p.integer().nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type Product = InferEntity<typeof Product>;
