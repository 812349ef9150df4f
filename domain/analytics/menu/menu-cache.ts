import type { Redis } from 'ioredis';
import { defineScripts, luaLoader } from '../../shared/redis-scripts.js';
import { MENU_CACHE_TTL_SECONDS, analyticsKeys } from '../redis-keys.js';

interface CacheScripts {
  analyticsCacheIfCurrent(hash: string, generation: string, expected: string, field: string, json: string, ttl: number): Promise<number>;
}

const lua = luaLoader(import.meta.url);

/**
 * Cached analyses per merchant (one Redis hash, one round trip per hit). Any change to the merchant's
 * transactions or settings bumps a generation and drops the hash; a computation that read an older
 * generation is not stored, so a change racing a computation never leaves a stale entry behind.
 */
export class MenuCache {
  private readonly redis: Redis & CacheScripts;

  constructor(redis: Redis) {
    this.redis = defineScripts<Redis & CacheScripts>(redis, { analyticsCacheIfCurrent: { numberOfKeys: 2, lua: lua('cache-if-current') } });
  }

  async get(merchantId: string, field: string): Promise<string | null> {
    return this.redis.hget(analyticsKeys.menu(merchantId), field);
  }

  /** The generation to pass to `put`: read it before computing. */
  async generation(merchantId: string): Promise<string> {
    return (await this.redis.get(analyticsKeys.generation(merchantId))) ?? '0';
  }

  async put(merchantId: string, field: string, generation: string, json: string): Promise<boolean> {
    const stored = await this.redis.analyticsCacheIfCurrent(
      analyticsKeys.menu(merchantId),
      analyticsKeys.generation(merchantId),
      generation,
      field,
      json,
      MENU_CACHE_TTL_SECONDS,
    );
    return stored === 1;
  }

  async invalidate(merchantId: string): Promise<void> {
    await this.redis.multi().incr(analyticsKeys.generation(merchantId)).del(analyticsKeys.menu(merchantId)).exec();
  }
}
