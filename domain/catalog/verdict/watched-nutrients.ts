import type { Condition, HealthProfile } from '../../identity/index.js';
import { activeRules } from './active-rules.js';
import type { LimitKey, NutrientRule, RuleNutrient } from './rules.js';

/** A nutrient a profile watches, and why: a condition's verdict rule or one of the user's own limits. */
export interface WatchedNutrient {
  nutrient: RuleNutrient;
  /** The profile limit key that names this nutrient (absent for starch, which has none). */
  limitKey?: LimitKey;
  /** The condition whose rule watches it; absent when only the user's own limit does. */
  condition?: Condition;
  ruleId: string;
}

/**
 * The nutrients a health profile watches, from the same rule table the product verdicts use, so a
 * diary warns about exactly what the shop flags. (The thresholds here are per 100 g; daily amounts are the caller's.)
 */
export function watchedNutrients(profile: HealthProfile): WatchedNutrient[] {
  return activeRules(profile)
    .filter((r): r is NutrientRule => r.kind === 'nutrient')
    .map((r) => ({ nutrient: r.nutrient, limitKey: r.limitKey, condition: 'condition' in r.when ? r.when.condition : undefined, ruleId: r.id }));
}
