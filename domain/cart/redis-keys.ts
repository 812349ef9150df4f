/**
 * Redis keys owned by the cart module (the client adds the deployment prefix). Lua scripts that reach
 * keys by name (release-cart.lua) build the same strings: keep both in step.
 */
export const cartKeys = {
  /** hash {stock, reserved, v}: the stock mirror, live reservations and the mirrored stock_version. */
  inventory: (productId: string) => `inv:${productId}`,
  /** hash productId → quantity. No TTL: only the expiry sweeper or the owner releases it. */
  cart: (userId: string) => `cart:${userId}`,
  /** zset userId → expiresAt (ms): the source of truth for cart expiry across instances and restarts. */
  expiry: 'carts:expiry',
} as const;

/** Holders that are a checkout in flight rather than a shopper's cart. */
export const CHECKOUT_HOLDER_PREFIX = 'checkout:';
