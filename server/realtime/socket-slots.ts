import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { defineScripts, luaLoader } from '../../domain/shared/redis-scripts.js';

const LEASE_MS = 60_000;
const RENEW_EVERY_MS = 20_000;
/** Sockets renewed per script call: 20,000 sockets were one pipeline of 40,000 commands that held the event loop. */
const RENEW_CHUNK = 1_000;

interface SlotScripts {
  takeSocketSlot(key: string, markKey: string, socketId: string, now: number, leaseMs: number, cap: number, issuedAt: number): Promise<[number, string | null]>;
  /** numberOfKeys, the keys, then lease end, lease ms and one socket id per key. */
  renewSocketSlots(...args: Array<string | number>): Promise<number>;
}

const lua = luaLoader(import.meta.url);
const slotKey = (userId: string) => `rt:sockets:${userId}`;

/**
 * Caps the sockets one user holds open at once across every instance (SOCKETS_PER_USER): taking a slot
 * is one script at the handshake (which also reads the user's token revocation mark, so the handshake
 * waits for one round trip), giving it back one ZREM at disconnect; each instance renews the
 * leases of its own sockets every 20 s, so the slots of an instance that died lapse within a minute.
 * Nothing on the per-event path.
 */
export class SocketSlots {
  private readonly scripts: SlotScripts;
  private readonly held = new Map<string, string>(); // socketId → userId, this instance's
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly cap: number,
    private readonly log: Logger,
  ) {
    this.scripts = defineScripts<SlotScripts>(redis, {
      takeSocketSlot: { numberOfKeys: 2, lua: lua('socket-slot') },
      renewSocketSlots: { lua: lua('socket-slots-renew') },
    });
    this.timer = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.timer.unref();
  }

  /**
   * Takes a slot for the socket (`taken` false when the user already holds the cap) and reads the user's
   * revocation mark at `markKey` in the same script (`mark`, null when absent; the caller judges it). A
   * token issued (epoch ms) at or before the mark takes no slot.
   */
  async take(userId: string, socketId: string, markKey: string, issuedAt: number): Promise<{ taken: boolean; mark: string | null }> {
    const [taken, mark] = await this.scripts.takeSocketSlot(slotKey(userId), markKey, socketId, Date.now(), LEASE_MS, this.cap, issuedAt);
    if (taken === 1) this.held.set(socketId, userId);
    return { taken: taken === 1, mark };
  }

  /** Gives the socket's slot back (on disconnect). */
  release(socketId: string): void {
    const userId = this.held.get(socketId);
    if (!userId) return;
    this.held.delete(socketId);
    this.redis.zrem(slotKey(userId), socketId).catch((err) => this.log.warn({ err: (err as Error).message }, 'socket slot not released; its lease lapses'));
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Extends every slot this instance holds to a full lease, a thousand sockets per script call. */
  async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const until = Date.now() + LEASE_MS;
    const held = [...this.held];
    try {
      for (let i = 0; i < held.length; i += RENEW_CHUNK) {
        const chunk = held.slice(i, i + RENEW_CHUNK);
        await this.scripts.renewSocketSlots(
          chunk.length,
          ...chunk.map(([, userId]) => slotKey(userId)),
          until,
          LEASE_MS,
          ...chunk.map(([socketId]) => socketId),
        );
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'socket slot leases not renewed');
    }
  }
}
