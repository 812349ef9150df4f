import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import { toView } from './import-record.js';
import type { ImportStore } from './import-store.js';

/** A queue longer than this is a worker outage, not a wait: pushes stop (GET /imports/:id still answers). */
const FOLLOW_AT_MOST_MS = 30 * 60_000;

export interface QueuedPushesParts {
  store: ImportStore;
  events: EventBus;
  clock: Clock;
  log: Logger;
  progressIntervalMs: number;
}

/**
 * Keeps the pushes going while an uploaded import waits for a worker (every worker busy, or its poll
 * not yet due): the server that received the file pushes the import's state (status `queued`) at the
 * progress rate, read fresh from its row each time, until a worker claims it (whose own pushes take
 * over) or it ends (a cancel). One primary-key read per tick and queued import.
 */
export class QueuedPushes {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly p: QueuedPushesParts) {}

  follow(importId: string): void {
    const until = this.p.clock.now().getTime() + FOLLOW_AT_MOST_MS;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.push(importId, until)
        .then((goOn) => goOn || this.drop(timer))
        .catch((err) => this.p.log.warn({ err: (err as Error).message, importId }, 'queued import push failed'))
        .finally(() => {
          busy = false;
        });
    }, this.p.progressIntervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Stops every follow (shutdown). */
  stop(): void {
    for (const timer of this.timers) this.drop(timer);
  }

  /** Pushes the import while it is queued; false once there is nothing more to push. */
  private async push(importId: string, until: number): Promise<boolean> {
    const record = await this.p.store.find(importId);
    if (record?.status !== 'queued' || record.phase === 'uploading') return false;
    await this.p.events.publish('import.progress', toView(record, this.p.clock.now()));
    return this.p.clock.now().getTime() < until;
  }

  private drop(timer: NodeJS.Timeout): void {
    clearInterval(timer);
    this.timers.delete(timer);
  }
}
