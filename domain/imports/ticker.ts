import type { Logger } from 'pino';

/**
 * Runs `tick` every `intervalMs` (never two at once; a slow tick delays the next) until stopped. For
 * progress: a tick that fails is logged and the next one tries again.
 */
export class Ticker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): this {
    this.schedule();
    return this;
  }

  /** Stops ticking; resolves when a tick in progress is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((err) => this.log.warn({ err: (err as Error).message }, 'progress tick failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
  }
}
