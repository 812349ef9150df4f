import type { Logger } from 'pino';
import type { Clock } from '../shared/clock.js';
import type { ObjectStorage } from '../shared/object-storage.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { toView } from './import-record.js';
import { cleanUp } from './import-runner.js';
import type { ImportStore } from './import-store.js';
import type { ImportType } from './import-type.js';

/** A finished import's own clean-up had this long; an upload that sent nothing for this long is dead. */
const CLEAN_UP_AFTER_MS = 10 * 60_000;
const UPLOAD_SILENT_MS = 2 * 60_000;

/**
 * What runs cannot do for themselves: drops the staging table and spooled file of imports whose
 * clean-up failed, and fails uploads whose server died mid-upload (their spool is partial).
 */
export class ImportSweeper {
  constructor(
    private readonly p: { store: ImportStore; uow: UnitOfWork; storage: ObjectStorage; clock: Clock; log: Logger; types: ReadonlyMap<string, ImportType> },
  ) {}

  async sweep(): Promise<{ cleaned: number; abandoned: number }> {
    const now = this.p.clock.now().getTime();
    const { finished } = await this.p.store.stale(new Date(now - CLEAN_UP_AFTER_MS));
    for (const record of finished) await cleanUp(this.p, this.p.types.get(record.type), record);
    const { abandonedUploads } = await this.p.store.stale(new Date(now - UPLOAD_SILENT_MS));
    for (const record of abandonedUploads) {
      const ended = await this.p.uow.run(async (tx, emit) => {
        const r = await this.p.store.finish(tx, record.id, null, 'failed', 'The upload stopped before the whole file arrived');
        if (r) emit('import.finished', toView(r, this.p.clock.now()));
        return r;
      });
      if (ended) await cleanUp(this.p, undefined, ended);
    }
    return { cleaned: finished.length, abandoned: abandonedUploads.length };
  }
}
