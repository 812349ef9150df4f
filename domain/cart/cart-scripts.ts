import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

type Reply = Array<string | number>;

/** The cart module's Lua scripts, loaded once per client (ioredis EVALSHA with EVAL fallback). */
export interface CartScripts {
  cartChange(inv: string, cart: string, expiry: string, ...args: Array<string | number>): Promise<Reply>;
  cartClear(cart: string, prefix: string, userId: string): Promise<Reply>;
  releaseExpired(expiry: string, prefix: string, now: number, batch: number): Promise<Array<[string, Reply]>>;
  setStock(inv: string, stock: number, version: number): Promise<number>;
  consume(cart: string, expiry: string, prefix: string, holder: string, ...soldLines: Array<string | number>): Promise<number>;
  transferCart(from: string, to: string, expiry: string, fromHolder: string, toHolder: string, expiresAt: number): Promise<string[]>;
}

const lua = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

/** Defines the scripts on a client; the shared release routine is prepended where it is used. */
export function defineCartScripts(redis: Redis): CartScripts {
  const releaseCart = lua('release-cart');
  const commands = {
    cartChange: { numberOfKeys: 3, lua: lua('cart-change') },
    cartClear: { numberOfKeys: 1, lua: releaseCart + lua('cart-clear') },
    releaseExpired: { numberOfKeys: 1, lua: releaseCart + lua('release-expired') },
    setStock: { numberOfKeys: 1, lua: lua('set-stock') },
    consume: { numberOfKeys: 2, lua: lua('consume') },
    transferCart: { numberOfKeys: 3, lua: lua('transfer') },
  };
  for (const [name, definition] of Object.entries(commands)) {
    if (!(name in redis)) redis.defineCommand(name, definition);
  }
  return redis as unknown as CartScripts;
}
