import type { CatalogModule } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { LocalitiesModule } from '../localities/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { RestaurantsService } from './restaurants.service.js';

export * from './restaurants.schemas.js';
export { Restaurant, WEEKDAYS, type Weekday } from './restaurant.entity.js';
export type { RestaurantsService, RestaurantSummary } from './restaurants.service.js';

/** Merchants' restaurants; their dishes and add-ons live in the catalog. */
export interface RestaurantsModule {
  restaurants: RestaurantsService;
}

export interface RestaurantsDeps {
  catalog: Pick<CatalogModule, 'service'>;
  localities: Pick<LocalitiesModule, 'localities'>;
  users: Pick<UserDirectory, 'isMerchant'>;
}

export function createRestaurantsModule(deps: ModuleDeps, { catalog, localities, users }: RestaurantsDeps): RestaurantsModule {
  return {
    restaurants: new RestaurantsService({ em: deps.em, clock: deps.clock, localities: localities.localities, users, catalog: catalog.service }),
  };
}
