import type { CatalogModule } from '../catalog/index.js';
import type { InventoryModule } from '../inventory/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { CartService, type OrderedUnits } from './cart.service.js';
import './cart.events.js';

export * from './cart.schemas.js';
export type { CartService, OrderedUnits } from './cart.service.js';

export interface CartModule {
  cart: CartService;
}

export interface CartDeps {
  inventory: Pick<InventoryModule, 'carts'>;
  catalog: Pick<CatalogModule, 'forSale'>;
  /** Units a customer already ordered of a product (for maxPerCustomer). */
  orders: { orderedUnits: OrderedUnits };
}

export interface CartSettings {
  cartTtlSeconds: number;
  cartMaxHoldSeconds: number;
}

/**
 * A shopper's cart: every line is a live reservation held by the inventory. When the terms of a product
 * change (price, currency, for sale or not), every cart holding it is pushed as it now is: a durable
 * consumer, so the change's request does not wait for it and a crash does not lose it.
 */
export function createCartModule(deps: ModuleDeps, { inventory, catalog, orders }: CartDeps, settings: CartSettings): CartModule {
  const cart = new CartService({
    reservations: inventory.carts,
    products: catalog.forSale,
    events: deps.events,
    orderedUnits: orders.orderedUnits,
    ttlSeconds: settings.cartTtlSeconds,
    maxHoldSeconds: settings.cartMaxHoldSeconds,
  });
  // A disabled account holds no stock.
  deps.events.subscribe('user.disabled', ({ userId }) => cart.clear(userId));
  deps.outbox.consume('product.offer_changed', 'cart.tell-holders', async ({ payload }) => {
    for (const userId of await cart.holdersOf(payload.productId)) {
      await deps.events.publish('cart.updated', { userId, cart: await cart.get(userId, true) });
    }
  });
  return { cart };
}
