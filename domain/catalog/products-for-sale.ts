import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../shared/actor.js';
import { canView } from './product-access.js';
import type { ProductKind } from './product.entity.js';

/** What selling a product needs to know of it: the catalog's read interface for carts and orders. */
export interface ProductForSale {
  id: string;
  merchantId: string;
  /** The restaurant of a restaurant's dish or add-on, else null. */
  restaurantId: string | null;
  name: string;
  priceCents: number;
  currency: string;
  kind: ProductKind;
  active: boolean;
  stockVersion: number;
  /** Units one customer may reserve and order in all; null: no cap. */
  maxPerCustomer: number | null;
}

interface Row {
  id: string;
  merchant_id: string;
  restaurant_id: string | null;
  name: string;
  price_cents: number;
  currency: string;
  kind: ProductKind;
  active: boolean;
  stock_version: string;
  max_per_customer: number | null;
}

const CACHE_TTL_MS = 2_000;
const REFRESH_AFTER_MS = 1_500;
const REFRESH_BATCH_MS = 10;
const CACHE_MAX = 50_000;

/**
 * Products as sold. `find` reads the committed rows (inside the caller's transaction when given one:
 * checkout prices come from there); `findRecent` answers from a two-second in-process cache, for cart
 * views whose prices are informative (checkout re-reads them).
 */
export class ProductsForSale {
  private readonly cache = new Map<string, { at: number; product: ProductForSale | null }>();
  private readonly loading = new Map<string, Promise<ProductForSale | null>>();
  private readonly refreshQueue = new Set<string>();
  private refreshTimer?: NodeJS.Timeout;

  constructor(private readonly em: EntityManager) {}

  async find(ids: readonly string[], em: EntityManager = this.em): Promise<Map<string, ProductForSale>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await em.execute<Row[]>(
      `select id, merchant_id, restaurant_id, name, price_cents, currency, kind, active, stock_version, max_per_customer from products where id in (?)`,
      [unique],
    );
    return new Map(rows.map((r) => [r.id, toProduct(r)]));
  }

  async findRecent(ids: readonly string[]): Promise<Map<string, ProductForSale>> {
    const now = Date.now();
    const result = new Map<string, ProductForSale>();
    const misses: string[] = [];
    const waits: Array<Promise<ProductForSale | null>> = [];
    for (const id of new Set(ids)) {
      const hit = this.cache.get(id);
      const loading = this.loading.get(id);
      if (hit && now - hit.at < CACHE_TTL_MS) {
        if (hit.product) result.set(id, hit.product);
        if (now - hit.at >= REFRESH_AFTER_MS && !loading) this.refreshSoon(id);
        continue;
      }
      if (loading) waits.push(loading);
      else misses.push(id);
    }
    if (misses.length) waits.push(...this.load(misses, now));
    for (const product of await Promise.all(waits)) if (product) result.set(product.id, product);
    return result;
  }

  /**
   * Reads a product again ahead of its expiry, in the background, so one in steady demand never makes a
   * caller wait; the products due within a few milliseconds share one query.
   */
  private refreshSoon(id: string): void {
    this.refreshQueue.add(id);
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      const ids = [...this.refreshQueue].filter((queued) => !this.loading.has(queued));
      this.refreshQueue.clear();
      this.refreshTimer = undefined;
      if (ids.length) for (const loaded of this.load(ids, Date.now())) loaded.catch(() => {}); // a failed refresh lets the entry expire
    }, REFRESH_BATCH_MS);
    this.refreshTimer.unref();
  }

  /** One query for the misses; concurrent callers missing the same products wait for it instead of asking again. */
  private load(ids: string[], at: number): Array<Promise<ProductForSale | null>> {
    const found = this.find(ids);
    return ids.map((id) => {
      const loading = found.then((rows) => {
        const product = rows.get(id) ?? null;
        if (this.loading.get(id) === loading) {
          this.loading.delete(id);
          this.cache.set(id, { at, product });
          if (this.cache.size > CACHE_MAX) this.cache.clear();
        }
        return product;
      });
      this.loading.set(id, loading);
      void loading.catch(() => this.loading.get(id) === loading && this.loading.delete(id));
      return loading;
    });
  }

  /** Which of the ids name products the caller may see (active ones; inactive ones only by their merchant or an admin). */
  async visibleTo(caller: Actor, ids: readonly string[]): Promise<Set<string>> {
    const products = await this.findRecent(ids);
    return new Set([...products.values()].filter((p) => canView(caller, p)).map((p) => p.id));
  }

  /** Which of the given (dish, add-on) pairs are allowed, as `dishId:addonId` strings. */
  async addonLinks(dishIds: readonly string[], em: EntityManager = this.em): Promise<Set<string>> {
    if (dishIds.length === 0) return new Set();
    const rows = await em.execute<Array<{ dish_id: string; addon_id: string }>>(`select dish_id, addon_id from dish_addons where dish_id in (?)`, [
      [...new Set(dishIds)],
    ]);
    return new Set(rows.map((l) => `${l.dish_id}:${l.addon_id}`));
  }

  /** Forgets a cached product (called when the catalog changes it). */
  forget(id: string): void {
    this.cache.delete(id);
    this.loading.delete(id); // a read begun before the change must not be cached
  }
}

function toProduct(r: Row): ProductForSale {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    restaurantId: r.restaurant_id,
    name: r.name,
    priceCents: r.price_cents,
    currency: r.currency,
    kind: r.kind,
    active: r.active,
    stockVersion: Number(r.stock_version),
    maxPerCustomer: r.max_per_customer,
  };
}
