import type { EntityManager } from '@mikro-orm/postgresql';
import { NUTRIENTS, type Nutrient } from './product.entity.js';

/** Nutrition per 100 g as the catalog knows it; null means unknown (never zero). */
export type Per100g = Record<Nutrient, number | null>;

/** What a food diary needs to know of a product: its name and nutrition per 100 g. */
export interface ProductNutritionFacts {
  id: string;
  name: string;
  per100g: Per100g;
}

type Row = { id: string; name: string } & Record<string, number | null>;

const COLUMNS: Record<Nutrient, string> = {
  energyKcal: 'energy_kcal',
  protein: 'protein',
  fat: 'fat',
  saturatedFat: 'saturated_fat',
  carbohydrate: 'carbohydrate',
  sugars: 'sugars',
  fibre: 'fibre',
  salt: 'salt',
  iodineUg: 'iodine_ug',
};
const SELECT = `select id, name, ${NUTRIENTS.map((n) => `${COLUMNS[n]} as "${n}"`).join(', ')} from products where id in (?)`;

/**
 * The catalog's read interface for nutrition: products by id (active or not: a meal eaten last month
 * may be of a product no longer sold), read at the moment of asking, so a diary stores what was true then.
 */
export class ProductNutrition {
  constructor(private readonly em: EntityManager) {}

  async find(ids: readonly string[]): Promise<Map<string, ProductNutritionFacts>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.em.execute<Row[]>(SELECT, [unique]);
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, per100g: Object.fromEntries(NUTRIENTS.map((n) => [n, r[n]])) as Per100g }]));
  }
}
