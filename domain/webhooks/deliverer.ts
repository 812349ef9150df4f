import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { Emit } from '../shared/domain-events.js';
import type { JobQueue } from '../shared/job-queue.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { AddressRefused, checkedAddress, type HostLookup } from './address-guard.js';
import type { ClaimedAttempt, DeliveryStore } from './delivery-store.js';
import { postJson, type SendResult } from './http-sender.js';
import { MAX_ATTEMPTS, retryDelayMs } from './retry-schedule.js';
import { signatureHeader } from './webhook-signature.js';

export interface DelivererParts {
  store: DeliveryStore;
  uow: UnitOfWork;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  allowPrivate: boolean;
  lookup: HostLookup;
}

/**
 * Sends one attempt: Standard Webhooks headers and signature(s), to the address checked at this
 * moment. 2xx succeeds; 410 disables the endpoint at once; anything else (or no answer in 10 s) is
 * retried on the schedule with the same webhook-id, and after the last retry the endpoint is
 * disabled. Each outcome, the next attempt and a disabling are one transaction.
 */
export class Deliverer {
  constructor(private readonly p: DelivererParts) {}

  async deliver(attemptId: string): Promise<void> {
    const attempt = await this.p.store.claim(attemptId);
    if (!attempt) return; // done already, or another worker is sending it
    if (!attempt.enabled) {
      await this.p.uow.run((tx) =>
        this.p.store.finish(tx, attempt.id, { status: 'skipped', responseStatus: null, durationMs: null, error: 'endpoint disabled', nextAttemptAt: null }),
      );
      return;
    }
    const result = await this.send(attempt);
    const next = await this.p.uow.run((tx, emit) => this.settle(tx, emit, attempt, result));
    if (next) await this.p.jobs.enqueue('webhooks.deliver', { attemptId: next.attemptId }, { at: next.at });
  }

  private async send(attempt: ClaimedAttempt): Promise<SendResult> {
    const url = new URL(attempt.url);
    const now = this.p.clock.now();
    const secrets = [attempt.secret];
    if (attempt.previousSecret && attempt.previousSecretExpiresAt && attempt.previousSecretExpiresAt > now) secrets.push(attempt.previousSecret);
    const timestamp = Math.floor(now.getTime() / 1000);
    const headers = {
      'webhook-id': attempt.messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, attempt.messageId, timestamp, attempt.body),
    };
    try {
      const address = await checkedAddress(url, this.p.allowPrivate, this.p.lookup);
      return await postJson(url, address, headers, attempt.body);
    } catch (err) {
      if (err instanceof AddressRefused) return { status: null, durationMs: 0, error: err.message };
      throw err;
    }
  }

  /** Records the outcome; answers the next attempt to queue, if any. */
  private async settle(tx: EntityManager, emit: Emit, attempt: ClaimedAttempt, result: SendResult): Promise<{ attemptId: string; at: Date } | null> {
    const recorded = { responseStatus: result.status, durationMs: result.durationMs, error: result.error };
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      await this.p.store.finish(tx, attempt.id, { status: 'succeeded', ...recorded, nextAttemptAt: null });
      return null;
    }
    const delay = attempt.manual || result.status === 410 ? null : retryDelayMs(attempt.attempt);
    const at = delay === null ? null : new Date(this.p.clock.now().getTime() + delay);
    await this.p.store.finish(tx, attempt.id, { status: 'failed', ...recorded, error: result.error ?? `answered ${result.status}`, nextAttemptAt: at });
    if (result.status === 410) await this.disable(tx, emit, attempt, 'the receiver answered 410 Gone');
    else if (at === null && !attempt.manual) await this.disable(tx, emit, attempt, `no successful delivery in ${MAX_ATTEMPTS} attempts`);
    if (at === null) return null;
    return { attemptId: await this.p.store.addAttempt(tx, attempt.messageId, attempt.endpointId, attempt.attempt + 1, at, false), at };
  }

  private async disable(tx: EntityManager, emit: Emit, attempt: ClaimedAttempt, reason: string): Promise<void> {
    const rows = await tx.execute<Array<{ url: string }>>(
      `update webhook_endpoints set enabled = false, disabled_reason = ?, updated_at = ? where id = ? and enabled returning url`,
      [reason, this.p.clock.now(), attempt.endpointId],
    );
    if (rows[0]) {
      emit('webhook.endpoint_disabled', { endpointId: attempt.endpointId, merchantId: attempt.merchantId, url: rows[0].url, reason });
      this.p.log.warn({ endpointId: attempt.endpointId, reason }, 'webhook endpoint disabled');
    }
  }
}
