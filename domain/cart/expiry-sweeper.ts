import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { CartScripts } from './cart-scripts.js';
import { cartKeys, CHECKOUT_HOLDER_PREFIX } from './redis-keys.js';

const BATCH = 200;

/**
 * Releases expired carts. The Redis sorted set is the source of truth; this loop only asks it, and
 * each claim-and-release is one script, so any number of instances can sweep at once and a restart
 * loses nothing.
 */
export class CartExpirySweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly scripts: CartScripts,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((err) => this.log.warn({ err: (err as Error).message }, 'cart expiry sweep failed'))
        .then(() => void (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Releases every cart due now; returns how many carts were released. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const prefix = this.redis.options.keyPrefix ?? '';
      const claimed = await this.scripts.releaseExpired(cartKeys.expiry, prefix, this.clock.now().getTime(), BATCH);
      for (const [userId, released] of claimed) {
        const items = [];
        for (let i = 0; i < released.length; i += 3) items.push({ productId: String(released[i]), quantity: Number(released[i + 1]) });
        // Checkout holders (checkout:<id>) are not shoppers: their expiry only returns the units.
        if (!userId.startsWith(CHECKOUT_HOLDER_PREFIX)) await this.events.publish('cart.expired', { userId, items });
        for (const item of items) await this.events.publish('stock.changed', { productId: item.productId });
      }
      total += claimed.length;
      if (claimed.length < BATCH) return total;
    }
  }
}
