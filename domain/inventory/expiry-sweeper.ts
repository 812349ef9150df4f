import type { Logger } from 'pino';
import type { EventBus } from '../shared/event-bus.js';
import { holders } from './redis-keys.js';
import type { Reservations } from './reservations.js';

const BATCH = 200;

/**
 * Releases expired reservations. The Redis sorted set is the source of truth; this loop only asks it,
 * and each claim-and-release is one script, so any number of instances can sweep at once and a restart
 * loses nothing. A shopper is told their cart expired; an expired checkout hold (its process died) only
 * returns its units.
 */
export class ExpirySweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly reservations: Reservations,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err) => this.log.warn({ err: (err as Error).message }, 'reservation expiry sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Releases every holder due now; returns how many were released. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.reservations.releaseExpired(BATCH);
      for (const { holder, lines } of claimed) {
        if (holders.isCart(holder)) {
          await this.events.publish('cart.expired', { userId: holder, items: lines.map(({ productId, quantity }) => ({ productId, quantity })) });
        }
        await this.events.publish('stock.changed', { productIds: lines.map((l) => l.productId) });
      }
      total += claimed.length;
      if (claimed.length < BATCH) return total;
    }
  }
}
