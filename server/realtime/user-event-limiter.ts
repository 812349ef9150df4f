import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { defineScripts, luaLoader } from '../../domain/shared/redis-scripts.js';

const IDLE_FORGET_MS = 10_000;
const PRUNE_EVERY_MS = 5_000;
const LOG_EVERY_MS = 10_000;

interface UserEventScripts {
  takeUserEvents(key: string, rate: number, capacity: number, want: number): Promise<[number, number]>;
}

interface UserState {
  /** Events taken from the shared bucket and not yet spent here; negative while one was spent on credit. */
  tokens: number;
  /** Until when (epoch ms) the last refill said the shared bucket was empty, or Redis failed: no credit, no prefetch. */
  dryUntil: number;
  retryAfter: number;
  /** The slice being fetched (resolves to how many events it granted). */
  refilling?: Promise<number>;
  lastSeen: number;
  loggedAt: number;
}

const lua = luaLoader(import.meta.url);

/**
 * The per-user event limit (SOCKET_USER_EVENTS_PER_SECOND, burst of one second's worth) over all of a
 * user's sockets on every instance, on top of each socket's own bucket. The bucket lives in Redis; each
 * instance takes events from it in slices of a quarter second's worth and spends them locally, fetching
 * the next slice in the background when half of one is left (and letting a user's first event through
 * on credit while its first slice is fetched). So a steady user's events never wait for Redis; only a
 * burst beyond the local slice waits, one round trip per slice, and a user over the limit is refused on
 * every instance. Overshoot across instances: at most one event per instance per refill.
 */
export class UserEventLimiter {
  private readonly users = new Map<string, UserState>();
  private readonly scripts: UserEventScripts;
  private readonly slice: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    redis: Redis,
    private readonly perSecond: number,
    private readonly log: Logger,
  ) {
    this.scripts = defineScripts<UserEventScripts>(redis, { takeUserEvents: { numberOfKeys: 1, lua: lua('user-events') } });
    this.slice = Math.max(1, Math.ceil(perSecond / 4));
    this.timer = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  /** Counts one event of the user: 0 when allowed, else the seconds to wait (a promise only when the event must wait for a slice). */
  take(userId: string): number | Promise<number> {
    const state = this.stateOf(userId);
    const flowing = Date.now() >= state.dryUntil;
    if (state.tokens > 0 || (flowing && state.tokens === 0 && !state.refilling)) {
      state.tokens--;
      if (flowing && state.tokens * 2 < this.slice && !state.refilling) this.prefetch(userId, state);
      return 0;
    }
    return this.takeAfterRefill(userId, state);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private stateOf(userId: string): UserState {
    let state = this.users.get(userId);
    if (!state) {
      state = { tokens: 0, dryUntil: 0, retryAfter: 1, lastSeen: 0, loggedAt: 0 };
      this.users.set(userId, state);
    }
    state.lastSeen = Date.now();
    return state;
  }

  private prefetch(userId: string, state: UserState): void {
    this.refill(userId, state).catch((err) => this.log.warn({ err: (err as Error).message }, 'per-user event budget not refilled'));
  }

  /** Waits for slices until one is left for this event, or the shared bucket is empty. */
  private async takeAfterRefill(userId: string, state: UserState): Promise<number> {
    for (;;) {
      const granted = await this.refill(userId, state);
      if (state.tokens > 0) {
        state.tokens--;
        return 0;
      }
      if (granted === 0) return state.retryAfter;
    }
  }

  /** One slice from the shared bucket; concurrent events of the user wait for the same one. */
  private refill(userId: string, state: UserState): Promise<number> {
    state.refilling ??= this.scripts
      .takeUserEvents(`rt:events:${userId}`, this.perSecond, this.perSecond, this.slice)
      .then(([grantedReply, waitMs]) => {
        const granted = Number(grantedReply);
        state.tokens += granted;
        state.retryAfter = Math.max(1, Math.ceil(Number(waitMs) / 1000));
        if (granted === 0) this.dried(userId, state, Date.now() + Number(waitMs));
        return granted;
      })
      .catch((err) => {
        state.dryUntil = Date.now() + 1_000; // no credit while Redis does not answer
        throw err;
      })
      .finally(() => {
        state.refilling = undefined;
      });
    return state.refilling;
  }

  private dried(userId: string, state: UserState, until: number): void {
    state.dryUntil = until;
    if (Date.now() - state.loggedAt < LOG_EVERY_MS) return;
    state.loggedAt = Date.now();
    this.log.warn({ userId, limit: this.perSecond }, 'socket events over the per-user limit');
  }

  private prune(): void {
    const idleSince = Date.now() - IDLE_FORGET_MS;
    for (const [userId, state] of this.users) if (state.lastSeen < idleSince && !state.refilling) this.users.delete(userId);
  }
}
