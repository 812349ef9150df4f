import type { SharedEntries } from '../diary/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { CommentView, PostView } from './community.schemas.js';
import type { CommentRow, PostRow } from './community-rows.js';

/**
 * Rows as clients see them: authors' names from the user directory, a shared entry from the diary
 * (read now, so a trashed or purged entry is gone from the post, and photo links are signed per read).
 */
export class CommunityViews {
  constructor(
    private readonly users: Pick<UserDirectory, 'names'>,
    private readonly entries: Pick<SharedEntries, 'views'>,
    private readonly photoUrlTtlSeconds: number,
  ) {}

  async posts(rows: readonly PostRow[]): Promise<PostView[]> {
    const entryIds = rows.flatMap((r) => (r.diary_entry_id ? [r.diary_entry_id] : []));
    const [names, entries] = await Promise.all([this.users.names(rows.map((r) => r.author_id)), this.entries.views(entryIds, this.photoUrlTtlSeconds)]);
    return rows.map((r) => ({
      id: r.id,
      boardSlug: r.board_slug,
      authorId: r.author_id,
      authorName: names.get(r.author_id) ?? '',
      title: r.title,
      body: r.body,
      entry: (r.diary_entry_id && entries.get(r.diary_entry_id)) || null,
      commentCount: r.comment_count,
      status: r.status,
      slowModeSeconds: r.slow_mode_seconds,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  async post(row: PostRow): Promise<PostView> {
    return (await this.posts([row]))[0];
  }

  async comments(rows: readonly CommentRow[]): Promise<CommentView[]> {
    const names = await this.users.names(rows.map((r) => r.author_id));
    return rows.map((r) => commentView(r, names.get(r.author_id) ?? ''));
  }

  /** The caller's display name, read before a write so no transaction waits for it. */
  async nameOf(userId: string): Promise<string> {
    return (await this.users.names([userId])).get(userId) ?? '';
  }
}

/** A comment row with its author's name. */
export function commentView(r: CommentRow, authorName: string): CommentView {
  return { id: r.id, postId: r.post_id, authorId: r.author_id, authorName, body: r.body, createdAt: new Date(r.created_at).toISOString() };
}
