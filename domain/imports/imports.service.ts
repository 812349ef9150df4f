import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { DryRun } from './dry-run.js';
import { visibleImport } from './import-access.js';
import { toView } from './import-record.js';
import { cleanUp, type RunnerParts } from './import-runner.js';
import type { ImportStore } from './import-store.js';
import type { DryRunResult, ImportView } from './imports.schemas.js';
import type { RejectionLog } from './rejection-log.js';
import type { Upload, UploadIntake } from './upload-intake.js';

export interface ImportsServiceParts extends Pick<RunnerParts, 'storage' | 'log' | 'types'> {
  store: ImportStore;
  rejections: RejectionLog;
  intake: UploadIntake;
  dryRun: DryRun;
  uow: UnitOfWork;
  clock: Clock;
}

/** Imports as REST and sockets use them: start one, dry-run one, read one, its rejections, cancel it. */
export class ImportsService {
  constructor(private readonly p: ImportsServiceParts) {}

  /** Receives the file and queues the import (POST /imports → 202). */
  start(upload: Upload): Promise<ImportView> {
    return this.p.intake.accept(upload);
  }

  /** Validates and diffs the file without writing (POST /imports?dryRun=true → 200). */
  dryRun(upload: Upload): Promise<DryRunResult> {
    return this.p.dryRun.run(upload);
  }

  async get(caller: Actor, id: string): Promise<ImportView> {
    return toView(visibleImport(caller, await this.p.store.find(id)), this.p.clock.now());
  }

  /**
   * What `import:watch` answers: the import, or null when there is no import of this id yet and the
   * caller is a merchant (who may be about to upload under the id it chose: its watch waits for it).
   * Anyone else, and an import of someone else, is NOT_FOUND.
   */
  async watchable(caller: Actor, id: string): Promise<ImportView | null> {
    const record = await this.p.store.find(id);
    if (!record && caller.role === 'merchant') return null;
    return toView(visibleImport(caller, record), this.p.clock.now());
  }

  /** The rejected rows as `row,sku,reason` CSV, streamed. */
  async errors(caller: Actor, id: string): Promise<AsyncIterable<string>> {
    visibleImport(caller, await this.p.store.find(id));
    return this.p.rejections.csv(id);
  }

  /**
   * Cancels: an import no worker has started ends at once; a running one (or an upload in progress)
   * stops at its next batch boundary, keeping the batches already committed.
   */
  async cancel(caller: Actor, id: string): Promise<ImportView> {
    const record = visibleImport(caller, await this.p.store.find(id));
    if (record.status !== 'queued' && record.status !== 'running')
      throw new AppError('CONFLICT', `The import has already ${record.status === 'completed' ? 'completed' : record.status}`);
    if (record.status === 'queued' && record.phase !== 'uploading') {
      const ended = await this.p.uow.run(async (tx, emit) => {
        const r = await this.p.store.finish(tx, id, null, 'cancelled');
        if (r) emit('import.finished', toView(r, this.p.clock.now()));
        return r;
      });
      if (ended) {
        await cleanUp(this.p, this.p.types.get(ended.type), ended);
        return toView(ended, this.p.clock.now());
      }
    }
    const asked = await this.p.store.requestCancel(id);
    return toView(asked ?? visibleImport(caller, await this.p.store.find(id)), this.p.clock.now());
  }
}
