import type { CatalogModule } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { InventoryModule } from '../inventory/index.js';
import type { BatcherOptions } from '../shared/batcher.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { CheckoutService } from './checkout.service.js';
import { DeliveryService } from './delivery/delivery.service.js';
import { DriverPool } from './delivery/driver-pool.js';
import { IdempotencyStore } from './idempotency.js';
import { OrderQueries } from './order-queries.js';
import { noOrderRules, type OrderRules } from './order-rules.js';
import { OrderStatusService } from './order-status.service.js';
import './orders.events.js';
import './orders.jobs.js';

export * from './orders.schemas.js';
export { ORDER_STATUSES, Order, OrderItem, OrderMerchant, OrderStatusChange, type OrderStatus } from './order.entity.js';
export { IdempotencyKey } from './idempotency-key.entity.js';
export { OrderTransitions } from './transitions.js';
export type { CheckoutService, PlacedOrder } from './checkout.service.js';
export type { DeliveryService } from './delivery/delivery.service.js';
export type { IdempotencyStore } from './idempotency.js';
export type { OrderQueries } from './order-queries.js';
export type { OrderStatusService } from './order-status.service.js';
export type { OrderCandidate, OrderRules } from './order-rules.js';
export type { OrderPlan, PlannedLine } from './order-plan.js';

export interface OrdersModule {
  checkout: CheckoutService;
  queries: OrderQueries;
  status: OrderStatusService;
  delivery: DeliveryService;
  idempotency: IdempotencyStore;
}

export interface OrdersDeps {
  inventory: Pick<InventoryModule, 'checkout'>;
  catalog: Pick<CatalogModule, 'forSale'>;
  users: Pick<UserDirectory, 'locality'>;
  /** Whether a locality exists (a driver goes on duty only in a known one). */
  localities: { exists(slug: string): Promise<boolean> };
  /** Other modules' rules for orders (meal sets); none when absent. */
  rules?: OrderRules;
}

export interface OrdersSettings {
  driverSpeedKmh: number;
  deliveryRadiusKm: number;
  /** How concurrent checkouts are grouped into one transaction (CHECKOUT_BATCHING when absent). */
  checkoutBatching?: BatcherOptions;
}

/**
 * Checkout, history, the status machine and delivery. Driver assignment follows status changes as a
 * durable (outbox) consumer: it runs after the response, in a worker, and survives a crash.
 */
export function createOrdersModule(deps: ModuleDeps, { inventory, catalog, users, localities, rules }: OrdersDeps, settings: OrdersSettings): OrdersModule {
  const { em, uow, events, clock, log } = deps;
  const idempotency = new IdempotencyStore(em, clock);
  const queries = new OrderQueries(em);
  const delivery = new DeliveryService({
    em,
    uow,
    events,
    clock,
    log,
    users,
    localities,
    pool: new DriverPool(deps.redis),
    speedKmh: settings.driverSpeedKmh,
    radiusM: settings.deliveryRadiusKm * 1000,
  });
  deps.outbox.consume('order.status_changed', 'delivery.follow-status', ({ payload }) => delivery.onStatusChanged(payload.order));
  return {
    checkout: new CheckoutService({
      uow,
      clock,
      log,
      stock: inventory.checkout,
      products: catalog.forSale,
      idempotency,
      rules: rules ?? noOrderRules,
      orderedUnits: (customerIds, productIds, tx) => queries.orderedUnitsByCustomer(customerIds, productIds, tx),
      batching: settings.checkoutBatching,
    }),
    queries,
    status: new OrderStatusService({ uow, clock, stock: inventory.checkout }),
    delivery,
    idempotency,
  };
}
