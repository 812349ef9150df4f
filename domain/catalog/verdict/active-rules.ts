import type { HealthProfile } from '../../identity/index.js';
import { LIMIT_NUTRIENTS, RULES, type IngredientRule, type LimitKey, type NutrientRule, type Rule, type Subject } from './rules.js';

function applies(subject: Subject, profile: HealthProfile): boolean {
  if ('condition' in subject) return profile.conditions.includes(subject.condition);
  if ('diet' in subject) return profile.diets.includes(subject.diet);
  if ('allergen' in subject) return profile.allergens.includes(subject.allergen);
  return false;
}

/** A profile limit replaces the avoid threshold and pulls the caution threshold down to it. */
function personalise(rule: NutrientRule, limits: HealthProfile['limits']): NutrientRule {
  const limit = rule.limitKey ? limits?.[rule.limitKey] : undefined;
  if (limit === undefined) return rule;
  const caution = rule.caution === undefined || rule.caution >= limit ? undefined : rule.caution;
  return { ...rule, avoid: limit, caution, source: `${rule.source}; avoid limit set by the user's profile` };
}

/** Limits the user set for nutrients that none of their conditions already watches. */
function personalLimitRules(profile: HealthProfile, covered: Set<LimitKey>): NutrientRule[] {
  const limits = profile.limits ?? {};
  return (Object.keys(limits) as LimitKey[])
    .filter((key) => !covered.has(key) && limits[key] !== undefined)
    .map((key) => ({
      kind: 'nutrient',
      id: `limit.${key}`,
      when: { personal: key },
      nutrient: LIMIT_NUTRIENTS[key],
      avoid: limits[key]!,
      limitKey: key,
      source: "The user's own limit",
    }));
}

/** The rules that apply to a profile, with its personal limits folded in. */
export function activeRules(profile: HealthProfile): Rule[] {
  const chosen = RULES.filter((r) => applies(r.when, profile));
  const nutrientRules = chosen.filter((r): r is NutrientRule => r.kind === 'nutrient').map((r) => personalise(r, profile.limits));
  const covered = new Set(nutrientRules.flatMap((r) => (r.limitKey ? [r.limitKey] : [])));
  const ingredientRules = chosen.filter((r): r is IngredientRule => r.kind === 'ingredient');
  return [...nutrientRules, ...personalLimitRules(profile, covered), ...ingredientRules];
}
