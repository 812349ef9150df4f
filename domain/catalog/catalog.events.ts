/** A product's committed stock with the version it had (what the inventory mirror applies in order). */
export interface ProductStockChange {
  productId: string;
  merchantId: string;
  stock: number;
  stockVersion: number;
  active: boolean;
}

/** Committed stock of one product as a bulk write left it. */
export interface CommittedProductStock {
  productId: string;
  stock: number;
  stockVersion: number;
}

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'product.created': ProductStockChange;
    'product.updated': ProductStockChange;
    'product.deleted': { productId: string; merchantId: string };
    /**
     * A bulk write (an import batch, a purge batch) committed: `productIds` were inserted, changed or
     * deleted (caches drop them); `stock` lists those whose stock changed (the mirror and watchers follow).
     * In-process only: bulk writes tell durable consumers one summary per operation instead.
     */
    'products.batch_changed': { merchantId: string; productIds: string[]; stock: CommittedProductStock[] };
    /**
     * The terms a product is sold on changed: its price or currency, or it stopped (or started) being
     * for sale. Carts holding it are told (durable: consumed by the cart module in a worker). Bulk
     * writers (imports) emit it too for the products whose terms they change.
     */
    'product.offer_changed': { productId: string; priceCents: number; currency: string; active: boolean };
  }
}
