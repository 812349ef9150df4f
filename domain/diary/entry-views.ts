import type { ObjectStorage } from '../shared/object-storage.js';
import type { EntryView, SharedEntryView } from './diary.schemas.js';
import type { EntryRow } from './entry-row.js';

export const TRASH_RETENTION_DAYS = 30;
const DAY_MS = 24 * 3600_000;

/** Entry rows as clients see them: photo links are signed and expire (photos are private diary data). */
export class EntryViews {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly urlTtlSeconds: number,
  ) {}

  async view(row: EntryRow): Promise<EntryView> {
    const [photoUrl, thumbnailUrl] = await this.urls(row, this.urlTtlSeconds);
    return {
      id: row.id,
      clientId: row.client_id,
      date: row.date,
      meal: row.meal,
      items: row.items,
      note: row.note,
      photoUrl,
      thumbnailUrl,
      totals: row.totals,
      version: row.version,
      deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
      purgeAt: row.deleted_at ? new Date(new Date(row.deleted_at).getTime() + TRASH_RETENTION_DAYS * DAY_MS).toISOString() : null,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  views(rows: readonly EntryRow[]): Promise<EntryView[]> {
    return Promise.all(rows.map((r) => this.view(r)));
  }

  /** The entry as a post shows it, with links that live `ttlSeconds` (a post stops signing them once deleted). */
  async shared(row: EntryRow, ttlSeconds: number): Promise<SharedEntryView> {
    const [photoUrl, thumbnailUrl] = await this.urls(row, ttlSeconds);
    return { id: row.id, date: row.date, meal: row.meal, items: row.items, note: row.note, totals: row.totals, photoUrl, thumbnailUrl };
  }

  private urls(row: EntryRow, ttl: number): Promise<[string | null, string | null]> {
    return Promise.all([
      row.photo_key ? this.storage.signedUrl(row.photo_key, ttl, { contentType: row.photo_type ?? undefined }) : null,
      row.thumbnail_key ? this.storage.signedUrl(row.thumbnail_key, ttl, { contentType: 'image/webp' }) : null,
    ]);
  }
}
