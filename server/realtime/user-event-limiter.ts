import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { defineScripts, luaLoader } from '../../domain/shared/redis-scripts.js';
import { TokenBucket } from './token-bucket.js';

const WINDOW_MS = 1_000;
const FLUSH_EVERY_MS = 250;
const IDLE_FORGET_MS = 10_000;

interface UserEventScripts {
  countUserEvents(numKeys: number, ...args: Array<string | number>): Promise<number[]>;
}

interface UserState {
  bucket: TokenBucket;
  pending: number;
  blockedUntil: number;
  lastSeen: number;
}

const lua = luaLoader(import.meta.url);

/**
 * The per-user event limit (SOCKET_USER_EVENTS_PER_SECOND), on top of each socket's own bucket, without
 * a Redis round trip per event. Each instance keeps a token bucket per user (exact for a user's sockets
 * on one instance, the usual case behind sticky sessions) and every 250 ms adds its users' counts to a
 * shared one-second window in Redis in one script; a user over the limit across instances is refused on
 * every instance for the rest of that second. Cost per event: a map lookup and a bucket update.
 */
export class UserEventLimiter {
  private readonly users = new Map<string, UserState>();
  private readonly scripts: UserEventScripts;
  private readonly timer: NodeJS.Timeout;
  private flushing = false;

  constructor(
    redis: Redis,
    private readonly perSecond: number,
    private readonly log: Logger,
  ) {
    this.scripts = defineScripts<UserEventScripts>(redis, { countUserEvents: { lua: lua('user-events') } });
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Counts one event of the user; 0 when allowed, else the seconds to wait. */
  take(userId: string): number {
    const now = Date.now();
    let state = this.users.get(userId);
    if (!state) {
      state = { bucket: new TokenBucket(this.perSecond, this.perSecond), pending: 0, blockedUntil: 0, lastSeen: now };
      this.users.set(userId, state);
    }
    state.lastSeen = now;
    if (now < state.blockedUntil) return Math.max(1, Math.ceil((state.blockedUntil - now) / 1000));
    const wait = state.bucket.take();
    if (wait === 0) state.pending++;
    return wait;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Adds this instance's counts to the shared windows and blocks the users over the limit. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const due: Array<[string, UserState]> = [];
    for (const [userId, state] of this.users) {
      if (state.pending > 0) due.push([userId, state]);
      else if (now - state.lastSeen > IDLE_FORGET_MS) this.users.delete(userId);
    }
    if (due.length === 0) return;
    const counts = due.map(([, state]) => state.pending);
    for (const [, state] of due) state.pending = 0;
    this.flushing = true;
    try {
      const keys = due.map(([userId]) => `rt:events:${userId}:${window}`);
      const over = await this.scripts.countUserEvents(keys.length, ...keys, WINDOW_MS, this.perSecond, ...counts);
      due.forEach(([userId, state], i) => {
        if (Number(over[i]) !== 1) return;
        state.blockedUntil = (window + 1) * WINDOW_MS;
        this.log.warn({ userId }, 'socket events over the per-user limit across instances');
      });
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'per-user socket event counts not shared');
    } finally {
      this.flushing = false;
    }
  }
}
