import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import { decodeCursor, encodeCursor, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import type { ReportQueueItem } from './community.schemas.js';

interface GroupRow {
  target_kind: 'post' | 'comment';
  target_id: string;
  post_id: string;
  last_at: Date;
  reports: Array<{ reporterId: string; reason: string; at: string }>;
}

interface TargetRow {
  id: string;
  text: string;
  author_id: string;
  status: 'visible' | 'hidden' | 'deleted';
  hidden_by: 'reports' | 'admin' | null;
}

const EXCERPT = 280;

/** The admins' queue: items with open reports, most recently reported first, hidden ones included. */
export class ReportQueue {
  constructor(private readonly em: EntityManager) {}

  async list(page: PageQuery): Promise<Page<ReportQueueItem>> {
    const [at, id] = page.cursor ? queueCursor(page.cursor) : ['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];
    const groups = await this.em.execute<GroupRow[]>(
      `select target_kind, target_id, post_id, max(created_at) as last_at,
              json_agg(json_build_object('reporterId', reporter_id, 'reason', reason, 'at', created_at) order by created_at) as reports
       from moderation_reports where resolved_at is null
       group by target_kind, target_id, post_id
       having (max(created_at), target_id) < (?::timestamptz, ?::uuid)
       order by max(created_at) desc, target_id desc limit ?`,
      [at, id, page.limit + 1],
    );
    const served = groups.slice(0, page.limit);
    const targets = await this.targets(served);
    const items = served.flatMap((g): ReportQueueItem[] => {
      const t = targets.get(g.target_id);
      if (!t || t.status === 'deleted') return [];
      return [
        {
          kind: g.target_kind,
          id: g.target_id,
          postId: g.post_id,
          excerpt: t.text.slice(0, EXCERPT),
          authorId: t.author_id,
          status: t.status,
          hiddenBy: t.hidden_by,
          reportCount: g.reports.length,
          reports: g.reports.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
          lastReportedAt: new Date(g.last_at).toISOString(),
        },
      ];
    });
    const last = served[served.length - 1];
    return { items, nextCursor: groups.length > page.limit ? encodeCursor([new Date(last.last_at).toISOString(), last.target_id]) : null };
  }

  private async targets(groups: GroupRow[]): Promise<Map<string, TargetRow>> {
    const ids = (kind: string) => groups.filter((g) => g.target_kind === kind).map((g) => g.target_id);
    const [posts, comments] = await Promise.all([
      ids('post').length
        ? this.em.execute<TargetRow[]>(`select id, title || ': ' || body as text, author_id, status, hidden_by from posts where id in (?)`, [ids('post')])
        : [],
      ids('comment').length
        ? this.em.execute<TargetRow[]>(`select id, body as text, author_id, status, hidden_by from comments where id in (?)`, [ids('comment')])
        : [],
    ]);
    return new Map([...posts, ...comments].map((t) => [t.id, t]));
  }
}

function queueCursor(cursor: string): string[] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return [at, id];
}
