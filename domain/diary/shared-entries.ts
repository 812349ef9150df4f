import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { SharedEntryView } from './diary.schemas.js';
import { ENTRY_COLUMNS, type EntryRow } from './entry-row.js';
import type { EntryViews } from './entry-views.js';

/**
 * What the community may know of diary entries shared in posts: whether a user may share one, and
 * the entry as a post shows it. A trashed or purged entry shows nothing.
 */
export class SharedEntries {
  constructor(
    private readonly em: EntityManager,
    private readonly entryViews: EntryViews,
  ) {}

  /** The owner's live entry's day and meal, or NOT_FOUND (someone else's entries do not exist for them). */
  async shareable(ownerId: string, entryId: string): Promise<{ date: string; meal: string }> {
    const [row] = await this.em.execute<Array<{ date: string; meal: string; deleted_at: Date | null }>>(
      `select to_char(date, 'YYYY-MM-DD') as date, meal, deleted_at from diary_entries where id = ? and user_id = ?`,
      [entryId, ownerId],
    );
    if (!row) throw new AppError('NOT_FOUND', 'No such diary entry');
    if (row.deleted_at) throw new AppError('CONFLICT', 'The entry is in the trash; restore it first');
    return { date: row.date, meal: row.meal };
  }

  /** The live entries among `entryIds` as posts show them, photo links valid for `ttlSeconds`. */
  async views(entryIds: readonly string[], ttlSeconds: number): Promise<Map<string, SharedEntryView>> {
    const ids = [...new Set(entryIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.em.execute<EntryRow[]>(`select ${ENTRY_COLUMNS} from diary_entries where id in (?) and deleted_at is null`, [ids]);
    return new Map(await Promise.all(rows.map(async (r) => [r.id, await this.entryViews.shared(r, ttlSeconds)] as const)));
  }
}
