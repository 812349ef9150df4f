import { ProductOutput } from '../../../domain/catalog/index.js';
import type { Modules } from '../../../domain/modules.js';
import {
  CreateDishInput,
  CreateRestaurantInput,
  ListRestaurantsQuery,
  RestaurantOutput,
  RestaurantPage,
  RestaurantParams,
  UpdateRestaurantInput,
} from '../../../domain/restaurants/index.js';
import type { Api, ResponseDoc } from '../api.js';

const tags = ['restaurants'];
const merchants = ['merchant'] as const; // admins pass every role rule
const notFound: Record<number, ResponseDoc> = { 404: { description: "No such restaurant (or another merchant's)" } };

/** Restaurants and their dishes and add-ons. */
export function registerRestaurantRoutes(api: Api, { restaurants: { restaurants } }: Modules): void {
  api.add({
    method: 'post',
    path: '/restaurants',
    summary: 'Create a restaurant (merchant: own; admin: for the merchant named)',
    tags,
    auth: merchants,
    body: CreateRestaurantInput,
    responses: { 201: { description: 'The restaurant', schema: RestaurantOutput } },
    handler: ({ user, body }) => restaurants.create(user, body),
  });
  api.add({
    method: 'get',
    path: '/restaurants',
    summary: 'Restaurants, oldest first, by locality or merchant',
    tags,
    auth: 'optional',
    query: ListRestaurantsQuery,
    responses: { 200: { description: 'A page of restaurants', schema: RestaurantPage } },
    handler: ({ user, query }) => restaurants.list(user, query),
  });
  api.add({
    method: 'get',
    path: '/restaurants/:id',
    summary: 'One restaurant',
    tags,
    auth: 'optional',
    params: RestaurantParams,
    responses: { 200: { description: 'The restaurant', schema: RestaurantOutput }, ...notFound },
    handler: ({ user, params }) => restaurants.get(user, params.id),
  });
  api.add({
    method: 'patch',
    path: '/restaurants/:id',
    summary: 'Change a restaurant (its merchant or an admin); `active: false` keeps its dishes out of new meal sets',
    tags,
    auth: merchants,
    params: RestaurantParams,
    body: UpdateRestaurantInput,
    responses: { 200: { description: 'The restaurant', schema: RestaurantOutput }, ...notFound },
    handler: ({ user, params, body }) => restaurants.update(user, params.id, body),
  });
  api.add({
    method: 'post',
    path: '/restaurants/:id/dishes',
    summary: 'Create a dish of the restaurant (kind dish), or an add-on (kind addon) of some of its dishes (dishIds)',
    tags,
    auth: merchants,
    params: RestaurantParams,
    body: CreateDishInput,
    responses: { 201: { description: 'The product', schema: ProductOutput }, ...notFound, 409: { description: 'SKU or barcode already in use' } },
    handler: ({ user, params, body }) => restaurants.createDish(user, params.id, body),
  });
}
