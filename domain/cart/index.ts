import type { CatalogModule } from '../catalog/index.js';
import type { InventoryModule } from '../inventory/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { CartService } from './cart.service.js';

export * from './cart.schemas.js';
export type { CartService } from './cart.service.js';

export interface CartModule {
  cart: CartService;
}

export interface CartDeps {
  inventory: Pick<InventoryModule, 'carts'>;
  catalog: Pick<CatalogModule, 'forSale'>;
}

/** A shopper's cart: every line is a live reservation held by the inventory. */
export function createCartModule(deps: ModuleDeps, { inventory, catalog }: CartDeps, settings: { cartTtlSeconds: number }): CartModule {
  const cart = new CartService({ reservations: inventory.carts, products: catalog.forSale, events: deps.events, ttlSeconds: settings.cartTtlSeconds });
  // A disabled account holds no stock.
  deps.events.subscribe('user.disabled', ({ userId }) => cart.clear(userId));
  return { cart };
}
