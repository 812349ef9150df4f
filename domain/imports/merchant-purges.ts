import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { MerchantPurge } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { JobQueue } from '../shared/job-queue.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { operationOwner } from './import-access.js';
import { toView, type ImportRecord } from './import-record.js';
import { RunSuperseded, type ImportStore } from './import-store.js';
import { TICKS_PER_HEARTBEAT } from './import-runner.js';
import { ProgressReporter } from './progress-reporter.js';

export interface PurgeParts {
  store: ImportStore;
  uow: UnitOfWork;
  events: EventBus;
  clock: Clock;
  log: Logger;
  jobs: JobQueue;
  users: Pick<UserDirectory, 'isMerchant'>;
  purge: MerchantPurge;
  progressIntervalMs: number;
}

/**
 * "Delete all my products" as an operation with the imports' progress (`import:watch` on its id,
 * `import:progress` while it runs, `import:finished`, GET /imports/:id). The catalog deletes in
 * batches; each batch advances the operation in the same transaction, and the end tells webhooks one
 * `products.purged` summary instead of a `product.deleted` per product.
 */
export class MerchantPurges {
  constructor(private readonly p: PurgeParts) {}

  /** Records the purge and queues its job; the returned id is the operation's (watchable) id. */
  async start(caller: Actor, merchantId: string | undefined): Promise<{ jobId: string }> {
    const owner = await operationOwner(caller, merchantId, this.p.users);
    const id = await this.create(owner, caller.id);
    await this.p.jobs.enqueue('catalog.delete-merchant-products', { merchantId: owner, operationId: id });
    return { jobId: id };
  }

  /** Runs the purge job (one queued before operations existed gets its operation now). */
  async run(merchantId: string, operationId: string | undefined, touch: () => Promise<void>): Promise<void> {
    const id = operationId ?? (await this.create(merchantId, merchantId));
    const token = randomUUID();
    const record = await this.p.uow.run(async (tx, emit) => {
      const claimed = await this.p.store.claim(tx, id, token);
      if (claimed) emit('import.progress', toView(claimed, this.p.clock.now()));
      return claimed;
    });
    if (!record) return;
    if (record.cancelRequested) return this.end(record.id, token, 'cancelled');
    let current = record;
    const ticker = new ProgressReporter({
      intervalMs: this.p.progressIntervalMs,
      publish: () => this.p.events.publish('import.progress', toView(current, this.p.clock.now())),
      persist: async () => {
        await this.p.store.runProgress(id, token);
        await touch();
      },
      persistEvery: TICKS_PER_HEARTBEAT,
      log: this.p.log,
    }).start();
    try {
      let cancelled = false;
      await this.p.purge.run(record.merchantId, async (tx, ids) => {
        current = await this.p.store.purged(tx, id, token, ids.length);
        cancelled = current.cancelRequested;
        return cancelled ? 'stop' : 'continue';
      });
      await ticker.stop();
      await this.end(id, token, cancelled ? 'cancelled' : 'completed');
    } catch (err) {
      await ticker.stop();
      if (err instanceof RunSuperseded) return;
      this.p.log.error({ err, operationId: id }, 'merchant purge failed');
      await this.end(id, token, 'failed', err instanceof AppError ? err.message : 'The purge failed');
    }
  }

  private async create(merchantId: string, createdBy: string): Promise<string> {
    const id = randomUUID();
    const total = await this.p.purge.count(merchantId);
    await this.p.uow.run(async (tx, emit) => {
      const record = await this.p.store.create(tx, { id, type: 'purge', merchantId, createdBy, phase: 'writing', bytesTotal: null, rowsTotal: total });
      emit('import.progress', toView(record, this.p.clock.now()));
    });
    return id;
  }

  private async end(id: string, token: string, status: 'completed' | 'failed' | 'cancelled', error?: string): Promise<void> {
    await this.p.uow.run(async (tx, emit) => {
      const r: ImportRecord | null = await this.p.store.finish(tx, id, token, status, error);
      if (!r) return;
      emit('import.finished', toView(r, this.p.clock.now()));
      if (r.rowsDeleted > 0) {
        emit('products.purged', {
          operationId: id,
          merchantId: r.merchantId,
          deleted: r.rowsDeleted,
          status,
          finishedAt: (r.finishedAt ?? new Date()).toISOString(),
        });
      }
    });
  }
}
