import { z } from 'zod';
import { ProductOutput } from '../catalog/index.js';
import { LocalitySlug } from '../localities/index.js';

export const MAX_DISHES_PER_SET = 5;

const DishIds = z
  .array(z.uuid())
  .min(1)
  .max(MAX_DISHES_PER_SET)
  .superRefine((ids, ctx) => {
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: [i], message: 'listed twice' });
    });
  });

export const CreateMealSetInput = z.object({ locality: LocalitySlug, date: z.iso.date().describe("the locality's local date"), dishIds: DishIds }).strict();
export const UpdateMealSetInput = z.object({ dishIds: DishIds }).strict();
export const MealSetParams = z.object({ id: z.uuid() }).strict();
export const MealSetQuery = z
  .object({
    locality: LocalitySlug.optional().describe("defaults to the caller's locality"),
    date: z.iso.date().optional().describe("defaults to today in the locality's time zone"),
  })
  .strict();

const SetDish = ProductOutput.extend({
  restaurant: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  addons: z.array(ProductOutput).describe('the add-ons that may be ordered with this dish'),
});

export const MealSetView = z.object({
  id: z.uuid(),
  locality: z.string(),
  date: z.iso.date(),
  orderCutoff: z.string().describe("the locality's cut-off, local time"),
  closesAt: z.iso.datetime().describe('when ordering from this set closes'),
  orderingOpen: z.boolean().describe('whether the set takes orders now (its date is today and the cut-off has not passed)'),
  dishes: z.array(SetDish).describe('with live `available` portions'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export type CreateMealSetInput = z.output<typeof CreateMealSetInput>;
export type UpdateMealSetInput = z.output<typeof UpdateMealSetInput>;
export type MealSetQuery = z.output<typeof MealSetQuery>;
export type MealSetView = z.output<typeof MealSetView>;
