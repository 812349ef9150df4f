import type { EntityManager } from '@mikro-orm/postgresql';

export interface ProductSummary {
  id: string;
  merchantId: string;
  active: boolean;
  priceCents: number;
  currency: string;
  kind: string;
}

interface Row {
  id: string;
  merchant_id: string;
  active: boolean;
  price_cents: number;
  currency: string;
  kind: string;
}

const TTL_MS = 2_000;

/**
 * What the cart needs to know of products (active, price, currency), from PostgreSQL behind a
 * two-second in-process cache: cart prices are informative, checkout re-reads them in its transaction.
 */
export class ProductLookup {
  private readonly cache = new Map<string, { at: number; product: ProductSummary | null }>();

  constructor(private readonly em: EntityManager) {}

  async find(ids: string[]): Promise<Map<string, ProductSummary>> {
    const now = Date.now();
    const result = new Map<string, ProductSummary>();
    const misses: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.cache.get(id);
      if (hit && now - hit.at < TTL_MS) {
        if (hit.product) result.set(id, hit.product);
      } else misses.push(id);
    }
    if (misses.length) {
      const rows: Row[] = await this.em
        .getConnection()
        .execute(`select id, merchant_id, active, price_cents, currency, kind from products where id in (?)`, [misses]);
      const found = new Map(rows.map((r) => [r.id, toSummary(r)]));
      for (const id of misses) {
        const product = found.get(id) ?? null;
        this.cache.set(id, { at: now, product });
        if (product) result.set(id, product);
      }
      if (this.cache.size > 50_000) this.cache.clear();
    }
    return result;
  }

  /** Forgets cached products (called when the catalog changes them). */
  forget(id: string): void {
    this.cache.delete(id);
  }
}

function toSummary(r: Row): ProductSummary {
  return { id: r.id, merchantId: r.merchant_id, active: r.active, priceCents: r.price_cents, currency: r.currency, kind: r.kind };
}
