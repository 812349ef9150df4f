import { CreateMealSetInput, MealSetParams, MealSetQuery, MealSetView, UpdateMealSetInput } from '../../../domain/mealsets/index.js';
import type { Modules } from '../../../domain/modules.js';
import type { Api } from '../api.js';

const tags = ['meal sets'];
const admins = ['admin'] as const;

/** Daily meal sets per locality. */
export function registerMealSetRoutes(api: Api, { mealsets: { mealSets } }: Modules): void {
  api.add({
    method: 'post',
    path: '/mealsets',
    summary: "Compose a locality's meal set for a date: 1–5 active dishes of active restaurants (admin)",
    tags,
    auth: admins,
    body: CreateMealSetInput,
    responses: {
      201: { description: 'The meal set', schema: MealSetView },
      409: { description: 'The locality has a set on that date, or ordering for that date has closed' },
    },
    handler: ({ user, body }) => mealSets.create(user, body),
  });
  api.add({
    method: 'get',
    path: '/mealsets',
    summary: "The set of a locality (default: the caller's) on a date (default: today there), with dishes, add-ons and live portions",
    tags,
    auth: 'optional',
    query: MealSetQuery,
    responses: { 200: { description: 'The meal set', schema: MealSetView }, 404: { description: 'No set that day' } },
    handler: ({ user, query }) => mealSets.find(user, query),
  });
  api.add({
    method: 'get',
    path: '/mealsets/:id',
    summary: 'One meal set',
    tags,
    auth: 'optional',
    params: MealSetParams,
    responses: { 200: { description: 'The meal set', schema: MealSetView }, 404: { description: 'No such meal set' } },
    handler: ({ user, params }) => mealSets.get(user, params.id),
  });
  api.add({
    method: 'patch',
    path: '/mealsets/:id',
    summary: "Replace a set's dishes, until its locality's cut-off on its date (admin)",
    tags,
    auth: admins,
    params: MealSetParams,
    body: UpdateMealSetInput,
    responses: {
      200: { description: 'The meal set', schema: MealSetView },
      404: { description: 'No such meal set' },
      409: { description: 'Past the cut-off' },
    },
    handler: ({ user, params, body }) => mealSets.update(user, params.id, body),
  });
}
