import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { decodeCursor, encodeCursor } from '../shared/pagination.js';
import type { ChangeItem, ChangesQuery, ChangesView } from './diary.schemas.js';
import { ENTRY_COLUMNS, type EntryRow } from './entry-row.js';
import type { EntryViews } from './entry-views.js';

type ChangeRow = (EntryRow & { tombstone: false }) | { tombstone: true; change_seq: string; id: string; client_id: string; purged_at: Date };

/**
 * Offline sync: what changed in a user's diary after a cursor, oldest change first. An entry appears
 * once, at its latest change (created, edited, trashed or restored); a purged entry as a tombstone.
 * Sequence numbers are per user and commit in order (entry-row.ts, BUMP_HEAD), so a cursor never
 * steps over a change that commits later.
 */
export class DiaryChanges {
  constructor(
    private readonly em: EntityManager,
    private readonly views: EntryViews,
  ) {}

  async since(userId: string, query: ChangesQuery): Promise<ChangesView> {
    const after = query.since ? this.position(query.since) : 0;
    const rows = await this.em.execute<ChangeRow[]>(
      `(select false as tombstone, ${ENTRY_COLUMNS}, null::timestamptz as purged_at from diary_entries where user_id = ? and change_seq > ?)
       union all
       (select true, entry_id, user_id, client_id, null, null, null, null, null, null, null, null, null, change_seq, null, null, null, purged_at
        from diary_tombstones where user_id = ? and change_seq > ?)
       order by change_seq limit ?`,
      [userId, after, userId, after, query.limit + 1],
    );
    const served = rows.slice(0, query.limit);
    const items = await Promise.all(served.map((row) => this.item(row)));
    const last = served.length ? Number(served[served.length - 1].change_seq) : after;
    return { items, nextCursor: encodeCursor([last]), hasMore: rows.length > query.limit };
  }

  private async item(row: ChangeRow): Promise<ChangeItem> {
    if (row.tombstone) return { kind: 'purged', id: row.id, clientId: row.client_id, purgedAt: new Date(row.purged_at).toISOString() };
    return { kind: 'entry', entry: await this.views.view(row) };
  }

  private position(cursor: string): number {
    const [seq] = decodeCursor(cursor, 1);
    if (!Number.isSafeInteger(seq) || (seq as number) < 0) throw AppError.validation([{ path: 'since', message: 'Invalid cursor' }]);
    return seq as number;
  }
}
