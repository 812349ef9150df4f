import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { Emit } from '../shared/domain-events.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { CommentView, PostView } from './community.schemas.js';
import { COMMENT_COLUMNS, POST_COLUMNS, type CommentRow, type PostRow } from './community-rows.js';
import type { CommunityViews } from './community-views.js';
import { communityKeys, communityLimits } from './redis-keys.js';

export type TargetKind = 'post' | 'comment';

/** Reports from this many distinct users hide an item until an admin reviews it. */
export const REPORTS_TO_HIDE = 3;

export interface ModerationDeps {
  em: EntityManager;
  uow: UnitOfWork;
  clock: Clock;
  limiter: RateLimiter;
  views: CommunityViews;
}

interface Target {
  status: 'visible' | 'hidden' | 'deleted';
  author_id: string;
  post_id: string;
  board_slug: string;
  open_reports: number;
}

const TABLE: Record<TargetKind, string> = { post: 'posts', comment: 'comments' };
// The row, locked: reports on one item queue behind each other, so the third one is seen as the third.
const LOCK: Record<TargetKind, string> = {
  post: `select status, author_id, id as post_id, board_slug, open_reports from posts where id = ? for update`,
  comment: `select c.status, c.author_id, c.post_id, p.board_slug, c.open_reports from comments c join posts p on p.id = c.post_id where c.id = ? for update of c`,
};

/**
 * Reports and moderation: any user reports a post or comment once; three distinct reporters hide it
 * pending review; admins hide or restore (which closes its open reports) and set a post's slow mode.
 * Hiding a comment tells its watchers it is gone (`comment.deleted`); restoring brings it back.
 */
export class ModerationService {
  constructor(private readonly d: ModerationDeps) {}

  /** Files the caller's report; answers whether the item is hidden now. */
  async report(caller: Actor, kind: TargetKind, id: string, reason: string): Promise<{ status: 'received'; hidden: boolean }> {
    await this.d.limiter.hit(communityKeys.reports(caller.id), communityLimits.reports.limit, communityLimits.reports.windowSec);
    const hidden = await this.d.uow.run(async (tx, emit) => {
      const [target] = await tx.execute<Target[]>(LOCK[kind], [id]);
      if (!target || target.status === 'deleted' || (target.status === 'hidden' && caller.role !== 'admin' && caller.id !== target.author_id)) {
        throw new AppError('NOT_FOUND', `No such ${kind}`);
      }
      if (target.author_id === caller.id) throw new AppError('FORBIDDEN', `You cannot report your own ${kind}`);
      const filed = await tx.execute(
        `insert into moderation_reports (target_kind, target_id, post_id, reporter_id, reason, created_at) values (?, ?, ?, ?, ?, ?)
         on conflict do nothing returning 1 as filed`,
        [kind, id, target.post_id, caller.id, reason, this.d.clock.now()],
      );
      if (filed.length === 0) return target.status === 'hidden';
      const reports = target.open_reports + 1;
      const hide = target.status === 'visible' && reports >= REPORTS_TO_HIDE;
      await tx.execute(`update ${TABLE[kind]} set open_reports = ?${hide ? `, status = 'hidden', hidden_by = 'reports'` : ''} where id = ?`, [reports, id]);
      if (hide) await this.countHidden(tx, kind, id, target, emit);
      return hide || target.status === 'hidden';
    });
    return { status: 'received', hidden };
  }

  /** Admin: hides the item (and closes its reports). */
  hide(kind: TargetKind, id: string): Promise<PostView | CommentView> {
    return this.settle(kind, id, 'hidden');
  }

  /** Admin: makes the item visible again (and closes its reports). */
  restore(kind: TargetKind, id: string): Promise<PostView | CommentView> {
    return this.settle(kind, id, 'visible');
  }

  /** Admin: at most one comment per `seconds` per user on the post (0 turns it off). */
  async setSlowMode(postId: string, seconds: number): Promise<PostView> {
    const [row] = await this.d.em.execute<PostRow[]>(`update posts set slow_mode_seconds = ? where id = ? returning ${POST_COLUMNS}`, [seconds, postId]);
    if (!row) throw new AppError('NOT_FOUND', 'No such post');
    return this.d.views.post(row);
  }

  private async settle(kind: TargetKind, id: string, to: 'visible' | 'hidden'): Promise<PostView | CommentView> {
    await this.d.uow.run(async (tx, emit) => {
      const [target] = await tx.execute<Target[]>(LOCK[kind], [id]);
      if (!target || target.status === 'deleted') throw new AppError('NOT_FOUND', `No such ${kind}`);
      await tx.execute(`update ${TABLE[kind]} set status = ?, hidden_by = ?, open_reports = 0 where id = ?`, [to, to === 'hidden' ? 'admin' : null, id]);
      await tx.execute(`update moderation_reports set resolved_at = ? where target_kind = ? and target_id = ? and resolved_at is null`, [
        this.d.clock.now(),
        kind,
        id,
      ]);
      if (target.status === to) return;
      if (to === 'hidden') await this.countHidden(tx, kind, id, target, emit);
      else await this.countRestored(tx, kind, id, target, emit);
    });
    return this.view(kind, id);
  }

  /** A visible item went hidden: counts drop, and a comment's watchers see it go. */
  private async countHidden(tx: EntityManager, kind: TargetKind, id: string, target: Target, emit: Emit): Promise<void> {
    if (kind === 'post') {
      await tx.execute(`update boards set post_count = post_count - 1 where slug = ?`, [target.board_slug]);
      return;
    }
    await tx.execute(`update posts set comment_count = comment_count - 1 where id = ?`, [target.post_id]);
    emit('comment.deleted', { postId: target.post_id, commentId: id });
  }

  private async countRestored(tx: EntityManager, kind: TargetKind, id: string, target: Target, emit: Emit): Promise<void> {
    if (kind === 'post') {
      await tx.execute(`update boards set post_count = post_count + 1 where slug = ?`, [target.board_slug]);
      return;
    }
    await tx.execute(`update posts set comment_count = comment_count + 1 where id = ?`, [target.post_id]);
    const [row] = await tx.execute<CommentRow[]>(`select ${COMMENT_COLUMNS} from comments where id = ?`, [id]);
    const [comment] = await this.d.views.comments([row]);
    emit('comment.restored', { postId: target.post_id, comment });
  }

  private async view(kind: TargetKind, id: string): Promise<PostView | CommentView> {
    if (kind === 'post') {
      const [row] = await this.d.em.execute<PostRow[]>(`select ${POST_COLUMNS} from posts where id = ?`, [id]);
      return this.d.views.post(row);
    }
    const [row] = await this.d.em.execute<CommentRow[]>(`select ${COMMENT_COLUMNS} from comments where id = ?`, [id]);
    return (await this.d.views.comments([row]))[0];
  }
}
