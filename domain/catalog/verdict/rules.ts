import { ALLERGENS, type Allergen, type Condition, type Diet } from '../../identity/index.js';
import type { Nutrient } from '../product.entity.js';
import type { IngredientFlag } from './ingredient-keywords.js';

/**
 * The verdict rules as data: which profile entry a rule serves, what it looks at and where its
 * threshold comes from. The engine (verdict-engine.ts) and the listing's `suitable` filter
 * (suitability-sql.ts) both read this table, so they cannot disagree.
 *
 * Nutrient thresholds are "above": a value strictly greater than `caution` / `avoid` triggers it.
 */
export type Level = 'caution' | 'avoid';
/** Whom a rule serves; `personal` marks rules built from a profile's own limits. */
export type Subject = { condition: Condition } | { diet: Diet } | { allergen: Allergen } | { personal: LimitKey };
/** Starch is not on labels; it is estimated as carbohydrate − sugars. */
export type RuleNutrient = Nutrient | 'starch';
export type LimitKey = 'saltG' | 'sugarG' | 'fatG' | 'saturatedFatG' | 'fibreG' | 'carbohydrateG' | 'proteinG' | 'energyKcal' | 'iodineUg';

export interface NutrientRule {
  kind: 'nutrient';
  id: string;
  when: Subject;
  nutrient: RuleNutrient;
  caution?: number;
  avoid: number;
  /** A profile limit under this key replaces `avoid` (and lowers `caution` to it when smaller). */
  limitKey?: LimitKey;
  source: string;
}

export interface IngredientRule {
  kind: 'ingredient';
  id: string;
  when: Subject;
  flags: IngredientFlag[];
  level: Level;
  /** Labels under which a hit does not count (a halal certificate covers the gelatine's origin). */
  clearedBy?: string[];
  /** Labels that settle an unknown ingredient list (no "ingredients unknown" caution). */
  settledBy?: string[];
  source: string;
}

export type Rule = NutrientRule | IngredientRule;

const FSA = 'UK FSA/DH front-of-pack guidance (2016), per 100 g';
const NHS_PREGNANCY = 'NHS, Foods to avoid in pregnancy (nhs.uk)';
const ANNEX_II = 'EU Regulation 1169/2011 Annex II (allergens)';

