import { text } from '../shared/text.js';
import { z } from 'zod';
import { SharedEntryView } from '../diary/index.js';

export const TITLE_MAX = 200;
export const POST_BODY_MAX = 10_000;
export const COMMENT_MAX = 2_000;
export const MAX_SLOW_MODE_SECONDS = 3_600;

// Text only: no control characters other than newlines and tabs (nothing that renders as markup is
// interpreted anywhere; clients show these as plain text).
function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) return false;
  }
  return true;
}
const plainText = (max: number, min = 1) => text().trim().min(min).max(max).refine(isPlainText, 'must be plain text (no control characters)');

export const BoardView = z.object({ slug: z.string(), name: z.string(), description: z.string(), postCount: z.number().int() });
export type BoardView = z.output<typeof BoardView>;

export const BoardParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,50}$/, 'a board slug') }).strict();
export const PostIdParams = z.object({ id: z.uuid() }).strict();
export const CommentIdParams = z.object({ id: z.uuid() }).strict();

export const CreatePostInput = z
  .object({ title: plainText(TITLE_MAX), body: plainText(POST_BODY_MAX, 0).default(''), diaryEntryId: z.uuid().optional() })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.body && !p.diaryEntryId) ctx.addIssue({ code: 'custom', path: ['body'], message: 'A post needs a body or a shared diary entry' });
  });
export type CreatePostInput = z.output<typeof CreatePostInput>;

/** `POST /diary/:id/share`: the entry goes to a board as a post; title defaults to the meal and day. */
export const ShareEntryInput = z
  .object({ boardSlug: BoardParams.shape.slug, title: plainText(TITLE_MAX).optional(), body: plainText(POST_BODY_MAX, 0).default('') })
  .strict();
export type ShareEntryInput = z.output<typeof ShareEntryInput>;

export const CommentInput = z.object({ body: plainText(COMMENT_MAX) }).strict();
export type CommentInput = z.output<typeof CommentInput>;

export const ReportInput = z.object({ reason: plainText(500, 0).default('') }).strict();
export type ReportInput = z.output<typeof ReportInput>;

export const SlowModeInput = z.object({ seconds: z.number().int().min(0).max(MAX_SLOW_MODE_SECONDS).describe('0 turns slow mode off') }).strict();

export const MODERATION_STATES = ['visible', 'hidden'] as const;

export const CommentView = z.object({
  id: z.uuid(),
  postId: z.uuid(),
  authorId: z.uuid(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
});
export type CommentView = z.output<typeof CommentView>;

export const PostView = z.object({
  id: z.uuid(),
  boardSlug: z.string(),
  authorId: z.uuid(),
  authorName: z.string(),
  title: z.string(),
  body: z.string(),
  entry: SharedEntryView.nullable().describe('the shared diary entry while it exists (photo links are signed and short-lived)'),
  commentCount: z.number().int(),
  status: z.enum(MODERATION_STATES),
  slowModeSeconds: z.number().int(),
  createdAt: z.string(),
});
export type PostView = z.output<typeof PostView>;

export const Reported = z.object({ status: z.literal('received'), hidden: z.boolean().describe('the item is now hidden pending review') });

export const ReportQueueItem = z.object({
  kind: z.enum(['post', 'comment']),
  id: z.uuid(),
  postId: z.uuid(),
  excerpt: z.string(),
  authorId: z.uuid(),
  status: z.enum(MODERATION_STATES),
  hiddenBy: z.enum(['reports', 'admin']).nullable(),
  reportCount: z.number().int(),
  reports: z.array(z.object({ reporterId: z.uuid(), reason: z.string(), at: z.string() })),
  lastReportedAt: z.string(),
});
export type ReportQueueItem = z.output<typeof ReportQueueItem>;

/** `post:watch`: watch a post's comments; `sinceCommentId` asks for the ones missed after it. */
export const PostWatchInput = z.object({ postId: z.uuid(), sinceCommentId: z.uuid().optional() }).strict();
export const PostUnwatchInput = z.object({ postId: z.uuid() }).strict();
export const CommentAddInput = z.object({ postId: z.uuid(), body: CommentInput.shape.body }).strict();
export const MissedComments = z.object({
  postId: z.uuid(),
  comments: z.array(CommentView).describe('visible comments after sinceCommentId, oldest first (none without it)'),
  hasMore: z.boolean().describe('more were missed than one ack carries: page through GET /posts/:id/comments'),
});
export type MissedComments = z.output<typeof MissedComments>;
