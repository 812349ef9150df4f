import type { CatalogModule } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import type { ObjectStorage } from '../shared/object-storage.js';
import { DiaryChanges } from './diary-changes.js';
import { DiarySummary } from './diary-summary.js';
import { EntryQueries } from './entry-queries.js';
import { EntryViews } from './entry-views.js';
import { EntryWriter } from './entry-writer.js';
import { PhotoUpload } from './photos/photo-upload.js';
import { Thumbnails } from './photos/thumbnails.js';
import { SharedEntries } from './shared-entries.js';
import { TrashPurge } from './trash-purge.js';
import './diary.events.js';
import './diary.jobs.js';

export * from './diary.schemas.js';
export { DiaryEntry, DiarySyncHead, DiaryTombstone } from './diary-entry.entity.js';
export { dailyLimits } from './daily-limits.js';
export { MAX_PHOTO_BYTES, type PhotoUploadInput } from './photos/photo-upload.js';
export { TRASH_RETENTION_DAYS } from './entry-views.js';
export type { DiaryChanges } from './diary-changes.js';
export type { DiarySummary } from './diary-summary.js';
export type { EntryQueries } from './entry-queries.js';
export type { EntryWriter, SavedEntry } from './entry-writer.js';
export type { PhotoUpload } from './photos/photo-upload.js';
export type { SharedEntries } from './shared-entries.js';
export type { Thumbnails } from './photos/thumbnails.js';
export type { TrashPurge } from './trash-purge.js';

/** The food diary: entries with nutrition, the day's summary, trash and purge, offline sync, photos. */
export interface DiaryModule {
  entries: EntryWriter;
  queries: EntryQueries;
  summary: DiarySummary;
  changes: DiaryChanges;
  photos: PhotoUpload;
  thumbnails: Thumbnails;
  purge: TrashPurge;
  /** The read interface for community posts that share an entry. */
  shared: SharedEntries;
}

export interface DiaryDeps {
  catalog: Pick<CatalogModule, 'nutrition'>;
  users: Pick<UserDirectory, 'healthProfile'>;
  storage: ObjectStorage;
}

export interface DiarySettings {
  /** How long a signed photo link lives. */
  photoUrlTtlSeconds: number;
  /** Local directory where uploads are spooled while checked and re-encoded. */
  spoolDir: string;
  /** Entries purged per transaction. */
  purgeBatchSize?: number;
}

/**
 * Builds the diary. A stored photo's thumbnail is made by a job, enqueued by a durable consumer of
 * `diary.photo_stored`, so a crash right after the upload's commit still gets its thumbnail made.
 */
export function createDiaryModule(deps: ModuleDeps, { catalog, users, storage }: DiaryDeps, settings: DiarySettings): DiaryModule {
  const { em, uow, clock, log, events } = deps;
  const views = new EntryViews(storage, settings.photoUrlTtlSeconds);
  const entries = new EntryWriter({ em, clock, nutrition: catalog.nutrition, views });
  deps.outbox.consume('diary.photo_stored', 'diary.thumbnail-job', async ({ payload }) => {
    await deps.jobs.enqueue('diary.make-thumbnail', { entryId: payload.entryId, photoKey: payload.photoKey });
  });
  return {
    entries,
    queries: new EntryQueries(em, views),
    summary: new DiarySummary(em, users),
    changes: new DiaryChanges(em, views),
    photos: new PhotoUpload({ uow, events, clock, log, storage, entries, views, spoolDir: settings.spoolDir }),
    thumbnails: new Thumbnails({ em, uow, storage, log }),
    purge: new TrashPurge({ em, uow, clock, storage, log, batchSize: settings.purgeBatchSize ?? 500 }),
    shared: new SharedEntries(em, views),
  };
}
