import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-env.js';
import { httpClient } from './http.js';
import { adminOf } from './localities.js';
import type { TestUser } from './users.js';

export interface TestRestaurant {
  id: string;
  merchantId: string;
  locality: string;
  timeZone: string;
}

export interface TestDish {
  id: string;
  restaurantId: string;
  priceCents: number;
  stock: number;
}

async function created<T>(what: string, res: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await res;
  if (status !== 201) throw new Error(`${what} failed: ${status} ${JSON.stringify(body)}`);
  return body as T;
}

/** A restaurant of `merchant` in `locality`, through the API. */
export function createRestaurant(app: TestApp, merchant: TestUser, locality: string, fields: Record<string, unknown> = {}): Promise<TestRestaurant> {
  return created('createRestaurant', httpClient(app.url).post('/api/v1/restaurants', { name: 'Chez Test', locality, ...fields }, merchant.token));
}

/** A dish (or, with `kind: 'addon'` and `dishIds`, an add-on) of the restaurant, through the API. */
export function createDish(app: TestApp, merchant: TestUser, restaurantId: string, fields: Record<string, unknown> = {}): Promise<TestDish> {
  const body = { sku: `D-${randomUUID().slice(0, 8)}`, name: 'Lentil dal', priceCents: 850, stock: 20, ...fields };
  return created('createDish', httpClient(app.url).post(`/api/v1/restaurants/${restaurantId}/dishes`, body, merchant.token));
}

/** POST /mealsets as an admin; the raw response (tests assert on refusals too). */
export async function postMealSet(app: TestApp, body: Record<string, unknown>) {
  return httpClient(app.url).post('/api/v1/mealsets', body, (await adminOf(app)).token);
}

/** A meal set through the admin API. */
export async function createMealSet(app: TestApp, locality: string, date: string, dishIds: string[]): Promise<{ id: string; date: string }> {
  return created('createMealSet', postMealSet(app, { locality, date, dishIds }));
}
