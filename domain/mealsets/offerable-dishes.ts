import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductForSale, ProductsForSale } from '../catalog/index.js';
import type { RestaurantsService, RestaurantSummary } from '../restaurants/index.js';
import { AppError, type FieldError } from '../shared/app-error.js';

/** Checks that products may go into a meal set: active dishes of active restaurants. */
export class OfferableDishes {
  constructor(
    private readonly products: Pick<ProductsForSale, 'find'>,
    private readonly restaurants: Pick<RestaurantsService, 'summaries'>,
  ) {}

  /** Refuses (422, naming `dishIds.<i>`) any id that is not an active dish of an active restaurant. */
  async assert(dishIds: string[], tx?: EntityManager): Promise<void> {
    const products = await this.products.find(dishIds, tx);
    const restaurantIds = [...products.values()].flatMap((p) => p.restaurantId ?? []);
    const restaurants = await this.restaurants.summaries(restaurantIds);
    const errors: FieldError[] = [];
    dishIds.forEach((id, i) => {
      const p = products.get(id);
      const problem = problemOf(p, p?.restaurantId ? restaurants.get(p.restaurantId) : undefined);
      if (problem) errors.push({ path: `dishIds.${i}`, message: problem });
    });
    if (errors.length) throw AppError.validation(errors);
  }
}

function problemOf(product: ProductForSale | undefined, restaurant: RestaurantSummary | undefined): string | null {
  if (!product?.active) return 'Unknown or inactive product';
  if (product.kind !== 'dish') return `Not a dish (kind ${product.kind})`;
  if (!restaurant) return "Not a restaurant's dish";
  if (!restaurant.active) return 'Its restaurant is inactive';
  return null;
}
