import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import type { Clock } from '../shared/clock.js';
import { keyPrefixOf } from '../shared/redis-scripts.js';
import type { InventoryScripts } from './inventory-scripts.js';
import { inventoryKeys } from './redis-keys.js';
import type { CommittedStock, StockMirror } from './stock-mirror.js';

export type ChangeStatus = 'OK' | 'MISSING' | 'OUT_OF_STOCK' | 'LINE_LIMIT' | 'QUANTITY_LIMIT' | 'CUSTOMER_LIMIT' | 'CURRENCY';
/** How a change is bounded: the holder's lifetime after it, and the limits it must stay within. */
export interface ChangeOptions {
  /** The holder lives this long after a change that changed something... */
  ttlMs: number;
  /** ...but never longer than this after its hold began (0 or absent: no absolute limit). */
  maxHoldMs?: number;
  /** Units of this product the holder may hold in all (a per-customer cap minus what it already bought); absent: no cap. */
  allowed?: number;
  /** The product's currency: refused (CURRENCY) while the holder has a line of another product in another one. */
  currency?: string;
  /** The caller's transaction, to load an unseen product's stock through. */
  em?: EntityManager;
}
export interface ChangeResult {
  status: ChangeStatus;
  available: number;
  lineQuantity: number;
  /** With CUSTOMER_LIMIT: how many units the holder may hold of the product. */
  allowed?: number;
  /** With CURRENCY: the currency of the holder's other lines. */
  heldCurrency?: string;
  /** With OK: the holder's lines after the change and when they expire (epoch ms, null when empty). */
  lines?: Map<string, number>;
  expiresAt?: number | null;
}
/** One released line: its units are available again. */
export interface ReleasedLine {
  productId: string;
  quantity: number;
}
/** A line sold from a holder, with the product's stock after the sale. */
export interface SoldLine extends CommittedStock {
  quantity: number;
}

/**
 * Reservations held by a holder (a shopper's cart, or a checkout in flight): every call is one Lua
 * script, so stock is never reserved twice and a failure never leaves a half-applied change.
 */
export class Reservations {
  /** The client's key prefix, for the scripts that reach keys by name. */
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly scripts: InventoryScripts,
    private readonly mirror: StockMirror,
    private readonly clock: Clock,
  ) {
    this.prefix = keyPrefixOf(redis);
  }

  /**
   * Sets (or adds to) one line; loads the stock mirror from PostgreSQL the first time a product is
   * seen (through `em`, the caller's transaction if it has one).
   */
  async change(holder: string, productId: string, mode: 'add' | 'set', quantity: number, options: ChangeOptions): Promise<ChangeResult> {
    const stockKey = inventoryKeys.stock(productId);
    const cartKey = inventoryKeys.holder(holder);
    const now = this.clock.now().getTime();
    const run = () =>
      this.scripts.cartChange(
        stockKey,
        cartKey,
        holder,
        productId,
        mode,
        quantity,
        now,
        options.ttlMs,
        options.maxHoldMs ?? 0,
        options.allowed ?? -1,
        options.currency ?? '',
        this.prefix,
      );
    let reply = await run();
    if (reply.startsWith('MISSING|')) {
      await this.mirror.syncFromDatabase([productId], options.em);
      reply = await run();
    }
    return changeResult(reply);
  }

  /** When the holder's reservations expire (epoch ms), or null when it holds nothing. */
  async expiresAt(holder: string): Promise<number | null> {
    const score = await this.redis.zscore(inventoryKeys.expiry, holder);
    return score === null ? null : Number(score);
  }

  /** The holder's lines: productId → quantity. */
  async lines(holder: string): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(inventoryKeys.holder(holder));
    return new Map(Object.entries(raw).map(([id, q]) => [id, Number(q)]));
  }

  /**
   * Moves every line from one holder to another in one step (a cart handing its reservations to a
   * checkout, or getting them back), merging into the receiver's lines; returns the moved lines.
   */
  async transfer(from: string, to: string, ttlMs: number, maxHoldMs = 0): Promise<Map<string, number>> {
    const keys = [inventoryKeys.holder(from), inventoryKeys.holder(to), inventoryKeys.expiry, inventoryKeys.started] as const;
    return linesOf(await this.scripts.transferCart(...keys, from, to, this.prefix, this.clock.now().getTime(), ttlMs, maxHoldMs));
  }

  /** The holders (carts and checkouts) with a line of the product. */
  async holdersOf(productId: string): Promise<string[]> {
    return this.redis.smembers(inventoryKeys.holdersOf(productId));
  }

  /** Releases everything the holder reserved. */
  async release(holder: string): Promise<ReleasedLine[]> {
    return releasedLines(await this.scripts.cartClear(inventoryKeys.holder(holder), this.prefix, holder));
  }

  /** Claims and releases up to `batch` holders whose expiry has passed (each exactly once, whoever sweeps). */
  async releaseExpired(batch: number): Promise<Array<{ holder: string; lines: ReleasedLine[] }>> {
    const claimed = await this.scripts.releaseExpired(inventoryKeys.expiry, this.prefix, this.clock.now().getTime(), batch);
    return claimed.map(([holder, released]) => ({ holder, lines: releasedLines(released) }));
  }

  /** After a committed sale: drops the sold units from the holder and mirrors the new stock. */
  async consume(holder: string, sold: SoldLine[]): Promise<void> {
    const args = sold.flatMap((s) => [s.productId, s.quantity, s.stock, s.stockVersion]);
    await this.scripts.consume(inventoryKeys.holder(holder), inventoryKeys.expiry, inventoryKeys.started, this.prefix, holder, ...args);
  }
}

/** cart-change.lua's answer: `status|available|lineQuantity|fourth[|productId|quantity…]`. */
function changeResult(reply: string): ChangeResult {
  const f = reply.split('|');
  const status = f[0] as ChangeStatus;
  const result: ChangeResult = { status, available: Number(f[1]), lineQuantity: Number(f[2]) };
  if (status === 'OK') {
    const lines = new Map<string, number>();
    for (let i = 4; i < f.length; i += 2) lines.set(f[i], Number(f[i + 1]));
    result.lines = lines;
    result.expiresAt = Number(f[3]) || null;
  } else if (status === 'CUSTOMER_LIMIT') result.allowed = Number(f[3]);
  else if (status === 'CURRENCY') result.heldCurrency = f[3];
  return result;
}

/** A cart hash as the scripts return it (flat productId, quantity, …). */
function linesOf(flat: Array<string | number> = []): Map<string, number> {
  const lines = new Map<string, number>();
  for (let i = 0; i < flat.length; i += 2) lines.set(String(flat[i]), Number(flat[i + 1]));
  return lines;
}

/** release-cart.lua's answer: flat productId, quantity, … */
function releasedLines(flat: Array<string | number>): ReleasedLine[] {
  return [...linesOf(flat)].map(([productId, quantity]) => ({ productId, quantity }));
}
