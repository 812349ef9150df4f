import type { CatalogModule } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import type { ObjectStorage } from '../shared/object-storage.js';
import { DryRun } from './dry-run.js';
import { ImportRunner } from './import-runner.js';
import { ImportStore } from './import-store.js';
import { ImportSweeper } from './import-sweeper.js';
import { IMPORT_TYPES } from './import-types.js';
import type { ImportType } from './import-type.js';
import { ImportsService } from './imports.service.js';
import { MerchantPurges } from './merchant-purges.js';
import { RejectionLog } from './rejection-log.js';
import { QueuedPushes } from './queued-pushes.js';
import { productsImport } from './types/products-import.js';
import { UploadIntake } from './upload-intake.js';
import './imports.events.js';
import './imports.jobs.js';

export * from './imports.schemas.js';
export { IMPORT_TYPES, type ImportTypeName } from './import-types.js';
export type { ImportType, ImportSummary, BatchTarget, BatchResult, DiffResult, PreparedFile, RowResult, StageSink } from './import-type.js';
export { columnPositions, type ColumnPlan, type ColumnSchema } from './csv-columns.js';
export type { ImportsService } from './imports.service.js';
export type { ImportRunner } from './import-runner.js';
export type { ImportSweeper } from './import-sweeper.js';
export type { MerchantPurges } from './merchant-purges.js';
export type { Upload } from './upload-intake.js';

/** Bulk operations with live progress: CSV imports (generic over import types) and merchant purges. */
export interface ImportsModule {
  service: ImportsService;
  runner: ImportRunner;
  purges: MerchantPurges;
  sweeper: ImportSweeper;
  /** Stops what runs in the background of this process (the pushes of queued imports). */
  stop(): void;
}

export interface ImportsDeps {
  catalog: Pick<CatalogModule, 'bulk' | 'purge'>;
  users: Pick<UserDirectory, 'isMerchant'>;
  /** Where uploads are spooled (a worker on another host reads them from there). */
  storage: ObjectStorage;
  /** The import types other modules own (analytics' `transactions`), registered by their name. */
  types: readonly ImportType[];
}

export interface ImportsSettings {
  /** Largest accepted upload (IMPORT_MAX_BYTES). */
  maxBytes: number;
  /** Rows per batch, each batch one transaction (IMPORT_BATCH_ROWS). */
  batchRows: number;
  /** How often progress is pushed (≥ 2 per second). */
  progressIntervalMs: number;
}

/**
 * Builds the import pipeline. The import types, by name: each is a column schema, a row validator and
 * the owning module's staging/write operations (products → the catalog's `bulk`, built here; the
 * others come ready-made from their modules through the composition root). Every name
 * `POST /imports?type=` accepts must be registered.
 */
export function createImportsModule(deps: ModuleDeps, { catalog, users, storage, types: owned }: ImportsDeps, settings: ImportsSettings): ImportsModule {
  const { em, uow, events, clock, log, jobs } = deps;
  const types = new Map<string, ImportType>([productsImport(catalog.bulk) as ImportType, ...owned].map((t) => [t.name, t]));
  const missing = IMPORT_TYPES.filter((name) => !types.has(name));
  if (missing.length) throw new Error(`Import types without an implementation: ${missing.join(', ')}`);
  const store = new ImportStore(em, clock);
  const rejections = new RejectionLog(em);
  const shared = { store, uow, events, clock, log, storage, types, progressIntervalMs: settings.progressIntervalMs };
  const queued = new QueuedPushes(shared);
  const intake = new UploadIntake({ ...shared, jobs, users, maxBytes: settings.maxBytes, queued });
  const dryRun = new DryRun({ users, types, maxBytes: settings.maxBytes });
  return {
    service: new ImportsService({ ...shared, rejections, intake, dryRun }),
    runner: new ImportRunner({ ...shared, rejections, batchRows: settings.batchRows }),
    purges: new MerchantPurges({ ...shared, jobs, users, purge: catalog.purge }),
    sweeper: new ImportSweeper(shared),
    stop: () => queued.stop(),
  };
}