// biome-ignore format: the rule table reads as a table, one rule per line
export const RULES: Rule[] = [
  // Salt: FSA "low" ≤ 0.3 g/100 g, "high" > 1.5 g/100 g.
  { kind: 'nutrient', id: 'low-salt', when: { condition: 'low-salt' }, nutrient: 'salt', caution: 0.3, avoid: 1.5, limitKey: 'saltG', source: FSA },
  // Sugars: FSA "low" ≤ 5 g/100 g, "high" > 22.5 g/100 g.
  { kind: 'nutrient', id: 'diabetic', when: { condition: 'diabetic' }, nutrient: 'sugars', caution: 5, avoid: 22.5, limitKey: 'sugarG', source: FSA },
  // Fibre: EU Regulation 1924/2006 Annex: "source of fibre" ≥ 3 g/100 g, "high fibre" ≥ 6 g/100 g.
  { kind: 'nutrient', id: 'low-fibre', when: { condition: 'low-fibre' }, nutrient: 'fibre', caution: 3, avoid: 6, limitKey: 'fibreG', source: 'EU Regulation 1924/2006 Annex (fibre claims)' },
  // Iodine: American Thyroid Association low-iodine diet: < 20 µg per serving counts as low; avoid above
  // 50 µg/100 g, a third of the 150 µg adult reference intake (EU Regulation 1169/2011 Annex XIII).
  { kind: 'nutrient', id: 'iodine-restricted', when: { condition: 'iodine-restricted' }, nutrient: 'iodineUg', caution: 20, avoid: 50, limitKey: 'iodineUg', source: 'American Thyroid Association low-iodine diet; EU 1169/2011 Annex XIII reference intake' },
  // Iodine-rich ingredients (seaweed, iodised salt, erythrosine E127): ATA low-iodine diet food list.
  { kind: 'ingredient', id: 'iodine-restricted.iodine-rich', when: { condition: 'iodine-restricted' }, flags: ['iodine-rich'], level: 'avoid', source: 'American Thyroid Association low-iodine diet' },
  // Starch: no regulatory "low-starch" definition exists; these are the project's defaults (the
  // EU "low sugars" claim level of 5 g/100 g for caution, three times that for avoid).
  { kind: 'nutrient', id: 'low-starch', when: { condition: 'low-starch' }, nutrient: 'starch', caution: 5, avoid: 15, source: 'Project default modelled on EU Regulation 1924/2006 "low" claim levels' },
  // Pregnancy: NHS advice names alcohol, unpasteurised (raw-milk) cheese, liver and pâté, and
  // shark, swordfish and marlin (mercury).
  { kind: 'ingredient', id: 'pregnancy.alcohol', when: { condition: 'pregnancy' }, flags: ['alcohol'], level: 'avoid', source: NHS_PREGNANCY },
  { kind: 'ingredient', id: 'pregnancy.raw-milk', when: { condition: 'pregnancy' }, flags: ['raw-milk'], level: 'avoid', source: NHS_PREGNANCY },
  { kind: 'ingredient', id: 'pregnancy.liver', when: { condition: 'pregnancy' }, flags: ['liver'], level: 'avoid', source: NHS_PREGNANCY },
  { kind: 'ingredient', id: 'pregnancy.mercury', when: { condition: 'pregnancy' }, flags: ['high-mercury-fish'], level: 'avoid', source: NHS_PREGNANCY },
  // Halal: pork, alcohol and gelatine of unknown origin (Codex CAC/GL 24-1997); a halal label
  // certifies the whole product.
  { kind: 'ingredient', id: 'halal.pork', when: { diet: 'halal' }, flags: ['pork'], level: 'avoid', clearedBy: ['halal'], settledBy: ['halal'], source: 'Codex CAC/GL 24-1997 (halal)' },
  { kind: 'ingredient', id: 'halal.alcohol', when: { diet: 'halal' }, flags: ['alcohol'], level: 'avoid', clearedBy: ['halal'], settledBy: ['halal'], source: 'Codex CAC/GL 24-1997 (halal)' },
  { kind: 'ingredient', id: 'halal.gelatin', when: { diet: 'halal' }, flags: ['gelatin'], level: 'avoid', clearedBy: ['halal'], settledBy: ['halal'], source: 'Codex CAC/GL 24-1997 (halal)' },
  // Vegan: no animal products at all (The Vegan Society's definition), honey and carmine included.
  { kind: 'ingredient', id: 'vegan', when: { diet: 'vegan' }, flags: ['pork', 'meat', 'fish', 'crustaceans', 'molluscs', 'milk', 'eggs', 'honey', 'gelatin', 'animal-derived'], level: 'avoid', settledBy: ['vegan'], source: 'The Vegan Society, definition of veganism' },
  // Vegetarian: no slaughter products (The Vegetarian Society): meat, fish, gelatine, animal rennet.
  { kind: 'ingredient', id: 'vegetarian', when: { diet: 'vegetarian' }, flags: ['pork', 'meat', 'fish', 'crustaceans', 'molluscs', 'gelatin'], level: 'avoid', settledBy: ['vegan', 'vegetarian'], source: 'The Vegetarian Society, vegetarian criteria' },
  // Gluten-free: the Annex II cereals; a gluten-free label means ≤ 20 mg/kg (EU Regulation 828/2014),
  // which covers certified oats and wheat starch.
  { kind: 'ingredient', id: 'gluten-free', when: { diet: 'gluten-free' }, flags: ['gluten'], level: 'avoid', clearedBy: ['gluten-free'], settledBy: ['gluten-free'], source: 'EU Regulation 828/2014; 1169/2011 Annex II' },
  // Allergens: the 14 of Annex II; a precautionary "may contain" is a caution (handled by the engine).
  ...ALLERGENS.map((a): IngredientRule => ({ kind: 'ingredient', id: `allergen.${a}`, when: { allergen: a }, flags: [a], level: 'avoid', source: ANNEX_II })),
];

/** Personal limits without a rule of their own: `limits.fatG` alone still warns above it. */
export const LIMIT_NUTRIENTS: Record<LimitKey, Exclude<RuleNutrient, 'starch'>> = {
  saltG: 'salt',
  sugarG: 'sugars',
  fatG: 'fat',
  saturatedFatG: 'saturatedFat',
  fibreG: 'fibre',
  carbohydrateG: 'carbohydrate',
  proteinG: 'protein',
  energyKcal: 'energyKcal',
  iodineUg: 'iodineUg',
};

export const NUTRIENT_UNITS: Record<RuleNutrient, string> = {
  energyKcal: 'kcal',
  iodineUg: 'µg',
  protein: 'g',
  fat: 'g',
  saturatedFat: 'g',
  carbohydrate: 'g',
  sugars: 'g',
  fibre: 'g',
  salt: 'g',
  starch: 'g',
};
