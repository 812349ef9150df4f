import type { ModuleDeps } from '../shared/module-deps.js';
import { CheckoutStock } from './checkout-stock.js';
import { ExpirySweeper } from './expiry-sweeper.js';
import { defineInventoryScripts } from './inventory-scripts.js';
import { Reservations } from './reservations.js';
import { StockMirror, type CommittedStock } from './stock-mirror.js';
import './inventory.events.js';

export {
  CHECKOUT_DEADLINE_MS,
  CHECKOUT_HOLD_MS,
  CHECKOUT_STATEMENT_TIMEOUT_MS,
  type Hold,
  type CheckoutStock,
  type StockTake,
  type TakeRow,
} from './checkout-stock.js';
export { MAX_CART_LINES, MAX_LINE_QUANTITY } from './reservation-limits.js';
export type { ChangeOptions, ChangeResult, ChangeStatus, ReleasedLine } from './reservations.js';
export type { CommittedStock, StockMirror } from './stock-mirror.js';
export type { StockAfter, StockMove } from './stock-ledger.js';
export type { ExpirySweeper } from './expiry-sweeper.js';

/** A shopper's cart as reservations: the cart's holder is the user id. */
export type CartReservations = Pick<Reservations, 'change' | 'lines' | 'expiresAt' | 'release' | 'holdersOf'>;

/**
 * Stock and its live reservations: the Redis mirror of committed stock (available = stock − reserved),
 * cart reservations, checkout holds and the stock ledger, and the sweeper that expires reservations.
 */
export interface InventoryModule {
  /** Units available to buy per product id (0 for unknown products). */
  available(productIds: string[]): Promise<Map<string, number>>;
  mirror: StockMirror;
  carts: CartReservations;
  checkout: CheckoutStock;
  sweeper: ExpirySweeper;
}

export interface InventorySettings {
  /** A cart's lifetime after its last change (a failed checkout gives the cart this long again). */
  cartTtlSeconds: number;
  /** A cart's absolute limit from its first reservation, however often it changes. */
  cartMaxHoldSeconds: number;
}

/** Builds the inventory and keeps the mirror current with the catalog's committed product changes. */
export function createInventoryModule(deps: ModuleDeps, settings: InventorySettings): InventoryModule {
  const scripts = defineInventoryScripts(deps.redis);
  const mirror = new StockMirror(deps.redis, scripts, deps.em);
  const reservations = new Reservations(deps.redis, scripts, mirror, deps.clock);
  const mirrorProduct = async (change: CommittedStock) => {
    await mirror.applyStock([change]);
    await deps.events.publish('stock.changed', { productIds: [change.productId] });
  };
  deps.events.subscribe('product.created', mirrorProduct);
  deps.events.subscribe('product.updated', mirrorProduct);
  // A bulk write's batch: one mirror write per changed stock, one availability event for all of them.
  deps.events.subscribe('products.batch_changed', async ({ stock }) => {
    if (stock.length === 0) return;
    await mirror.applyStock(stock);
    await deps.events.publish('stock.changed', { productIds: stock.map((s) => s.productId) });
  });
  return {
    available: (ids) => mirror.available(ids),
    mirror,
    carts: reservations,
    checkout: new CheckoutStock(reservations, mirror, deps.events, deps.log, {
      ttlMs: settings.cartTtlSeconds * 1000,
      maxHoldMs: settings.cartMaxHoldSeconds * 1000,
    }),
    sweeper: new ExpirySweeper(reservations, deps.events, deps.log),
  };
}
