import type { Logger } from 'pino';

export interface ReporterOptions {
  intervalMs: number;
  /** Pushes the current state to watchers (from memory: quick, never waits for the database). */
  publish(): Promise<void> | void;
  /** Writes the state down (heartbeat, counters) and reads what others asked (a cancel); every `persistEvery` ticks. */
  persist(): Promise<void>;
  persistEvery: number;
  log: Logger;
}

/**
 * Progress at a fixed rate: every tick publishes the state held in memory, so watchers get their
 * pushes on time even while the database is slow to commit; every few ticks the state is also
 * written down, in the background (one write in flight at most).
 */
export class ProgressReporter {
  private timer?: NodeJS.Timeout;
  private persisting?: Promise<void>;
  private ticks = 0;

  constructor(private readonly o: ReporterOptions) {}

  start(): this {
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    return this;
  }

  /** Stops ticking; resolves when a write in flight is done. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.persisting;
  }

  private tick(): void {
    Promise.resolve(this.o.publish()).catch((err) => this.o.log.warn({ err: (err as Error).message }, 'progress push failed'));
    if (++this.ticks % this.o.persistEvery !== 0 || this.persisting) return;
    this.persisting = this.o
      .persist()
      .catch((err) => this.o.log.warn({ err: (err as Error).message }, 'progress write failed'))
      .finally(() => {
        this.persisting = undefined;
      });
  }
}
