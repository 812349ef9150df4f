import type { Logger } from 'pino';
import type { RoomEmitter } from './room-emitter.js';
import { rooms } from './rooms.js';

const MIN_INTERVAL_MS = 100; // at most ~10 pushes per second per product

/**
 * Coalesces `stock:changed` pushes per product: the first change in a quiet period is pushed at once,
 * later ones within 100 ms collapse into one trailing push. Every push reads availability when it is
 * sent (not when the change happened), so the last push always carries the latest value.
 */
export class StockPushCoalescer {
  private readonly lastPush = new Map<string, number>();
  private readonly trailing = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly readAvailable: (productIds: string[]) => Promise<Map<string, number>>,
    private readonly emitter: RoomEmitter,
    private readonly log: Logger,
  ) {}

  changed(productId: string): void {
    if (this.trailing.has(productId)) return; // a push is already due and will read the latest value
    const wait = (this.lastPush.get(productId) ?? 0) + MIN_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      void this.push(productId);
      return;
    }
    const timer = setTimeout(() => {
      this.trailing.delete(productId);
      void this.push(productId);
    }, wait);
    timer.unref();
    this.trailing.set(productId, timer);
  }

  stop(): void {
    for (const t of this.trailing.values()) clearTimeout(t);
    this.trailing.clear();
  }

  private async push(productId: string): Promise<void> {
    this.lastPush.set(productId, Date.now());
    if (this.lastPush.size > 100_000) this.lastPush.clear();
    try {
      const available = (await this.readAvailable([productId])).get(productId) ?? 0;
      this.emitter.emit(rooms.product(productId), 'stock:changed', { productId, available });
    } catch (err) {
      this.log.warn({ err: (err as Error).message, productId }, 'stock push failed');
    }
  }
}
