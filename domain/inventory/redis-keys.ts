/**
 * Redis keys owned by the inventory module (the client adds the deployment prefix). Lua scripts that
 * reach keys by name (release-cart.lua, consume.lua, cart-change.lua) build the same strings: keep both in step.
 */
export const inventoryKeys = {
  /** hash {stock, reserved, v}: the stock mirror, live reservations and the mirrored stock_version. */
  stock: (productId: string) => `inv:${productId}`,
  /** hash productId → quantity held by one holder. No TTL: only the expiry sweeper or the owner releases it. */
  holder: (holder: string) => `cart:${holder}`,
  /** zset holder → expiresAt (ms): the source of truth for expiry across instances and restarts. */
  expiry: 'carts:expiry',
  /** hash holder → when its current hold began (ms): the start of the absolute hold limit. */
  started: 'carts:started',
  /** hash holder → the currency of its lines (a cart holds one currency), removed with the last line. */
  currency: 'carts:currency',
  /** set of holders with a line of the product: the carts to tell when its price changes. */
  holdersOf: (productId: string) => `holders:${productId}`,
} as const;

/**
 * Who holds reservations: a shopper's cart (the holder is the user id) or a checkout in flight
 * (`checkout:<uuid>`, never a UUID alone, so the two cannot collide).
 */
export const holders = {
  cart: (userId: string) => userId,
  checkout: (checkoutId: string) => `checkout:${checkoutId}`,
  isCart: (holder: string) => !holder.startsWith('checkout:'),
} as const;
