import type { Redis } from 'ioredis';
import { AppError } from './app-error.js';
import { defineScripts } from './redis-scripts.js';

/** One fixed-window limit: at most `limit` hits on `key` per `windowSec`. */
export interface Limit {
  key: string;
  limit: number;
  windowSec: number;
}

/**
 * Counts one hit on each key in order and stops at the first limit exceeded (the keys after it are
 * not counted). Answers `{0, 0, count1, count2, …}` when all are within their limits, else
 * `{index (1-based), pttl}`. A counter gets its window's TTL when created (or if it ever lost it), so
 * windows are fixed.
 */
const HIT_SCRIPT = `
local counts = {0, 0}
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i - 1])
  local windowMs = tonumber(ARGV[2 * i])
  local count = redis.call('INCR', KEYS[i])
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[i], windowMs)
    ttl = windowMs
  end
  if count > limit then return {i, ttl} end
  counts[i + 2] = count
end
return counts
`;

/** The counters after a hit, or which limit was exceeded and when its window ends (seconds). */
export type HitOutcome = { ok: true; counts: number[] } | { ok: false; exceeded: number; retryAfter: number };

/** The refusal every rate limit answers with (429, Retry-After). */
export function rateLimited(retryAfter: number): AppError {
  return new AppError('RATE_LIMITED', `Too many attempts; retry in ${retryAfter} s`, { retryAfter });
}

type WithHitCommand = Redis & { rateLimitHit(numKeys: number, ...args: Array<string | number>): Promise<number[]> };

/** A count with no limit of its own (a counter read for backoff rather than refusal). */
export const UNLIMITED = 2_000_000_000;

/**
 * Fixed-window counters in Redis, shared by every instance. Every check is one atomic script call,
 * one round trip however many limits it covers.
 */
export class RateLimiter {
  private readonly redis: WithHitCommand;

  constructor(redis: Redis) {
    this.redis = defineScripts<WithHitCommand>(redis, { rateLimitHit: { lua: HIT_SCRIPT } });
  }

  /** Counts one hit on `key`; throws RATE_LIMITED with `retryAfter` (seconds) once `limit` is exceeded in the window. */
  async hit(key: string, limit: number, windowSec: number): Promise<void> {
    await this.hitInOrder([{ key, limit, windowSec }]);
  }

  /**
   * Counts one hit on each limit, in order, in a single round trip. The first limit exceeded throws
   * RATE_LIMITED (with its `retryAfter`) and the limits after it are not counted, exactly as if each
   * had been checked on its own. Returns each counter's value after the hit, in order.
   */
  async hitInOrder(limits: Limit[]): Promise<number[]> {
    const outcome = await this.count(limits);
    if (!outcome.ok) throw rateLimited(outcome.retryAfter);
    return outcome.counts;
  }

  /** Like hitInOrder, but answers which limit was exceeded (0-based) instead of throwing. */
  async count(limits: Limit[]): Promise<HitOutcome> {
    if (limits.length === 0) return { ok: true, counts: [] };
    const args = limits.flatMap((l) => [l.limit, l.windowSec * 1000]);
    const [index, ttlMs, ...counts] = (await this.redis.rateLimitHit(limits.length, ...limits.map((l) => l.key), ...args)).map(Number);
    if (index > 0) return { ok: false, exceeded: index - 1, retryAfter: Math.max(1, Math.ceil(ttlMs / 1000)) };
    return { ok: true, counts };
  }

  /** Forgets the counter (e.g. after a successful login). */
  async reset(key: string): Promise<void> {
    await this.redis.del(key);
  }
}
