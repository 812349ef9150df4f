import type { Redis } from 'ioredis';
import { defineScripts, luaLoader } from '../shared/redis-scripts.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './reservation-limits.js';

type Reply = Array<string | number>;

/** The inventory module's Lua scripts, loaded once per client (ioredis EVALSHA with EVAL fallback). */
export interface InventoryScripts {
  /** cart-change.lua: see its header for the arguments; answers one `|`-joined string. */
  cartChange(
    inv: string,
    cart: string,
    holder: string,
    productId: string,
    mode: 'add' | 'set',
    quantity: number,
    now: number,
    ttlMs: number,
    maxHoldMs: number,
    allowed: number,
    currency: string,
    prefix: string,
  ): Promise<string>;
  cartClear(cart: string, prefix: string, userId: string): Promise<Reply>;
  releaseExpired(expiry: string, prefix: string, now: number, batch: number): Promise<Array<[string, Reply]>>;
  setStock(inv: string, stock: number, version: number): Promise<number>;
  consume(cart: string, expiry: string, started: string, prefix: string, holder: string, ...soldLines: Array<string | number>): Promise<number>;
  transferCart(
    from: string,
    to: string,
    expiry: string,
    started: string,
    fromHolder: string,
    toHolder: string,
    prefix: string,
    now: number,
    ttlMs: number,
    maxHoldMs: number,
  ): Promise<string[]>;
}

const lua = luaLoader(import.meta.url);

/** Defines the scripts on a client; the shared release routine is prepended where it is used. */
export function defineInventoryScripts(redis: Redis): InventoryScripts {
  const releaseCart = lua('release-cart');
  return defineScripts<InventoryScripts>(redis, {
    cartChange: { numberOfKeys: 2, lua: `local MAX_LINES, MAX_LINE_QUANTITY = ${MAX_CART_LINES}, ${MAX_LINE_QUANTITY}\n${lua('cart-change')}` },
    cartClear: { numberOfKeys: 1, lua: releaseCart + lua('cart-clear') },
    releaseExpired: { numberOfKeys: 1, lua: releaseCart + lua('release-expired') },
    setStock: { numberOfKeys: 1, lua: lua('set-stock') },
    consume: { numberOfKeys: 3, lua: lua('consume') },
    transferCart: { numberOfKeys: 4, lua: lua('transfer') },
  });
}
