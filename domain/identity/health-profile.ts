import { z } from 'zod';

/** Medical conditions a profile can carry; catalog verdict rules key on these names. */
export const CONDITIONS = ['low-salt', 'iodine-restricted', 'low-fibre', 'low-starch', 'pregnancy', 'diabetic'] as const;
/** Diets by choice or faith. */
export const DIETS = ['vegan', 'vegetarian', 'halal', 'gluten-free'] as const;
/** The 14 allergens EU Regulation 1169/2011 (Annex II) requires to be declared. */
export const ALLERGENS = [
  'gluten',
  'crustaceans',
  'eggs',
  'fish',
  'peanuts',
  'soybeans',
  'milk',
  'nuts',
  'celery',
  'mustard',
  'sesame',
  'sulphites',
  'lupin',
  'molluscs',
] as const;

export type Condition = (typeof CONDITIONS)[number];
export type Diet = (typeof DIETS)[number];
export type Allergen = (typeof ALLERGENS)[number];

const limit = z.number().nonnegative().max(100_000);

/** Optional personal limits per 100 g (grams unless the name says otherwise); they override rule defaults. */
export const HealthLimits = z
  .object({
    saltG: limit,
    sugarG: limit,
    fatG: limit,
    saturatedFatG: limit,
    fibreG: limit,
    carbohydrateG: limit,
    proteinG: limit,
    energyKcal: limit,
    iodineUg: limit,
  })
  .partial()
  .strict();

export const HealthProfile = z
  .object({
    conditions: z.array(z.enum(CONDITIONS)).max(CONDITIONS.length).default([]),
    diets: z.array(z.enum(DIETS)).max(DIETS.length).default([]),
    allergens: z.array(z.enum(ALLERGENS)).max(ALLERGENS.length).default([]),
    limits: HealthLimits.optional(),
    /** Personal limits per day (the food diary's summary), same keys; they override the diary's daily defaults. */
    dailyLimits: HealthLimits.optional(),
  })
  .strict()
  .transform((p) => ({ ...p, conditions: [...new Set(p.conditions)], diets: [...new Set(p.diets)], allergens: [...new Set(p.allergens)] }));

export type HealthProfile = z.output<typeof HealthProfile>;
