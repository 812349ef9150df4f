import type { Logger } from 'pino';
import type { RoomEmitter } from './room-emitter.js';
import { rooms } from './rooms.js';

const MIN_INTERVAL_MS = 100; // at most ~10 pushes per second per product

/**
 * Coalesces `stock:changed` pushes per product: the first change in a quiet period is pushed at once,
 * later ones within 100 ms collapse into one trailing push. A push sent at once carries the value the
 * change computed, when it did (no read: it is the current value); a trailing push reads availability
 * when it is sent, so the last push always carries the latest value, whichever instance changed it last.
 */
export class StockPushCoalescer {
  private readonly lastPush = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly readAvailable: (productIds: string[]) => Promise<Map<string, number>>,
    private readonly emitter: RoomEmitter,
    private readonly log: Logger,
  ) {}

  /** `available`: the value the change left, when it computed it. */
  changed(productId: string, available?: number): void {
    if (this.stopped || this.trailing.has(productId)) return; // a due push will read the latest value
    const wait = (this.lastPush.get(productId) ?? 0) + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      if (available === undefined) this.track(this.push(productId));
      else this.pushKnown(productId, available);
      return;
    }
    const timer = setTimeout(() => {
      this.trailing.delete(productId);
      this.track(this.push(productId));
    }, wait);
    timer.unref();
    this.trailing.set(productId, timer);
  }

  /** No new pushes; resolves when the ones already reading availability are done (before the adapter closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.trailing.values()) clearTimeout(t);
    this.trailing.clear();
    await Promise.all(this.inFlight);
  }

  private track(push: Promise<void>): void {
    this.inFlight.add(push);
    void push.finally(() => this.inFlight.delete(push));
  }

  /** A push of the value the change computed: emitted right away, no read and no promise. */
  private pushKnown(productId: string, available: number): void {
    this.pushed(productId);
    try {
      this.emitter.emit(rooms.product(productId), 'stock:changed', { productId, available });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, productId }, 'stock push failed');
    }
  }

  private async push(productId: string): Promise<void> {
    this.pushed(productId);
    try {
      const available = (await this.readAvailable([productId])).get(productId) ?? 0;
      if (this.stopped) return;
      this.emitter.emit(rooms.product(productId), 'stock:changed', { productId, available });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, productId }, 'stock push failed');
    }
  }

  private pushed(productId: string): void {
    this.lastPush.set(productId, Date.now());
    if (this.lastPush.size > 100_000) this.lastPush.clear();
  }
}
