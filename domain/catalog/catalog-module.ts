import type { Deps } from '../../server/container.js';
import { CatalogService, type Availability } from './catalog.service.js';
import { Categories } from './categories.js';
import { ProductListing } from './listing/product-listing.js';
import { MerchantPurge } from './merchant-purge.js';
import { ProductCache } from './product-cache.js';
import { ProductReader } from './product-reader.js';
import { ProductWriter } from './product-writer.js';

export interface CatalogModule {
  service: CatalogService;
  listing: ProductListing;
  categories: Categories;
  purge: MerchantPurge;
}

/**
 * Builds the catalog. `availability` is the inventory module's live stock − reservations. The cache
 * forgets products on every change event, whoever published it (a job, another module).
 */
export function createCatalogModule(deps: Pick<Deps, 'em' | 'redis' | 'events' | 'jobs' | 'log'>, availability: Availability): CatalogModule {
  const { em, redis, events, jobs, log } = deps;
  const cache = new ProductCache(redis, log);
  const reader = new ProductReader(em, cache);
  const writer = new ProductWriter(em, events, reader);
  const listing = new ProductListing(em);
  events.subscribe('product.updated', ({ productId }) => cache.forget([productId]));
  events.subscribe('product.deleted', ({ productId }) => cache.forget([productId]));
  events.subscribe('stock.committed', ({ productIds }) => cache.forget(productIds));
  return {
    service: new CatalogService({ em, reader, writer, listing, jobs, availability }),
    listing,
    categories: new Categories(em, redis),
    purge: new MerchantPurge(em, events),
  };
}
