import { randomUUID } from 'node:crypto';
import { DeadlockException, LockWaitTimeoutException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { Emit } from '../shared/domain-events.js';
import type { EventBus } from '../shared/event-bus.js';
import type { ObjectStorage } from '../shared/object-storage.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { stageCsv, type StagingProgress } from './csv-stager.js';
import { toView, type ImportRecord } from './import-record.js';
import { RunSuperseded, type ImportStore } from './import-store.js';
import type { ImportType } from './import-type.js';
import type { RejectionLog } from './rejection-log.js';
import { ProgressReporter } from './progress-reporter.js';

export interface RunnerParts {
  store: ImportStore;
  rejections: RejectionLog;
  uow: UnitOfWork;
  events: EventBus;
  storage: ObjectStorage;
  clock: Clock;
  log: Logger;
  types: ReadonlyMap<string, ImportType>;
  batchRows: number;
  progressIntervalMs: number;
}

type Outcome = 'completed' | 'cancelled';
const BATCH_ATTEMPTS = 3;
/** Progress pushes between two heartbeats written down (each also extends the job's lock). */
export const TICKS_PER_HEARTBEAT = 4;

/** Staging tables are named by the import (one table per import, whichever run fills it). */
export const stageIdOf = (importId: string) => importId.replace(/-/g, '');

/**
 * Runs an import's job: reads the spooled file into the type's staging table (phase parsing), then
 * writes it batch by batch, each batch one transaction that also advances the import's checkpoint
 * (phase writing). A run that dies is continued by the next one from the last committed batch (or from
 * the start of the file when it died while reading it); a cancel stops at the next batch boundary.
 */
export class ImportRunner {
  constructor(private readonly p: RunnerParts) {}

  /** Runs (or resumes) the import; `touch` extends the job's lock while it makes progress. */
  async run(importId: string, touch: () => Promise<void>): Promise<void> {
    const token = randomUUID();
    const record = await this.p.uow.run(async (tx, emit) => {
      const claimed = await this.p.store.claim(tx, importId, token);
      if (claimed) emit('import.progress', toView(claimed, this.p.clock.now()));
      return claimed;
    });
    if (!record) return; // finished, or still uploading
    await new ImportRun(this.p, record, token, touch).execute();
  }
}

class ImportRun {
  private readonly progress: StagingProgress = { bytes: 0, rows: 0, rejected: 0 };
  private readonly cancel = new AbortController();
  private staging = false;
  private readonly stageId: string;

  constructor(
    private readonly p: RunnerParts,
    private record: ImportRecord,
    private readonly token: string,
    private readonly touch: () => Promise<void>,
  ) {
    this.stageId = stageIdOf(record.id);
  }

  async execute(): Promise<void> {
    const type = this.p.types.get(this.record.type);
    if (!type) return this.end(undefined, 'failed', `Unknown import type ${this.record.type}`);
    if (this.record.cancelRequested) return this.end(type, 'cancelled');
    const ticker = new ProgressReporter({
      intervalMs: this.p.progressIntervalMs,
      publish: () => this.p.events.publish('import.progress', toView(this.current(), this.p.clock.now())),
      persist: () => this.heartbeat(),
      persistEvery: TICKS_PER_HEARTBEAT,
      log: this.p.log,
    }).start();
    try {
      if (this.record.phase === 'parsing') await this.stage(type);
      const outcome = await this.write(type);
      await ticker.stop();
      await this.end(type, outcome);
    } catch (err) {
      await ticker.stop();
      if (err instanceof RunSuperseded) return void this.p.log.warn({ importId: this.record.id }, err.message);
      if (this.cancel.signal.aborted) return this.end(type, 'cancelled');
      this.p.log.error({ err, importId: this.record.id }, 'import failed');
      await this.end(type, 'failed', err instanceof AppError ? err.message : `Import failed: ${(err as Error).message}`);
    }
  }

  /** Phase parsing: the spooled file → validated rows in the staging table (rejections stored as found). */
  private async stage(type: ImportType): Promise<void> {
    const { store, rejections, storage } = this.p;
    const source = this.record.spoolKey ? await storage.get(this.record.spoolKey) : null;
    if (!source) throw new AppError('NOT_FOUND', 'The uploaded file is no longer stored; upload it again');
    await rejections.clear(this.record.id);
    const sink = await type.openStage(this.stageId);
    this.staging = true;
    try {
      await stageCsv({
        source,
        type,
        plan: this.record.options.plan!,
        sink,
        progress: this.progress,
        signal: this.cancel.signal,
        onRejections: (page) => rejections.record(this.record.id, page),
      });
      await sink.finish();
    } catch (err) {
      await sink.abort(err as Error);
      source.destroy();
      throw err;
    } finally {
      this.staging = false;
    }
    const prepared = await type.prepare(this.stageId, this.record.merchantId, this.record.options.plan!);
    await rejections.record(this.record.id, prepared.rejections);
    const batchRows = this.p.batchRows;
    this.record = await this.commit((tx) =>
      store.staged(tx, this.record.id, this.token, {
        rowsRead: this.progress.rows,
        rowsRejected: this.progress.rejected + prepared.rejections.length,
        rowsDuplicate: prepared.duplicates,
        rowsUnchanged: prepared.unchanged,
        batchesTotal: prepared.lastRow < 2 ? 0 : Math.ceil((prepared.lastRow - 1) / batchRows),
        batchRows,
      }),
    );
  }

  /** Phase writing: the batches not yet committed, in order; stops after the batch during which a cancel came. */
  private async write(type: ImportType): Promise<Outcome> {
    const rows = this.record.options.batchRows ?? this.p.batchRows;
    for (let done = this.record.batchesDone; done < (this.record.batchesTotal ?? 0); done = this.record.batchesDone) {
      const fromRow = 2 + done * rows;
      this.record = await this.batch(type, done + 1, fromRow, fromRow + rows);
      if (this.record.cancelRequested) return 'cancelled';
    }
    return 'completed';
  }

  /** One batch in one transaction with its checkpoint; a deadlock or a concurrent barcode claim is retried. */
  private async batch(type: ImportType, n: number, fromRow: number, toRow: number): Promise<ImportRecord> {
    const { id, merchantId, options } = this.record;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commit(async (tx, emit) => {
          const result = await type.writeBatch(tx, emit, { stageId: this.stageId, merchantId, plan: options.plan!, fromRow, toRow });
          await this.p.rejections.record(id, result.rejections, tx);
          return this.p.store.batchDone(tx, id, this.token, n, { upserted: result.upserted, unchanged: result.unchanged, rejected: result.rejections.length });
        });
      } catch (err) {
        const retryable = err instanceof DeadlockException || err instanceof LockWaitTimeoutException || err instanceof UniqueConstraintViolationException;
        if (!retryable || attempt >= BATCH_ATTEMPTS) throw err;
        this.p.log.warn({ err: (err as Error).message, importId: id, batch: n, attempt }, 'import batch retried');
      }
    }
  }

  /** The import as it stands: the last committed row, with what has been read so far while the file is read. */
  private current(): ImportRecord {
    if (this.record.phase !== 'parsing') return this.record;
    return { ...this.record, bytesParsed: this.progress.bytes, rowsRead: this.progress.rows, rowsRejected: this.progress.rejected };
  }

  /** Writes down what was read so far (and that the run lives), extends the job's lock, notices a cancel. */
  private async heartbeat(): Promise<void> {
    const read =
      this.record.phase === 'parsing' ? { bytesParsed: this.progress.bytes, rowsRead: this.progress.rows, rowsRejected: this.progress.rejected } : {};
    const record = await this.p.store.runProgress(this.record.id, this.token, read);
    if (record.cancelRequested && this.staging) this.cancel.abort(new AppError('CONFLICT', 'Import cancelled'));
    await this.touch().catch((err) => this.p.log.warn({ err, importId: record.id }, 'could not extend the job lock'));
  }

  /** A unit of work that ends in the import's row, pushed to its watchers after the commit. */
  private commit(work: (tx: EntityManager, emit: Emit) => Promise<ImportRecord>): Promise<ImportRecord> {
    return this.p.uow.run(async (tx, emit) => {
      const record = await work(tx, emit);
      emit('import.progress', toView(record, this.p.clock.now()));
      return record;
    });
  }

  /** Ends the import, tells its watchers and (when it wrote anything) the type's durable summary, then cleans up. */
  private async end(type: ImportType | undefined, status: 'completed' | 'failed' | 'cancelled', error?: string): Promise<void> {
    const record = await this.p.uow.run(async (tx, emit) => {
      const r = await this.p.store.finish(tx, this.record.id, this.token, status, error);
      if (!r) return null;
      emit('import.finished', toView(r, this.p.clock.now()));
      if (type && (status === 'completed' || r.rowsUpserted > 0)) type.announce(emit, summaryOf(r, status));
      return r;
    });
    if (!record) return;
    this.p.log.info(
      { importId: record.id, status, rowsRead: record.rowsRead, rowsUpserted: record.rowsUpserted, rowsRejected: record.rowsRejected },
      'import finished',
    );
    await cleanUp(this.p, type, record);
  }
}

function summaryOf(r: ImportRecord, status: 'completed' | 'failed' | 'cancelled') {
  return {
    importId: r.id,
    merchantId: r.merchantId,
    status,
    rowsRead: r.rowsRead,
    rowsUpserted: r.rowsUpserted,
    rowsUnchanged: r.rowsUnchanged,
    rowsDuplicate: r.rowsDuplicate,
    rowsRejected: r.rowsRejected,
    finishedAt: (r.finishedAt ?? new Date()).toISOString(),
  };
}

/** Drops a finished import's staging table and spooled file (the sweeper retries what fails here). */
export async function cleanUp(p: Pick<RunnerParts, 'store' | 'storage' | 'log'>, type: ImportType | undefined, record: ImportRecord): Promise<void> {
  try {
    await type?.dropStage(stageIdOf(record.id));
    if (record.spoolKey) await p.storage.delete([record.spoolKey]);
    await p.store.forgetSpool(record.id);
  } catch (err) {
    p.log.warn({ err, importId: record.id }, 'import clean-up failed; the sweeper will retry');
  }
}
