import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { defineScripts, luaLoader } from '../shared/redis-scripts.js';
import type { InventoryScripts } from './inventory-scripts.js';
import { inventoryKeys } from './redis-keys.js';

interface StockOfScript {
  /** stock, reserved per key (null where not mirrored); the key count goes first. */
  inventoryStockOf(count: number, ...keys: string[]): Promise<Array<string | null>>;
}

const lua = luaLoader(import.meta.url);

interface StockRow {
  id: string;
  stock: number;
  stock_version: string;
}

/** A product's committed stock in PostgreSQL and the version it had there. */
export interface CommittedStock {
  productId: string;
  stock: number;
  stockVersion: number;
}

const committed = (r: StockRow): CommittedStock => ({ productId: r.id, stock: r.stock, stockVersion: Number(r.stock_version) });

/**
 * The Redis mirror of product stock plus live reservations: available = stock − reserved. Rebuilt
 * lazily from PostgreSQL for products it has not seen, and kept current by versioned writes.
 */
export class StockMirror {
  private readonly reads: StockOfScript;

  constructor(
    redis: Redis,
    private readonly scripts: InventoryScripts,
    private readonly em: EntityManager,
  ) {
    this.reads = defineScripts<StockOfScript>(redis, { inventoryStockOf: { lua: lua('stock-of') } });
  }

  /** Available units per product id (0 for unknown products). */
  async available(productIds: string[]): Promise<Map<string, number>> {
    const ids = [...new Set(productIds)];
    const result = new Map<string, number>();
    if (ids.length === 0) return result;
    // One command for the whole page (a listing's 20 HMGETs were 20 commands to build, send, parse
    // and settle, even when auto-pipelined into one write).
    const reply = await this.reads.inventoryStockOf(ids.length, ...ids.map((id) => inventoryKeys.stock(id)));
    const missing: string[] = [];
    ids.forEach((id, i) => {
      const stock = reply[2 * i];
      if (stock === null || stock === undefined) missing.push(id);
      else result.set(id, Number(stock) - Number(reply[2 * i + 1] ?? 0));
    });
    if (missing.length) for (const [id, available] of await this.syncFromDatabase(missing)) result.set(id, available);
    for (const id of ids) if (!result.has(id)) result.set(id, 0);
    return result;
  }

  /**
   * Copies stock and its version from PostgreSQL into the mirror; returns the resulting availability.
   * Inside a transaction pass its EntityManager: asking the pool for a second connection while holding
   * one can exhaust the pool under load (every holder waiting for the other's connection).
   */
  async syncFromDatabase(productIds: string[], em: EntityManager = this.em): Promise<Map<string, number>> {
    const rows: StockRow[] = await em.execute(`select id, stock, stock_version from products where id in (?)`, [productIds]);
    return this.applyStock(rows.map(committed));
  }

  /** Writes committed stock values (e.g. RETURNING stock, stock_version of a checkout) into the mirror. */
  async applyStock(changes: CommittedStock[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    await Promise.all(
      changes.map(async (c) => result.set(c.productId, await this.scripts.setStock(inventoryKeys.stock(c.productId), c.stock, c.stockVersion))),
    );
    return result;
  }

  /** Rebuilds the whole mirror's stock from PostgreSQL in batches (reservations are kept). */
  async rebuild(batchSize = 5_000): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let total = 0;
    for (;;) {
      const rows: StockRow[] = await this.em
        .getConnection()
        .execute(`select id, stock, stock_version from products where id > ? order by id limit ?`, [after, batchSize]);
      if (rows.length === 0) return total;
      await this.applyStock(rows.map(committed));
      total += rows.length;
      after = rows[rows.length - 1].id;
    }
  }
}
