import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { decodeCursor, encodeCursor, isUuid } from '../shared/pagination.js';
import type { ListNotificationsQuery, NotificationPage, NotificationView } from './notifications.schemas.js';

interface Row {
  id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
  is_read: number;
}

const COLUMNS = `id, type, title, body, data, created_at, read_at, (read_at is not null)::int as is_read`;

/**
 * A user's notifications: newest first, or unread first (each part newest first), with a keyset cursor
 * `(read, created_at, id)` and the unread count; marking read is idempotent (the first time sticks).
 */
export class Inbox {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  async list(userId: string, query: ListNotificationsQuery): Promise<NotificationPage> {
    const unreadFirst = query.sort === 'unread';
    const [read, at, id] = query.cursor ? afterCursor(query.cursor) : [-1, 'infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const rows = await this.em.execute<Row[]>(
      unreadFirst
        ? `select ${COLUMNS} from notifications where user_id = ?
             and ((read_at is not null)::int > ? or ((read_at is not null)::int = ? and (created_at, id) < (?::timestamptz, ?::uuid)))
           order by (read_at is not null), created_at desc, id desc limit ?`
        : `select ${COLUMNS} from notifications where user_id = ? and (created_at, id) < (?::timestamptz, ?::uuid)
           order by created_at desc, id desc limit ?`,
      unreadFirst ? [userId, read, read, at, id, query.limit + 1] : [userId, at, id, query.limit + 1],
    );
    const served = rows.slice(0, query.limit);
    const last = served[served.length - 1];
    return {
      items: served.map(toView),
      nextCursor: rows.length > query.limit ? encodeCursor([unreadFirst ? last.is_read : 0, new Date(last.created_at).toISOString(), last.id]) : null,
      unreadCount: await this.unreadCount(userId),
    };
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.em.execute<Array<{ n: string }>>(`select count(*) as n from notifications where user_id = ? and read_at is null`, [userId]);
    return Number(row.n);
  }

  /** Marks one of the user's notifications read (another user's is answered as missing). */
  async markRead(userId: string, id: string): Promise<NotificationView> {
    const [row] = await this.em.execute<Row[]>(`update notifications set read_at = coalesce(read_at, ?) where id = ? and user_id = ? returning ${COLUMNS}`, [
      this.clock.now(),
      id,
      userId,
    ]);
    if (!row) throw new AppError('NOT_FOUND', 'No such notification');
    return toView(row);
  }

  async markAllRead(userId: string): Promise<{ read: number; unreadCount: number }> {
    const rows = await this.em.execute<Array<{ id: string }>>(`update notifications set read_at = ? where user_id = ? and read_at is null returning id`, [
      this.clock.now(),
      userId,
    ]);
    return { read: rows.length, unreadCount: await this.unreadCount(userId) };
  }
}

function afterCursor(cursor: string): [number, string, string] {
  const [read, at, id] = decodeCursor(cursor, 3);
  if ((read !== 0 && read !== 1) || typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) {
    throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  }
  return [read, at, id];
}

function toView(r: Row): NotificationView {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    body: r.body,
    data: r.data,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}
