import type { Redis } from 'ioredis';
import { AppError } from './app-error.js';

/**
 * Fixed-window counters in Redis, shared by every instance. One MULTI per hit: create the counter with
 * its TTL if missing, increment it, read the TTL back — atomic, and it works on any Redis version.
 */
export class RateLimiter {
  constructor(private readonly redis: Redis) {}

  /** Counts one hit on `key`; throws RATE_LIMITED with `retryAfter` (seconds) once `limit` is exceeded in the window. */
  async hit(key: string, limit: number, windowSec: number): Promise<void> {
    const replies = await this.redis
      .multi()
      .set(key, 0, 'PX', windowSec * 1000, 'NX')
      .incr(key)
      .pttl(key)
      .exec();
    if (!replies) throw new Error(`rate limiter transaction on ${key} was aborted`);
    const failed = replies.find(([err]) => err);
    if (failed) throw failed[0];
    const count = Number(replies[1]![1]);
    const ttlMs = Number(replies[2]![1]);
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil((ttlMs > 0 ? ttlMs : windowSec * 1000) / 1000));
      throw new AppError('RATE_LIMITED', `Too many attempts; retry in ${retryAfter} s`, { retryAfter });
    }
  }

  /** Forgets the counter (e.g. after a successful login). */
  async reset(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
