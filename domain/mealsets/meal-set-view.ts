import type { CatalogModule } from '../catalog/index.js';
import type { LocalityOutput } from '../localities/index.js';
import type { RestaurantsService } from '../restaurants/index.js';
import type { Actor } from '../shared/actor.js';
import type { MealSetRecord } from './meal-set-store.js';
import type { MealSetView } from './mealsets.schemas.js';
import { orderingWindow } from './ordering-window.js';

export interface MealSetViewDeps {
  catalog: Pick<CatalogModule, 'service' | 'forSale'>;
  restaurants: Pick<RestaurantsService, 'summaries'>;
}

/** A meal set as clients see it: its dishes with live portions, each with its add-ons and restaurant. */
export async function buildMealSetView(
  d: MealSetViewDeps,
  caller: Actor | undefined,
  set: MealSetRecord,
  locality: LocalityOutput,
  now: Date,
): Promise<MealSetView> {
  const [dishes, links] = await Promise.all([d.catalog.service.many(caller, set.dishIds), d.catalog.forSale.addonLinks(set.dishIds)]);
  const pairs = [...links].map((l) => l.split(':') as [string, string]);
  const [addons, restaurants] = await Promise.all([
    d.catalog.service.many(caller, [...new Set(pairs.map(([, addonId]) => addonId))]),
    d.restaurants.summaries(dishes.flatMap((dish) => dish.restaurantId ?? [])),
  ]);
  const addonById = new Map(addons.map((a) => [a.id, a]));
  const window = orderingWindow(locality, set.date, now);
  return {
    id: set.id,
    locality: set.locality,
    date: set.date,
    orderCutoff: locality.orderCutoff,
    closesAt: window.closesAt.toISOString(),
    orderingOpen: window.state === 'open',
    dishes: dishes.map((dish) => {
      const restaurant = dish.restaurantId ? restaurants.get(dish.restaurantId) : undefined;
      return {
        ...dish,
        restaurant: restaurant ? { id: restaurant.id, name: restaurant.name } : null,
        addons: pairs.flatMap(([dishId, addonId]) => (dishId === dish.id ? (addonById.get(addonId) ?? []) : [])),
      };
    }),
    createdAt: set.createdAt.toISOString(),
    updatedAt: set.updatedAt.toISOString(),
  };
}
