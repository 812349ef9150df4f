import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SharedEntries } from '../diary/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { decodeCursor, encodeCursor, isUuid, type Page, type PageQuery } from '../shared/pagination.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { BoardView, CreatePostInput, PostView, ShareEntryInput } from './community.schemas.js';
import { POST_COLUMNS, type PostRow } from './community-rows.js';
import type { CommunityViews } from './community-views.js';
import { communityKeys, communityLimits } from './redis-keys.js';

export interface PostsDeps {
  em: EntityManager;
  uow: UnitOfWork;
  clock: Clock;
  limiter: RateLimiter;
  entries: Pick<SharedEntries, 'shareable'>;
  views: CommunityViews;
}

const END = ['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff'];

/** Whether the caller may see the post: visible ones to all; a hidden one to its author and admins. */
export function canSee(caller: Actor, post: Pick<PostRow, 'status' | 'author_id'>): boolean {
  return post.status === 'visible' || caller.role === 'admin' || caller.id === post.author_id;
}

/** Boards and their posts: listing, reading, writing (5 an hour per user), sharing a diary entry, deleting. */
export class PostsService {
  constructor(private readonly d: PostsDeps) {}

  async boards(): Promise<BoardView[]> {
    const rows = await this.d.em.execute<Array<{ slug: string; name: string; description: string; post_count: number }>>(
      `select slug, name, description, post_count from boards order by position`,
    );
    return rows.map((r) => ({ slug: r.slug, name: r.name, description: r.description, postCount: r.post_count }));
  }

  /** A board's visible posts, newest first. */
  async list(boardSlug: string, page: PageQuery): Promise<Page<PostView>> {
    await this.board(boardSlug);
    const [at, id] = page.cursor ? postCursor(page.cursor) : END;
    const rows = await this.d.em.execute<PostRow[]>(
      `select ${POST_COLUMNS} from posts where board_slug = ? and status = 'visible' and (created_at, id) < (?::timestamptz, ?::uuid)
       order by created_at desc, id desc limit ?`,
      [boardSlug, at, id, page.limit + 1],
    );
    const served = rows.slice(0, page.limit);
    const last = served[served.length - 1];
    return {
      items: await this.d.views.posts(served),
      nextCursor: rows.length > page.limit ? encodeCursor([new Date(last.created_at).toISOString(), last.id]) : null,
    };
  }

  async get(caller: Actor, postId: string): Promise<PostView> {
    return this.d.views.post(await this.visible(caller, postId));
  }

  /** The post row if the caller may see it; NOT_FOUND otherwise. */
  async visible(caller: Actor, postId: string): Promise<PostRow> {
    const [row] = await this.d.em.execute<PostRow[]>(`select ${POST_COLUMNS} from posts where id = ?`, [postId]);
    if (!row || !canSee(caller, row)) throw new AppError('NOT_FOUND', 'No such post');
    return row;
  }

  async create(caller: Actor, boardSlug: string, input: CreatePostInput): Promise<PostView> {
    await this.board(boardSlug);
    if (input.diaryEntryId) await this.d.entries.shareable(caller.id, input.diaryEntryId);
    await this.d.limiter.hit(communityKeys.posts(caller.id), communityLimits.posts.limit, communityLimits.posts.windowSec);
    const row = await this.d.uow.run(async (tx) => {
      const [inserted] = await tx.execute<PostRow[]>(
        `insert into posts (id, board_slug, author_id, title, body, diary_entry_id, created_at) values (?, ?, ?, ?, ?, ?, ?) returning ${POST_COLUMNS}`,
        [randomUUID(), boardSlug, caller.id, input.title, input.body, input.diaryEntryId ?? null, this.d.clock.now()],
      );
      await tx.execute(`update boards set post_count = post_count + 1 where slug = ?`, [boardSlug]);
      return inserted;
    });
    return this.d.views.post(row);
  }

  /** `POST /diary/:id/share`: a post on the board carrying the entry (title defaults to "Lunch on 2026-12-03"). */
  async share(caller: Actor, entryId: string, input: ShareEntryInput): Promise<PostView> {
    const { date, meal } = await this.d.entries.shareable(caller.id, entryId);
    const title = input.title ?? `${meal[0].toUpperCase()}${meal.slice(1)} on ${date}`;
    return this.create(caller, input.boardSlug, { title, body: input.body, diaryEntryId: entryId });
  }

  /** Its author or an admin deletes a post, with its comments and reports; a shared photo is no longer linked from it. */
  async delete(caller: Actor, postId: string): Promise<void> {
    const post = await this.visible(caller, postId);
    if (caller.role !== 'admin' && caller.id !== post.author_id) throw new AppError('FORBIDDEN', 'Only its author or an admin may delete a post');
    await this.d.uow.run(async (tx, emit) => {
      const [gone] = await tx.execute<Array<{ status: string }>>(`delete from posts where id = ? returning status`, [postId]);
      if (gone?.status === 'visible') await tx.execute(`update boards set post_count = post_count - 1 where slug = ?`, [post.board_slug]);
      if (gone) emit('post.deleted', { postId, boardSlug: post.board_slug });
    });
  }

  private async board(slug: string): Promise<void> {
    const [found] = await this.d.em.execute(`select 1 from boards where slug = ?`, [slug]);
    if (!found) throw new AppError('NOT_FOUND', 'No such board');
  }
}

function postCursor(cursor: string): string[] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return [at, id];
}
