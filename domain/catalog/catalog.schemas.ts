import { z } from 'zod';
import { ALLERGENS } from '../identity/index.js';
import { PageQuery, pageSchema } from '../shared/pagination.js';
import { isValidGtin } from './barcode.js';
import { NUTRIENTS, PRODUCT_KINDS } from './product.entity.js';
import { text } from '../shared/text.js';

/** Lower-case words joined by hyphens: category and label names (`dairy`, `gluten-free`). */
const Slug = z
  .string()
  .trim()
  .toLowerCase()
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. "gluten-free"');
const NoControlChars = /^[^\p{Cc}]*$/u;
const Barcode = z
  .string()
  .trim()
  .regex(/^(\d{8}|\d{12}|\d{13})$/, 'must be an EAN-8, UPC-A (12) or EAN-13 barcode')
  .refine(isValidGtin, 'check digit does not match');
const grams = z.number().min(0).max(100).nullable();

/** Nutrition per 100 g; null or absent means unknown (never zero). */
export const Nutrition = z
  .object({
    energyKcal: z.number().min(0).max(1000).nullable(),
    protein: grams,
    fat: grams,
    saturatedFat: grams,
    carbohydrate: grams,
    sugars: grams,
    fibre: grams,
    salt: grams,
    iodineUg: z.number().min(0).max(100_000).nullable(),
  })
  .partial()
  .strict();

/** Fields a merchant sets; no defaults here so PATCH only changes what was sent. */
const productFields = {
  sku: text().trim().min(1).max(64).regex(NoControlChars, 'must not contain control characters'),
  name: text().trim().min(1).max(200).regex(NoControlChars, 'must not contain control characters'),
  description: text().max(5000),
  priceCents: z.number().int().min(0).max(2_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. EUR'),
  stock: z.number().int().min(0).max(2_000_000_000),
  barcode: Barcode.nullable(),
  category: Slug.min(1),
  kind: z.enum(PRODUCT_KINDS),
  nutrition: Nutrition,
  ingredients: text().max(10_000),
  labels: z.array(Slug.min(1)).max(30),
  allergens: z.array(z.enum(ALLERGENS)).max(ALLERGENS.length),
  active: z.boolean(),
  maxPerCustomer: z.number().int().min(1).max(999).nullable().describe('units one customer may reserve and order in all (orders not cancelled); null: no cap'),
};

export const CreateProductInput = z
  .object({
    ...productFields,
    description: productFields.description.default(''),
    currency: productFields.currency.default('EUR'),
    stock: productFields.stock.default(0),
    barcode: productFields.barcode.optional(),
    category: productFields.category.default('other'),
    kind: productFields.kind.default('grocery'),
    nutrition: productFields.nutrition.default({}),
    ingredients: productFields.ingredients.default(''),
    labels: productFields.labels.default([]),
    allergens: productFields.allergens.default([]),
    active: productFields.active.default(true),
    maxPerCustomer: productFields.maxPerCustomer.default(null),
    /** Admins create products on behalf of a merchant; merchants always create their own. */
    merchantId: z.uuid().optional(),
  })
  .strict();
export const UpdateProductInput = z.object(productFields).partial().strict();

/**
 * One product row of a bulk import, validated with the very field rules of create and update. Only the
 * key fields are required; an absent field is "not given" (kept on update, defaulted on insert), a null
 * barcode or nutrient clears it.
 */
export const ProductImportRow = z.object(productFields).partial().required({ sku: true, name: true }).strict();

export const ProductIdParams = z.object({ id: z.uuid() }).strict();
export const BarcodeParams = z.object({ code: Barcode }).strict();

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const PRODUCT_SORTS = ['name', 'price', '-price', 'newest'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export const ListProductsQuery = PageQuery.extend({
  q: text().trim().min(1).max(100).regex(NoControlChars, 'must not contain control characters').optional(),
  category: Slug.optional(),
  kind: z.enum(PRODUCT_KINDS).optional(),
  label: Slug.optional(),
  merchantId: z.uuid().optional(),
  minPriceCents: z.coerce.number().int().min(0).max(2_000_000_000).optional(),
  maxPriceCents: z.coerce.number().int().min(0).max(2_000_000_000).optional(),
  inStock: flag.optional(),
  suitable: flag.optional(),
  sort: z.enum(PRODUCT_SORTS).optional(),
})
  .strict()
  .refine((q) => q.minPriceCents === undefined || q.maxPriceCents === undefined || q.minPriceCents <= q.maxPriceCents, {
    path: ['maxPriceCents'],
    message: 'must not be below minPriceCents',
  });

export const DeleteProductsQuery = z
  .object({
    confirm: z.literal('all', 'must be "all" to delete every product of the merchant'),
    merchantId: z.uuid().optional().describe('admin only: whose products to delete'),
  })
  .strict();

const NutritionOutput = z.object(
  Object.fromEntries(NUTRIENTS.map((n) => [n, z.number().nullable()])) as Record<(typeof NUTRIENTS)[number], z.ZodNullable<z.ZodNumber>>,
);

export const ProductOutput = z.object({
  id: z.uuid(),
  merchantId: z.uuid(),
  restaurantId: z.uuid().nullable().describe('the restaurant of a dish or add-on created through POST /restaurants/:id/dishes'),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  available: z.number().int().describe('stock minus live cart reservations'),
  barcode: z.string().nullable(),
  category: z.string(),
  kind: z.enum(PRODUCT_KINDS),
  labels: z.array(z.string()),
  allergens: z.array(z.string()),
  ingredients: z.string(),
  nutrition: NutritionOutput,
  active: z.boolean(),
  maxPerCustomer: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const ProductPage = pageSchema(ProductOutput);

export const VerdictOutput = z.object({
  verdict: z.enum(['ok', 'caution', 'avoid']),
  reasons: z.array(
    z.object({
      rule: z.string(),
      level: z.enum(['caution', 'avoid']),
      message: z.string(),
      nutrient: z.string().optional(),
      value: z.number().optional(),
      limit: z.number().optional(),
    }),
  ),
});
export const ProductWithVerdict = ProductOutput.extend({ verdict: VerdictOutput.optional() });
export const CategoryOutput = z.object({ slug: z.string(), name: z.string(), productCount: z.number().int() });
export const JobAccepted = z.object({ jobId: z.string() });

export type CreateProductInput = z.output<typeof CreateProductInput>;
export type UpdateProductInput = z.output<typeof UpdateProductInput>;
export type ProductImportRow = z.output<typeof ProductImportRow>;
export type ListProductsQuery = z.output<typeof ListProductsQuery>;
export type ProductOutput = z.output<typeof ProductOutput>;
export type CategoryOutput = z.output<typeof CategoryOutput>;
