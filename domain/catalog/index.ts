import type { UserDirectory } from '../identity/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { CatalogService, type Availability } from './catalog.service.js';
import { Categories } from './categories.js';
import { DishAddons } from './dish-addons.js';
import { ProductListing } from './listing/product-listing.js';
import { ReplicaReads } from './listing/replica-reads.js';
import { ProductBulk } from './bulk/product-bulk.js';
import { MerchantPurge } from './merchant-purge.js';
import { ProductCache } from './product-cache.js';
import { ProductReader } from './product-reader.js';
import { ProductNutrition } from './product-nutrition.js';
import { ProductsForSale } from './products-for-sale.js';
import { ProductWriter } from './product-writer.js';
import './catalog.events.js';
import './catalog.jobs.js';

export * from './catalog.schemas.js';
export type { ProductStockChange, CommittedProductStock } from './catalog.events.js';
export type { Availability, CatalogService } from './catalog.service.js';
export type { ProductBulk, StageWriter } from './bulk/product-bulk.js';
export type { BatchOutcome } from './bulk/product-upsert.js';
export type { StagedDiff } from './bulk/product-diff.js';
export type { BulkRejection, PreparedStage } from './bulk/product-staging.js';
export { IMPORT_FIELDS, type ImportField } from './bulk/import-fields.js';
export type { MerchantPurge, PurgeBatchHook } from './merchant-purge.js';
export { DishAddonsInput, DishAddonsView } from './dish-addons.js';
export type { ProductForSale, ProductsForSale } from './products-for-sale.js';
export type { Per100g, ProductNutrition, ProductNutritionFacts } from './product-nutrition.js';
export { watchedNutrients, type WatchedNutrient } from './verdict/watched-nutrients.js';
export { LIMIT_NUTRIENTS, NUTRIENT_UNITS, type LimitKey, type RuleNutrient } from './verdict/rules.js';
export type { RestaurantPlacement } from './product-writer.js';
export { Product, NUTRIENTS, PRODUCT_KINDS, type Nutrient, type ProductKind } from './product.entity.js';
export { isValidGtin, checkDigit, gtinKey } from './barcode.js';
export { canManage, owningMerchant } from './product-access.js';
export { foldText } from './verdict/ingredient-matcher.js';
export { listingSql, isRankedSearch } from './listing/listing-sql.js';
export { expansionsSql } from './listing/search-sql.js';
export { WORD_SHARES_SQL, wordShareOf, type WordShare } from './listing/word-frequencies.js';

/** The catalog: products, listings and search, verdicts, add-on links, and what selling a product needs. */
export interface CatalogModule {
  service: CatalogService;
  listing: ProductListing;
  categories: Categories;
  purge: MerchantPurge;
  /** Staging, batch upserts and diffs of products, for bulk imports. */
  bulk: ProductBulk;
  addons: DishAddons;
  /** The read interface for carts and orders: price, currency, kind, active, stock version. */
  forSale: ProductsForSale;
  /** The read interface for food diaries: name and nutrition per 100 g by product id. */
  nutrition: ProductNutrition;
}

export interface CatalogDeps {
  /** Live units available to buy (the inventory module's stock − reservations). */
  availability: Availability;
  users: Pick<UserDirectory, 'healthProfile' | 'isMerchant'>;
}

/** Builds the catalog. The caches forget products on every change event, whoever published it. */
export function createCatalogModule(deps: ModuleDeps, { availability, users }: CatalogDeps): CatalogModule {
  const { em, redis, events, log, uow } = deps;
  const cache = new ProductCache(redis, log);
  const reader = new ProductReader(em, cache);
  const writer = new ProductWriter(uow, reader, users);
  const replicaReads = new ReplicaReads(em, redis, log);
  const listing = new ProductListing(em, replicaReads);
  const forSale = new ProductsForSale(em);
  const forget = (ids: string[]) => {
    for (const id of ids) forSale.forget(id);
    return cache.forget(ids);
  };
  // After the commit, in the writing process: the owning merchant's listings then read their write,
  // and remembered word expansions are dropped (the product may bring new words).
  events.subscribe('product.created', ({ productId, merchantId }) => {
    listing.forgetExpansions();
    return Promise.all([forSale.forget(productId), replicaReads.wrote(merchantId)]);
  });
  events.subscribe('product.updated', ({ productId, merchantId }) => {
    listing.forgetExpansions();
    return Promise.all([forget([productId]), replicaReads.wrote(merchantId)]);
  });
  events.subscribe('product.deleted', ({ productId, merchantId }) => Promise.all([forget([productId]), replicaReads.wrote(merchantId)]));
  events.subscribe('stock.committed', ({ productIds }) => cache.forget(productIds));
  events.subscribe('products.batch_changed', ({ productIds, merchantId }) => {
    listing.forgetExpansions();
    return Promise.all([forget(productIds), replicaReads.wrote(merchantId)]);
  });
  return {
    service: new CatalogService({ users, reader, writer, listing, availability }),
    listing,
    categories: new Categories(em, redis),
    purge: new MerchantPurge(uow, em),
    bulk: new ProductBulk(em),
    addons: new DishAddons(em),
    forSale,
    nutrition: new ProductNutrition(em),
  };
}
