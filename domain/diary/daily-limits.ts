import { LIMIT_NUTRIENTS, NUTRIENT_UNITS, watchedNutrients, type LimitKey, type RuleNutrient } from '../catalog/index.js';
import type { Condition, HealthProfile } from '../identity/index.js';
import type { DailyLimitView } from './diary.schemas.js';

interface Reference {
  limit: number;
  source: string;
}

const EU_RI = 'EU Regulation 1169/2011 Annex XIII Part B, reference intake of an average adult per day';

/**
 * Daily amounts for a condition's watched nutrient. The verdict rules (catalog) decide which nutrient
 * a condition watches; their thresholds are per 100 g of a product, these are per day of eating.
 */
// biome-ignore format: a table, one condition per line
const CONDITION_DAILY: Partial<Record<Condition, Reference>> = {
  'low-salt': { limit: 5, source: 'WHO guideline: sodium intake for adults and children (2012): < 2 g sodium = 5 g salt per day' },
  diabetic: { limit: 50, source: 'WHO guideline: sugars intake for adults and children (2015): free sugars < 10% of 2,000 kcal = 50 g per day (labels give total sugars, so this errs on the safe side)' },
  'low-fibre': { limit: 10, source: 'Low-fibre (low-residue) diet: about 10–15 g fibre per day (Mayo Clinic patient guidance); the lower bound' },
  'iodine-restricted': { limit: 50, source: 'American Thyroid Association low-iodine diet: < 50 µg iodine per day' },
  'low-starch': { limit: 50, source: 'Project default: no published daily reference for a low-starch diet exists' },
};

/** For a nutrient watched only through the user's own per-100 g limit (no condition): the general reference intake. */
// biome-ignore format: a table, one nutrient per line
const GENERAL_DAILY: Partial<Record<RuleNutrient, Reference>> = {
  energyKcal: { limit: 2000, source: EU_RI },
  fat: { limit: 70, source: EU_RI },
  saturatedFat: { limit: 20, source: EU_RI },
  carbohydrate: { limit: 260, source: EU_RI },
  sugars: { limit: 90, source: EU_RI },
  protein: { limit: 50, source: EU_RI },
  salt: { limit: 6, source: EU_RI },
  iodineUg: { limit: 150, source: 'EU Regulation 1169/2011 Annex XIII Part A, reference intake per day' },
  fibre: { limit: 25, source: 'EFSA dietary reference value for fibre (2010): 25 g per day for adults' },
};

const PERSONAL = "The user's own daily limit (health profile dailyLimits)";

/**
 * The daily limits a profile's day is checked against, one per nutrient, strictest first: the user's
 * own `dailyLimits` win; else the strictest default of the conditions that watch the nutrient; else,
 * for a nutrient the user watches with a per-100 g limit alone, the general reference intake.
 */
export function dailyLimits(profile: HealthProfile): DailyLimitView[] {
  const chosen = new Map<RuleNutrient, Reference>();
  const consider = (nutrient: RuleNutrient, ref: Reference | undefined) => {
    const current = chosen.get(nutrient);
    if (ref && (!current || ref.limit < current.limit)) chosen.set(nutrient, ref);
  };
  for (const watched of watchedNutrients(profile)) {
    consider(watched.nutrient, watched.condition ? CONDITION_DAILY[watched.condition] : GENERAL_DAILY[watched.nutrient]);
  }
  for (const [key, limit] of Object.entries(profile.dailyLimits ?? {}) as Array<[LimitKey, number | undefined]>) {
    if (limit !== undefined) chosen.set(LIMIT_NUTRIENTS[key], { limit, source: PERSONAL });
  }
  return [...chosen].map(([nutrient, ref]) => ({ nutrient, limit: ref.limit, unit: NUTRIENT_UNITS[nutrient], source: ref.source }));
}
