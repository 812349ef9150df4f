import { NUTRIENTS, type Per100g, type ProductNutritionFacts } from '../catalog/index.js';
import { AppError, type FieldError } from '../shared/app-error.js';
import type { DiaryItemInput, DiaryItemView, NutritionView } from './diary.schemas.js';

/** Amounts are kept to the milligram (0.001 g / kcal / µg): enough for salt, free of float noise. */
const round = (value: number) => Math.round(value * 1000) / 1000;

/** A full per-100 g record from a partial one (what is not given is unknown). */
export function completePer100g(partial: Partial<Record<(typeof NUTRIENTS)[number], number>>): Per100g {
  return Object.fromEntries(NUTRIENTS.map((n) => [n, partial[n] ?? null])) as Per100g;
}

/** What `grams` of a food with these values per 100 g holds. */
export function scale(per100g: Per100g, grams: number): NutritionView {
  return Object.fromEntries(NUTRIENTS.map((n) => [n, per100g[n] === null ? null : round((per100g[n] * grams) / 100)])) as NutritionView;
}

/** Sum per nutrient over the items; null where no item knows the nutrient. */
export function sumNutrition(parts: readonly NutritionView[]): NutritionView {
  const totals = Object.fromEntries(NUTRIENTS.map((n) => [n, null])) as Record<string, number | null>;
  for (const part of parts) {
    for (const n of NUTRIENTS) {
      const v = part[n];
      if (v !== null) totals[n] = round((totals[n] ?? 0) + v);
    }
  }
  return totals as NutritionView;
}

/**
 * The stored items of an entry: product items take the product's name and nutrition as the catalog has
 * them now (so later product edits do not rewrite history), free items their own. Unknown products are
 * refused naming the item.
 */
export function resolveItems(items: readonly DiaryItemInput[], products: Map<string, ProductNutritionFacts>): DiaryItemView[] {
  const errors: FieldError[] = [];
  const resolved = items.map((item, i) => {
    if ('productId' in item) {
      const product = products.get(item.productId);
      if (!product) {
        errors.push({ path: `items.${i}.productId`, message: 'No such product' });
        return null;
      }
      return { productId: product.id, name: product.name, grams: item.grams, per100g: product.per100g, nutrition: scale(product.per100g, item.grams) };
    }
    const per100g = completePer100g(item.nutrition);
    return { productId: null, name: item.name, grams: item.grams, per100g, nutrition: scale(per100g, item.grams) };
  });
  if (errors.length) throw AppError.validation(errors);
  return resolved as DiaryItemView[];
}

/** The product ids an entry's items name. */
export function productIdsOf(items: readonly DiaryItemInput[]): string[] {
  return items.flatMap((item) => ('productId' in item ? [item.productId] : []));
}
