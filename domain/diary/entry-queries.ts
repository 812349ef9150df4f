import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { decodeCursor, encodeCursor, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import type { EntryView, ListEntriesQuery } from './diary.schemas.js';
import { ENTRY_COLUMNS, type EntryRow } from './entry-row.js';
import type { EntryViews } from './entry-views.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LAST = ['9999-12-31', '9999-12-31T00:00:00.000Z', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];

/** Reads of one user's diary: entries by day (newest first) and the trash. */
export class EntryQueries {
  constructor(
    private readonly em: EntityManager,
    private readonly views: EntryViews,
  ) {}

  async get(userId: string, entryId: string): Promise<EntryView> {
    const [row] = await this.em.execute<EntryRow[]>(`select ${ENTRY_COLUMNS} from diary_entries where id = ? and user_id = ?`, [entryId, userId]);
    if (!row) throw new AppError('NOT_FOUND', 'No such diary entry');
    return this.views.view(row);
  }

  /** Entries between `from` and `to` (inclusive days), newest day first; keyset (date, created_at, id). */
  async list(userId: string, query: ListEntriesQuery): Promise<Page<EntryView>> {
    const [date, at, id] = query.cursor ? this.listCursor(query.cursor) : LAST;
    const rows = await this.em.execute<EntryRow[]>(
      `select ${ENTRY_COLUMNS} from diary_entries
       where user_id = ? and deleted_at is null and date >= ? and date <= ? and (date, created_at, id) < (?::date, ?::timestamptz, ?::uuid)
       order by date desc, created_at desc, id desc limit ?`,
      [userId, query.from ?? '0001-01-01', query.to ?? '9999-12-31', date, at, id, query.limit + 1],
    );
    const served = rows.slice(0, query.limit);
    const last = served[served.length - 1];
    return {
      items: await this.views.views(served),
      nextCursor: rows.length > query.limit ? encodeCursor([last.date, new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  /** The trash, most recently deleted first; each entry says when it will be purged. */
  async trash(userId: string, page: PageQuery): Promise<Page<EntryView>> {
    const [at, id] = page.cursor ? this.trashCursor(page.cursor) : LAST.slice(1);
    const rows = await this.em.execute<EntryRow[]>(
      `select ${ENTRY_COLUMNS} from diary_entries where user_id = ? and deleted_at is not null and (deleted_at, id) < (?::timestamptz, ?::uuid)
       order by deleted_at desc, id desc limit ?`,
      [userId, at, id, page.limit + 1],
    );
    const served = rows.slice(0, page.limit);
    const last = served[served.length - 1];
    return {
      items: await this.views.views(served),
      nextCursor: rows.length > page.limit ? encodeCursor([new Date(last.deleted_at!).toISOString(), last.id]) : null,
    };
  }

  private listCursor(cursor: string): string[] {
    const [date, at, id] = decodeCursor(cursor, 3);
    if (typeof date !== 'string' || !DAY.test(date) || !isTimestamp(at) || !isUuid(id)) throw badCursor();
    return [date, at, id];
  }

  private trashCursor(cursor: string): string[] {
    const [at, id] = decodeCursor(cursor, 2);
    if (!isTimestamp(at) || !isUuid(id)) throw badCursor();
    return [at, id];
  }
}

function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function badCursor(): AppError {
  return AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
}
