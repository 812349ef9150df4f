/**
 * Runs `round` every `intervalMs`, and at once when woken: one round at a time per process; a wake
 * during a round runs another right after it. `stop()` waits for the round in progress.
 */
export class WakeableLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    this.started = true;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * One round over a leased queue: claims and handles batches until a batch comes back short of
   * `batchSize` (nothing more is due) or the loop is stopping; returns how many rows were claimed.
   */
  async drainBatches<T>(batchSize: number, claim: () => Promise<T[]>, handle: (rows: T[]) => Promise<void>): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await claim();
      if (rows.length) await handle(rows);
      total += rows.length;
      if (rows.length < batchSize || this.stopped) return total;
    }
  }

  /** Runs a round now (or right after the one in progress). */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }
}
