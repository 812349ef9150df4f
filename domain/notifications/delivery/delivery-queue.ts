import { RequestContext } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { UserDirectory } from '../../identity/index.js';
import type { Clock } from '../../shared/clock.js';
import { WakeableLoop } from '../../shared/wakeable-loop.js';
import type { ChannelSender, DueDelivery } from './channel-sender.js';

interface ClaimedRow {
  notification_id: string;
  channel: DueDelivery['channel'];
  user_id: string;
  attempts: number;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export interface DeliveryQueueOptions {
  batch?: number;
  leaseMs?: number;
  /** After this many failed attempts a delivery is marked failed (and logged). */
  maxAttempts?: number;
  observe?: (channel: string, outcome: 'sent' | 'skipped' | 'retry' | 'failed') => void;
}

const RETRY_CAP_MS = 3600_000;

/**
 * Sends the queued deliveries (notification_deliveries) whose time has come: claimed as leases with
 * `FOR UPDATE SKIP LOCKED`, so any number of workers share the queue; a failure is retried with
 * backoff, then marked failed. A delivery deferred by quiet hours simply becomes due later.
 */
export class DeliveryQueue {
  private readonly loop: WakeableLoop;
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly users: Pick<UserDirectory, 'contacts'>,
    private readonly sender: ChannelSender,
    private readonly options: DeliveryQueueOptions = {},
  ) {
    this.batch = options.batch ?? 200;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.loop = new WakeableLoop(
      () => this.drain(),
      (err) => this.log.warn({ err: (err as Error).message }, 'notification delivery round failed'),
    );
  }

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  wake(): void {
    this.loop.wake();
  }

  /** Sends every delivery due now; returns how many were claimed. */
  drain(): Promise<number> {
    return this.loop.drainBatches(
      this.batch,
      () => this.claim(),
      (rows) => RequestContext.create(this.em, () => this.sendAll(rows)),
    );
  }

  private async claim(): Promise<ClaimedRow[]> {
    const now = this.clock.now();
    return this.em.fork().execute<ClaimedRow[]>(
      `update notification_deliveries d set locked_until = ?, attempts = d.attempts + 1
       from notifications n
       where n.id = d.notification_id and (d.notification_id, d.channel) in (
         select notification_id, channel from notification_deliveries
         where status = 'pending' and due_at <= ? and (locked_until is null or locked_until <= ?)
         order by due_at limit ? for update skip locked)
       returning d.notification_id, d.channel, d.user_id, d.attempts, n.type, n.title, n.body, n.data`,
      [new Date(now.getTime() + this.leaseMs), now, now, this.batch],
    );
  }

  private async sendAll(rows: ClaimedRow[]): Promise<void> {
    const contacts = await this.users.contacts(rows.filter((r) => r.channel !== 'push').map((r) => r.user_id));
    for (const row of rows) {
      const delivery: DueDelivery = { ...row, notificationId: row.notification_id, userId: row.user_id };
      try {
        const outcome = await this.sender.send(delivery, contacts.get(row.user_id));
        await this.mark(row, outcome, null);
      } catch (err) {
        await this.mark(row, row.attempts >= this.maxAttempts ? 'failed' : 'retry', (err as Error).message ?? String(err));
      }
    }
  }

  private async mark(row: ClaimedRow, outcome: 'sent' | 'skipped' | 'retry' | 'failed', error: string | null): Promise<void> {
    const now = this.clock.now();
    const retryAt = new Date(now.getTime() + Math.min(RETRY_CAP_MS, 5_000 * 2 ** row.attempts));
    await this.em.fork().execute(
      `update notification_deliveries set status = ?, locked_until = null, last_error = ?, sent_at = ?, due_at = coalesce(?, due_at)
       where notification_id = ? and channel = ?`,
      [
        outcome === 'retry' ? 'pending' : outcome,
        error?.slice(0, 2000) ?? null,
        outcome === 'sent' ? now : null,
        outcome === 'retry' ? retryAt : null,
        row.notification_id,
        row.channel,
      ],
    );
    this.options.observe?.(row.channel, outcome);
    if (outcome === 'failed') this.log.error({ notificationId: row.notification_id, channel: row.channel, error }, 'notification delivery failed for good');
    else if (outcome === 'retry') this.log.warn({ notificationId: row.notification_id, channel: row.channel, error }, 'notification delivery failed; retrying');
  }
}
