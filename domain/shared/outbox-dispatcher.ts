import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { EventEnvelope } from './domain-events.js';
import type { Outbox } from './outbox.js';
import { WakeableLoop } from './wakeable-loop.js';

interface ClaimedRow {
  seq: string;
  id: string;
  name: string;
  payload: unknown;
  occurred_at: Date | string;
  attempts: number;
}

export interface DispatcherOptions {
  /** Events claimed per round. */
  batch?: number;
  /** How long a claim lasts: a worker that dies mid-batch leaves its events to others after this. */
  leaseMs?: number;
  /** After this many failed attempts an event is parked (failed_at) and logged as an error. */
  maxAttempts?: number;
  /** Called once per consumer run, for metrics. */
  observe?: (consumer: string, outcome: 'ok' | 'failed') => void;
}

const RETRY_CAP_MS = 10 * 60_000;

/**
 * Delivers outbox events to their consumers, at least once. Claims are leases taken with
 * `FOR UPDATE SKIP LOCKED`, so any number of workers dispatch side by side and each event is claimed by
 * one at a time; a crash between a consumer's work and the completion mark means a second delivery
 * (consumers dedupe by event id), never a lost one. Dispatched rows are pruned by a job.
 */
export class OutboxDispatcher {
  private readonly loop: WakeableLoop;
  private unlisten?: () => void;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: DispatcherOptions = {},
  ) {
    this.batch = options.batch ?? 100;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 20;
    this.loop = new WakeableLoop(
      () => this.drain(),
      (err) => this.log.warn({ err: (err as Error).message }, 'outbox dispatch failed'),
    );
  }

  /** Polls every `intervalMs`, and at once whenever this process commits durable events. */
  start(intervalMs = 500): void {
    this.unlisten = this.outbox.onCommitted(() => this.wake());
    this.loop.start(intervalMs);
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    await this.loop.stop();
  }

  /** Runs a round now (or right after the one in progress). */
  wake(): void {
    this.loop.wake();
  }

  /** Dispatches every event due now; returns how many were claimed. */
  drain(): Promise<number> {
    return this.loop.drainBatches(
      this.batch,
      () => this.claim(),
      async (rows) => {
        for (const row of rows) await this.dispatch(row);
      },
    );
  }

  /** Deletes events dispatched before `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    const res = await this.em.fork().execute(`delete from outbox where dispatched_at < ?`, [before], 'run');
    return (res as unknown as { affectedRows: number }).affectedRows;
  }

  private async claim(): Promise<ClaimedRow[]> {
    const names = this.outbox.durableEvents();
    if (names.length === 0) return [];
    const now = this.clock.now();
    const rows = await this.em.fork().execute<ClaimedRow[]>(
      `update outbox set available_at = ?, attempts = attempts + 1
       where seq in (select seq from outbox where dispatched_at is null and failed_at is null and available_at <= ? and name in (?)
                     order by seq limit ? for update skip locked)
       returning seq, id, name, payload, occurred_at, attempts`,
      [new Date(now.getTime() + this.leaseMs), now, names, this.batch],
    );
    // UPDATE … RETURNING has no order: consumers see a batch in the order it was committed.
    return rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
  }

  private async dispatch(row: ClaimedRow): Promise<void> {
    const event = {
      id: row.id,
      name: row.name,
      payload: row.payload,
      occurredAt: new Date(row.occurred_at).toISOString(),
    } as EventEnvelope;
    const failures: string[] = [];
    for (const consumer of this.outbox.consumersOf(row.name)) {
      try {
        await RequestContext.create(this.em, () => consumer.handle(event as never));
        this.options.observe?.(consumer.name, 'ok');
      } catch (err) {
        failures.push(`${consumer.name}: ${(err as Error).message}`);
        this.options.observe?.(consumer.name, 'failed');
        this.log.warn({ err, eventId: row.id, event: row.name, consumer: consumer.name }, 'outbox consumer failed');
      }
    }
    const em = this.em.fork();
    if (failures.length === 0) {
      await em.execute(`update outbox set dispatched_at = ? where seq = ?`, [this.clock.now(), row.seq]);
      return;
    }
    // The whole event is retried: consumers that already succeeded see its id again and skip it.
    const parked = row.attempts >= this.maxAttempts;
    const retryAt = new Date(this.clock.now().getTime() + Math.min(RETRY_CAP_MS, 1000 * 2 ** row.attempts));
    await em.execute(`update outbox set available_at = ?, last_error = ?, failed_at = ? where seq = ?`, [
      retryAt,
      failures.join('; ').slice(0, 2000),
      parked ? this.clock.now() : null,
      row.seq,
    ]);
    if (parked) this.log.error({ eventId: row.id, event: row.name, attempts: row.attempts, failures }, 'outbox event parked after repeated failures');
  }
}
