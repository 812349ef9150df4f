import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../shared/pagination.js';
import type { Limit, RateLimiter } from '../shared/rate-limiter.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { CommentView, MissedComments } from './community.schemas.js';
import { COMMENT_COLUMNS, type CommentRow, type PostRow } from './community-rows.js';
import type { CommunityViews } from './community-views.js';
import type { PostsService } from './posts.service.js';
import { communityKeys, communityLimits } from './redis-keys.js';

export interface CommentsDeps {
  em: EntityManager;
  uow: UnitOfWork;
  clock: Clock;
  limiter: RateLimiter;
  posts: Pick<PostsService, 'visible'>;
  views: CommunityViews;
}

/** Comments a `post:watch` ack carries at most; a phone offline for longer pages through the REST list. */
export const MAX_MISSED_COMMENTS = 200;

/**
 * Comments on posts: adding (10 a minute per user, and the post's slow mode), listing, deleting, and
 * what a reconnecting watcher missed. Every change is an event; the realtime adapter pushes it to the
 * post's watchers on every instance, whichever transport made it.
 */
export class CommentsService {
  constructor(private readonly d: CommentsDeps) {}

  async add(caller: Actor, postId: string, body: string): Promise<CommentView> {
    const [post, authorName] = await Promise.all([this.d.posts.visible(caller, postId), this.d.views.nameOf(caller.id)]);
    if (post.status !== 'visible') throw new AppError('CONFLICT', 'The post is hidden pending review');
    await this.d.limiter.hitInOrder(this.limits(caller, post));
    const comment: CommentView = { id: randomUUID(), postId, authorId: caller.id, authorName, body, createdAt: this.d.clock.now().toISOString() };
    // One statement: lock the post row (its count), insert the comment (its seq is taken after the
    // lock, so in commit order and `sinceCommentId` misses none) and queue comment.added. Under load
    // every round trip made while holding that lock would delay every other comment on the post.
    const [inserted] = await this.d.uow.statement<{ id: string }>(
      {
        ctes: `locked as (update posts set comment_count = comment_count + 1 where id = ? and status = 'visible' returning id),
          added as (insert into comments (id, post_id, author_id, body, created_at) select ?, locked.id, ?, ?, ? from locked returning id)`,
        params: [postId, comment.id, caller.id, body, new Date(comment.createdAt)],
        guard: 'added',
        select: 'select id from added',
      },
      (emit) => emit('comment.added', { postId, postAuthorId: post.author_id, postTitle: post.title, boardSlug: post.board_slug, comment }),
    );
    if (!inserted) throw new AppError('NOT_FOUND', 'No such post');
    return comment;
  }

  /** A post's visible comments, newest first. */
  async list(caller: Actor, postId: string, page: PageQuery): Promise<Page<CommentView>> {
    await this.d.posts.visible(caller, postId);
    const before = page.cursor ? seqCursor(page.cursor) : Number.MAX_SAFE_INTEGER;
    const rows = await this.d.em.execute<CommentRow[]>(
      `select ${COMMENT_COLUMNS} from comments where post_id = ? and status = 'visible' and seq < ? order by seq desc limit ?`,
      [postId, before, page.limit + 1],
    );
    const served = rows.slice(0, page.limit);
    return {
      items: await this.d.views.comments(served),
      nextCursor: rows.length > page.limit ? encodeCursor([Number(served[served.length - 1].seq)]) : null,
    };
  }

  /** Visible comments after `sinceCommentId` (oldest first), for a watcher that reconnects. */
  async missed(caller: Actor, postId: string, sinceCommentId: string | undefined): Promise<MissedComments> {
    await this.d.posts.visible(caller, postId);
    if (!sinceCommentId) return { postId, comments: [], hasMore: false };
    const [since] = await this.d.em.execute<Array<{ seq: string }>>(`select seq from comments where id = ? and post_id = ?`, [sinceCommentId, postId]);
    if (!since) throw AppError.validation([{ path: 'sinceCommentId', message: 'No such comment on this post' }]);
    const rows = await this.d.em.execute<CommentRow[]>(
      `select ${COMMENT_COLUMNS} from comments where post_id = ? and status = 'visible' and seq > ? order by seq limit ?`,
      [postId, since.seq, MAX_MISSED_COMMENTS + 1],
    );
    return { postId, comments: await this.d.views.comments(rows.slice(0, MAX_MISSED_COMMENTS)), hasMore: rows.length > MAX_MISSED_COMMENTS };
  }

  /** Its author or an admin deletes a comment (it stays as a gap in the order, without its text). */
  async delete(caller: Actor, commentId: string): Promise<void> {
    await this.d.uow.run(async (tx, emit) => {
      const [row] = await tx.execute<CommentRow[]>(`select ${COMMENT_COLUMNS} from comments where id = ? for update`, [commentId]);
      if (!row || row.status === 'deleted' || (row.status === 'hidden' && caller.role !== 'admin' && caller.id !== row.author_id)) {
        throw new AppError('NOT_FOUND', 'No such comment');
      }
      if (caller.role !== 'admin' && caller.id !== row.author_id) throw new AppError('FORBIDDEN', 'Only its author or an admin may delete a comment');
      await tx.execute(`update comments set status = 'deleted', body = '' where id = ?`, [commentId]);
      if (row.status === 'visible') {
        await tx.execute(`update posts set comment_count = comment_count - 1 where id = ?`, [row.post_id]);
        emit('comment.deleted', { postId: row.post_id, commentId });
      }
    });
  }

  /** The user's comment rate and, unless an admin, the post's slow mode. */
  private limits(caller: Actor, post: PostRow): Limit[] {
    const limits: Limit[] = [{ key: communityKeys.comments(caller.id), ...communityLimits.comments }];
    if (post.slow_mode_seconds > 0 && caller.role !== 'admin') {
      limits.push({ key: communityKeys.slowMode(post.id, caller.id), limit: 1, windowSec: post.slow_mode_seconds });
    }
    return limits;
  }
}

function seqCursor(cursor: string): number {
  const [seq] = decodeCursor(cursor, 1);
  if (!Number.isSafeInteger(seq)) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return seq as number;
}
