import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { UserDirectory } from '../identity/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { EventBus } from '../shared/event-bus.js';
import type { JobQueue } from '../shared/job-queue.js';
import type { ObjectStorage } from '../shared/object-storage.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { planColumns, type ColumnPlan } from './csv-columns.js';
import { operationOwner } from './import-access.js';
import { toView } from './import-record.js';
import type { ImportStore } from './import-store.js';
import { TICKS_PER_HEARTBEAT } from './import-runner.js';
import type { ImportType } from './import-type.js';
import type { CreateImportQuery, ImportView } from './imports.schemas.js';
import { ProgressReporter } from './progress-reporter.js';
import type { QueuedPushes } from './queued-pushes.js';
import { UploadInspector } from './upload-inspector.js';

/** An upload as the HTTP adapter hands it over: the file's bytes as they arrive. */
export interface Upload {
  caller: Actor;
  query: CreateImportQuery;
  body: Readable;
  /** Content-Length when the client sent one. */
  declaredBytes: number | null;
}

export interface IntakeParts {
  store: ImportStore;
  uow: UnitOfWork;
  events: EventBus;
  storage: ObjectStorage;
  jobs: JobQueue;
  clock: Clock;
  log: Logger;
  users: Pick<UserDirectory, 'isMerchant'>;
  types: ReadonlyMap<string, ImportType>;
  maxBytes: number;
  progressIntervalMs: number;
  /** Pushes the import's state while it waits for a worker. */
  queued: QueuedPushes;
}

class UploadCancelled extends AppError {
  constructor() {
    super('CONFLICT', 'The import was cancelled while its file was uploading');
  }
}

/** The spooled copy of an import's file (kept until the import ends, so a resumed run can read it again). */
export const spoolKeyOf = (importId: string) => `imports/${importId}.csv`;

/**
 * Receives an import's file: checks it as it streams in (size, content, header), spools it to object
 * storage so any worker can read it, pushes `import:progress` (phase uploading) while it arrives, then
 * queues the import's job. A refused upload leaves no import, no spooled file and no catalog change.
 */
export class UploadIntake {
  constructor(private readonly p: IntakeParts) {}

  async accept(upload: Upload): Promise<ImportView> {
    const { query, caller } = upload;
    const type = this.p.types.get(query.type)!;
    const merchantId = await operationOwner(caller, query.merchantId, this.p.users);
    if (upload.declaredBytes !== null && upload.declaredBytes > this.p.maxBytes) throw this.tooLarge();
    const id = query.importId ?? randomUUID();
    const created = await this.p.uow.run(async (tx, emit) => {
      const record = await this.p.store.create(tx, {
        id,
        type: type.name as ImportView['type'],
        merchantId,
        createdBy: caller.id,
        phase: 'uploading',
        bytesTotal: upload.declaredBytes,
      });
      emit('import.progress', toView(record, this.p.clock.now()));
      return record;
    });
    let plan: ColumnPlan | undefined;
    const inspector = new UploadInspector({
      limit: this.p.maxBytes,
      check: (_head, header) => {
        plan = planColumns(type.columns, header, { ignoreUnknownColumns: query.ignoreUnknownColumns });
      },
    });
    const ticker = new ProgressReporter({
      intervalMs: this.p.progressIntervalMs,
      publish: () => this.p.events.publish('import.progress', toView({ ...created, bytesRead: inspector.bytes }, this.p.clock.now())),
      persist: () => this.heartbeat(id, inspector),
      persistEvery: TICKS_PER_HEARTBEAT,
      log: this.p.log,
    }).start();
    try {
      await this.spool(upload.body, inspector, spoolKeyOf(id));
      await ticker.stop();
      return await this.queue(id, inspector.bytes, plan!);
    } catch (err) {
      await ticker.stop();
      await this.abandon(id, err);
      throw err;
    }
  }

  private async spool(body: Readable, inspector: UploadInspector, key: string): Promise<void> {
    // The inspector may refuse the upload before the storage has started reading it: keep its error.
    let refused: Error | undefined;
    inspector.on('error', (err) => {
      refused ??= err;
    });
    const forward = (err: Error) => inspector.destroy(err);
    // A client that goes away mid-upload may only close the stream: that is a failed upload too.
    const closed = () => body.readableEnded || inspector.destroy(new AppError('BAD_REQUEST', 'The upload was interrupted'));
    body.once('error', forward);
    body.once('close', closed);
    body.pipe(inspector);
    try {
      await this.p.storage.put(key, inspector, { contentType: 'text/csv' });
    } catch (err) {
      throw refused ?? err;
    } finally {
      body.off('error', forward);
      body.off('close', closed);
      body.unpipe(inspector); // a refused upload is not read further; the adapter closes the connection
    }
    if (refused) throw refused;
  }

  /** Writes down the bytes received so far; a cancel asked meanwhile stops the upload. */
  private async heartbeat(id: string, inspector: UploadInspector): Promise<void> {
    const record = await this.p.store.uploadProgress(id, inspector.bytes);
    if (record?.cancelRequested) inspector.destroy(new UploadCancelled());
  }

  private async queue(id: string, bytes: number, plan: ColumnPlan): Promise<ImportView> {
    const record = await this.p.uow.run(async (tx, emit) => {
      const r = await this.p.store.uploaded(tx, id, bytes, spoolKeyOf(id), { plan });
      if (!r) throw new UploadCancelled();
      emit('import.progress', toView(r, this.p.clock.now()));
      return r;
    });
    try {
      await this.p.jobs.enqueue('imports.run', { importId: id });
    } catch (err) {
      this.p.log.error({ err, importId: id }, 'could not queue an import');
      throw new AppError('UNAVAILABLE', 'The import could not be queued; try again');
    }
    this.p.queued.follow(id);
    return toView(record, this.p.clock.now());
  }

  /** Removes what a refused upload left (its spooled file, its row); watchers hear it failed. A cancelled one stays, cancelled. */
  private async abandon(id: string, err: unknown): Promise<void> {
    await this.p.storage.delete([spoolKeyOf(id)]).catch((e) => this.p.log.warn({ err: e, importId: id }, 'could not delete a refused upload'));
    const reason = err instanceof AppError ? err.message : 'The upload failed';
    await this.p.uow
      .run(async (tx, emit) => {
        if (err instanceof UploadCancelled) {
          const r = await this.p.store.finish(tx, id, null, 'cancelled', reason);
          if (r) emit('import.finished', toView(r, this.p.clock.now()));
          return;
        }
        const r = await this.p.store.find(id, tx);
        await this.p.store.remove(tx, id);
        if (r) emit('import.finished', { ...toView(r, this.p.clock.now()), status: 'failed', error: reason });
      })
      .catch((e) => this.p.log.warn({ err: e, importId: id }, 'could not clear a refused upload'));
  }

  private tooLarge(): AppError {
    return new AppError('PAYLOAD_TOO_LARGE', `The file exceeds the import size limit of ${this.p.maxBytes} bytes`, { limit: this.p.maxBytes });
  }
}
