/** A product's committed stock with the version it had (what the inventory mirror applies in order). */
export interface ProductStockChange {
  productId: string;
  merchantId: string;
  stock: number;
  stockVersion: number;
  active: boolean;
}

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'product.created': ProductStockChange;
    'product.updated': ProductStockChange;
    'product.deleted': { productId: string; merchantId: string };
  }
}
