import type { HealthProfile } from '../../identity/index.js';
import { join, raw, sql, textArray, type Sql } from '../../shared/sql.js';
import { activeRules } from './active-rules.js';
import type { IngredientRule, NutrientRule } from './rules.js';

const COLUMNS = {
  energyKcal: 'energy_kcal',
  protein: 'protein',
  fat: 'fat',
  saturatedFat: 'saturated_fat',
  carbohydrate: 'carbohydrate',
  sugars: 'sugars',
  fibre: 'fibre',
  salt: 'salt',
  iodineUg: 'iodine_ug',
} as const;

/** Unknown values are a caution, not an avoid, so they pass; starch is rounded as the engine rounds it. */
function nutrientWithinLimit(rule: NutrientRule): Sql {
  if (rule.nutrient === 'starch') {
    return sql`(p.carbohydrate is null or p.sugars is null or round(greatest(p.carbohydrate - p.sugars, 0)::numeric, 2) <= ${rule.avoid})`;
  }
  const column = raw(`p.${COLUMNS[rule.nutrient]}`);
  return sql`(${column} is null or ${column} <= ${rule.avoid})`;
}

function ingredientsClear(rule: IngredientRule): Sql {
  const flags = textArray(rule.flags);
  const hit = sql`(p.ingredient_flags && ${flags} or p.allergens && ${flags})`;
  return rule.clearedBy?.length ? sql`(p.labels && ${textArray(rule.clearedBy)} or not ${hit})` : sql`not ${hit}`;
}

/**
 * The listing's `suitable=true` as SQL over the stored ingredient flags: true when no rule of the
 * profile would answer `avoid` (cautions pass; the product page explains them).
 */
export function suitabilityPredicate(profile: HealthProfile): Sql {
  const parts = activeRules(profile).flatMap((rule) => {
    if (rule.kind === 'nutrient') return [nutrientWithinLimit(rule)];
    return rule.level === 'avoid' ? [ingredientsClear(rule)] : [];
  });
  return join(parts, ' and ', 'true');
}
