import type { OrderView } from '../orders/orders.schemas.js';

/** What the inventory mirror needs to know about a product's committed stock. */
export interface ProductStockChange {
  productId: string;
  merchantId: string;
  stock: number;
  stockVersion: number;
  active: boolean;
}

/**
 * The one map of in-process domain events: name → payload. Modules publish these after their
 * transaction commits; the realtime layer, webhooks and notifications subscribe.
 */
export interface DomainEvents {
  'user.registered': { userId: string; role: string };
  'product.created': ProductStockChange;
  'product.updated': ProductStockChange;
  'product.deleted': { productId: string; merchantId: string };
  /** These products' availability (stock − reserved) may have changed; subscribers read the current values. */
  'stock.changed': { productIds: string[] };
  /**
   * Committed stock changed outside the catalog (a sale, a cancel): cached product copies are stale,
   * and availability changed too (watchers are told; no separate stock.changed is published).
   */
  'stock.committed': { productIds: string[] };
  'cart.expired': { userId: string; items: Array<{ productId: string; quantity: number }> };
  'order.placed': { order: OrderView; merchantIds: string[] };
  'order.status_changed': { order: OrderView; merchantIds: string[]; from: string; to: string; by: string };
  'order.driver_assigned': { order: OrderView; merchantIds: string[]; driverId: string; distanceM: number; etaSeconds: number };
  'delivery.location': { orderId: string; lat: number; lng: number; at: string };
}

export type DomainEventName = keyof DomainEvents;
