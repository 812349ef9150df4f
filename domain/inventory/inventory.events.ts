declare module '../shared/domain-events.js' {
  interface DomainEvents {
    /**
     * These products' availability (stock − reserved) may have changed; subscribers read the current
     * values, or take `available` (aligned with productIds) when the change itself computed them.
     */
    'stock.changed': { productIds: string[]; available?: number[] };
    /**
     * Committed stock changed outside the catalog (a sale, a cancel): cached product copies are stale,
     * and availability changed too (watchers are told; no separate stock.changed is published).
     */
    'stock.committed': { productIds: string[] };
    /** A shopper's cart reservations were released because the cart expired. */
    'cart.expired': { userId: string; items: Array<{ productId: string; quantity: number }> };
  }
}

export {};
