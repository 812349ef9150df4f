import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { CartModule } from '../cart/cart-module.js';
import { CheckoutService } from './checkout.service.js';
import { DeliveryService } from './delivery/delivery.service.js';
import { DishAddons } from './dish-addons.js';
import { DriverPool } from './delivery/driver-pool.js';
import { IdempotencyStore } from './idempotency.js';
import { OrderQueries } from './order-queries.js';
import { OrderStatusService } from './order-status.service.js';

export interface OrdersModule {
  checkout: CheckoutService;
  orderQueries: OrderQueries;
  orderStatus: OrderStatusService;
  delivery: DeliveryService;
  idempotency: IdempotencyStore;
  dishAddons: DishAddons;
}

interface OrdersModuleDeps {
  em: EntityManager;
  redis: Redis;
  events: EventBus;
  clock: Clock;
  log: Logger;
  cart: Pick<CartModule, 'reservations' | 'inventory'>;
  cartTtlSeconds: number;
  driverSpeedKmh: number;
  deliveryRadiusKm: number;
}

/** Checkout, history, the status machine and delivery; a status change drives driver assignment. */
export function createOrdersModule(d: OrdersModuleDeps): OrdersModule {
  const { em, events, clock, log } = d;
  const idempotency = new IdempotencyStore(clock);
  const delivery = new DeliveryService({
    em, events, clock, log, pool: new DriverPool(d.redis), speedKmh: d.driverSpeedKmh, radiusM: d.deliveryRadiusKm * 1000,
  });
  events.subscribe('order.status_changed', ({ order }) => delivery.onStatusChanged(order));
  return {
    checkout: new CheckoutService({ em, events, clock, log, reservations: d.cart.reservations, idempotency, cartTtlMs: d.cartTtlSeconds * 1000 }),
    orderQueries: new OrderQueries(em),
    orderStatus: new OrderStatusService({ em, events, clock, log, inventory: d.cart.inventory }),
    delivery,
    idempotency,
    dishAddons: new DishAddons(em),
  };
}
