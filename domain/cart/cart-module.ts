import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import { defineCartScripts } from './cart-scripts.js';
import { CartService } from './cart.service.js';
import { CartExpirySweeper } from './expiry-sweeper.js';
import { Inventory, type CommittedStock } from './inventory.js';
import { ProductLookup } from './product-lookup.js';
import { Reservations } from './reservations.js';

export interface CartModule {
  inventory: Inventory;
  reservations: Reservations;
  productLookup: ProductLookup;
  cart: CartService;
  cartSweeper: CartExpirySweeper;
}

interface CartModuleDeps {
  redis: Redis;
  em: EntityManager;
  events: EventBus;
  clock: Clock;
  log: Logger;
  ttlSeconds: number;
}

/**
 * Builds the inventory mirror, reservations and cart, and keeps the mirror current with the catalog:
 * every committed product change writes its versioned stock into Redis (older versions are refused).
 */
export function createCartModule(d: CartModuleDeps): CartModule {
  const scripts = defineCartScripts(d.redis);
  const inventory = new Inventory(d.redis, scripts, d.em);
  const reservations = new Reservations(d.redis, scripts, inventory, d.clock);
  const productLookup = new ProductLookup(d.em);
  const cart = new CartService({
    reservations,
    products: productLookup,
    events: d.events,
    ttlSeconds: d.ttlSeconds,
  });
  const cartSweeper = new CartExpirySweeper(reservations, d.events, d.log);

  const mirror = async (change: CommittedStock) => {
    productLookup.forget(change.productId);
    await inventory.applyStock([change]);
    await d.events.publish('stock.changed', { productIds: [change.productId] });
  };
  d.events.subscribe('product.created', mirror);
  d.events.subscribe('product.updated', mirror);
  d.events.subscribe('product.deleted', ({ productId }) => productLookup.forget(productId));

  return { inventory, reservations, productLookup, cart, cartSweeper };
}
