import type { HealthProfile } from '../../identity/index.js';
import type { Nutrient } from '../product.entity.js';
import { activeRules } from './active-rules.js';
import type { IngredientFlag } from './ingredient-keywords.js';
import { analyseIngredients, type IngredientAnalysis } from './ingredient-matcher.js';
import { NUTRIENT_UNITS, type IngredientRule, type Level, type NutrientRule, type RuleNutrient, type Subject } from './rules.js';

export type VerdictLevel = 'ok' | Level;

export interface VerdictReason {
  rule: string;
  level: Level;
  message: string;
  nutrient?: RuleNutrient;
  value?: number;
  limit?: number;
}

export interface Verdict {
  verdict: VerdictLevel;
  reasons: VerdictReason[];
}

/** What the engine needs to know of a product. */
export interface VerdictProduct {
  nutrition: Record<Nutrient, number | null>;
  ingredients: string;
  labels: readonly string[];
  allergens: readonly string[];
}

const NUTRIENT_NAMES: Record<RuleNutrient, string> = {
  energyKcal: 'Energy',
  protein: 'Protein',
  fat: 'Fat',
  saturatedFat: 'Saturated fat',
  carbohydrate: 'Carbohydrate',
  sugars: 'Sugars',
  fibre: 'Fibre',
  salt: 'Salt',
  iodineUg: 'Iodine',
  starch: 'Starch (carbohydrate − sugars)',
};

const FLAG_NAMES: Partial<Record<IngredientFlag, string>> = {
  gelatin: 'gelatine',
  'animal-derived': 'an animal-derived ingredient',
  'raw-milk': 'raw (unpasteurised) milk',
  liver: 'liver',
  'high-mercury-fish': 'a high-mercury fish',
  'iodine-rich': 'an iodine-rich ingredient',
};

function subjectName(subject: Subject): string {
  if ('condition' in subject) return subject.condition;
  if ('diet' in subject) return subject.diet;
  if ('allergen' in subject) return `${subject.allergen} allergy`;
  return 'personal';
}

function nutrientValue(nutrient: RuleNutrient, nutrition: VerdictProduct['nutrition']): number | null {
  if (nutrient !== 'starch') return nutrition[nutrient];
  const { carbohydrate, sugars } = nutrition;
  return carbohydrate === null || sugars === null ? null : Math.max(0, Math.round((carbohydrate - sugars) * 100) / 100);
}

function judgeNutrient(rule: NutrientRule, nutrition: VerdictProduct['nutrition']): VerdictReason | null {
  const unit = `${NUTRIENT_UNITS[rule.nutrient]}/100 g`;
  const name = NUTRIENT_NAMES[rule.nutrient];
  const limitName = 'personal' in rule.when ? 'your personal limit' : `the ${subjectName(rule.when)} limit`;
  const base = { rule: rule.id, nutrient: rule.nutrient };
  const value = nutrientValue(rule.nutrient, nutrition);
  if (value === null) {
    return {
      ...base,
      level: 'caution',
      limit: rule.avoid,
      message: `${name} is unknown, so it cannot be checked against ${limitName} of ${rule.avoid} ${unit}`,
    };
  }
  if (value > rule.avoid) {
    return { ...base, level: 'avoid', value, limit: rule.avoid, message: `${name} ${value} ${unit} is above ${limitName} of ${rule.avoid} ${unit}` };
  }
  if (rule.caution !== undefined && value > rule.caution) {
    return {
      ...base,
      level: 'caution',
      value,
      limit: rule.caution,
      message: `${name} ${value} ${unit} is above the ${subjectName(rule.when)} caution level of ${rule.caution} ${unit}`,
    };
  }
  return null;
}

function judgeIngredients(rule: IngredientRule, product: VerdictProduct, analysis: IngredientAnalysis): VerdictReason | 'unknown' | null {
  const flags = rule.flags;
  const hit = flags.find((f) => analysis.contains.has(f) || product.allergens.includes(f));
  const cleared = rule.clearedBy?.some((label) => product.labels.includes(label)) ?? false;
  if (hit && !cleared) {
    const term = analysis.contains.get(hit);
    const what = FLAG_NAMES[hit] ?? hit;
    const evidence = term ? `the ingredients mention "${term}"` : 'it is a declared allergen';
    return { rule: rule.id, level: rule.level, message: `Contains ${what} (${evidence}); not suitable for ${subjectName(rule.when)}` };
  }
  const trace = 'allergen' in rule.when ? flags.find((f) => analysis.traces.has(f)) : undefined;
  if (trace) return { rule: rule.id, level: 'caution', message: `May contain traces of ${trace} (precautionary labelling)` };
  const settled = (rule.settledBy?.some((label) => product.labels.includes(label)) ?? false) || ('allergen' in rule.when && product.allergens.length > 0);
  return !hit && !analysis.known && !settled ? 'unknown' : null;
}

/** Judges a product for a health profile: the worst level of all rule hits, one reason per hit. */
export function judge(product: VerdictProduct, profile: HealthProfile): Verdict {
  const analysis = analyseIngredients(product.ingredients, product.labels);
  const reasons: VerdictReason[] = [];
  const unknownReported = new Set<string>();
  for (const rule of activeRules(profile)) {
    const outcome = rule.kind === 'nutrient' ? judgeNutrient(rule, product.nutrition) : judgeIngredients(rule, product, analysis);
    if (outcome === 'unknown') {
      // One "ingredients unknown" reason per diet/condition/allergen, not one per keyword rule.
      const subject = subjectName(rule.when);
      if (!unknownReported.has(subject)) {
        unknownReported.add(subject);
        reasons.push({ rule: rule.id, level: 'caution', message: `No ingredient list, so it cannot be confirmed suitable for ${subject}` });
      }
    } else if (outcome) reasons.push(outcome);
  }
  const verdict: VerdictLevel = reasons.some((r) => r.level === 'avoid') ? 'avoid' : reasons.length ? 'caution' : 'ok';
  return { verdict, reasons };
}
