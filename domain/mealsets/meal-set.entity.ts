import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A locality's lunch offer for one day: one per locality and date, 1–5 restaurant dishes. */
export const MealSet = defineEntity({
  name: 'MealSet',
  tableName: 'meal_sets',
  properties: {
    id: p.uuid().primary(),
    locality: p.string(),
    /** `YYYY-MM-DD`, the locality's local date. */
    date: p.date(),
    createdBy: p.uuid().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type MealSet = InferEntity<typeof MealSet>;

export const MealSetDish = defineEntity({
  name: 'MealSetDish',
  tableName: 'meal_set_dishes',
  properties: {
    mealSetId: p.uuid().primary(),
    productId: p.uuid().primary(),
    position: p.integer(),
  },
});
export type MealSetDish = InferEntity<typeof MealSetDish>;
