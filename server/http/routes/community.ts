import { z } from 'zod';
import {
  BoardParams,
  BoardView,
  CommentIdParams,
  CommentInput,
  CommentView,
  CreatePostInput,
  PostIdParams,
  PostView,
  ReportInput,
  REPORTS_TO_HIDE,
  ReportQueueItem,
  Reported,
  ShareEntryInput,
  SlowModeInput,
  type TargetKind,
} from '../../../domain/community/index.js';
import { EntryIdParams } from '../../../domain/diary/index.js';
import type { Modules } from '../../../domain/modules.js';
import { PageQuery, pageSchema } from '../../../domain/shared/pagination.js';
import { Reply, type Api } from '../api.js';

const tags = ['community'];

/** Boards, posts, comments and reports; sharing a diary entry. */
export function registerCommunityRoutes(api: Api, { community }: Modules): void {
  const { posts, comments, moderation } = community;

  api.add({
    method: 'get',
    path: '/boards',
    summary: 'The boards, one per diet or condition, with their visible post counts',
    tags,
    auth: 'user',
    responses: { 200: { description: 'Boards', schema: z.array(BoardView) } },
    handler: () => posts.boards(),
  });
  api.add({
    method: 'get',
    path: '/boards/:slug/posts',
    summary: "A board's posts, newest first",
    tags,
    auth: 'user',
    params: BoardParams,
    query: PageQuery,
    responses: { 200: { description: 'A page of posts', schema: pageSchema(PostView) }, 404: { description: 'No such board' } },
    handler: ({ params, query }) => posts.list(params.slug, query),
  });
  api.add({
    method: 'post',
    path: '/boards/:slug/posts',
    summary: 'Write a post (text only; at most 5 an hour), optionally sharing an own diary entry',
    tags,
    auth: 'user',
    params: BoardParams,
    body: CreatePostInput,
    responses: { 201: { description: 'The post', schema: PostView }, 429: { description: 'RATE_LIMITED with retryAfter' } },
    handler: ({ user, params, body }) => posts.create(user, params.slug, body),
  });
  api.add({
    method: 'post',
    path: '/diary/:id/share',
    summary: 'Share an own diary entry on a board as a post',
    tags,
    auth: 'user',
    params: EntryIdParams,
    body: ShareEntryInput,
    responses: { 201: { description: 'The post', schema: PostView }, 404: { description: 'No such entry of the caller, or no such board' } },
    handler: ({ user, params, body }) => posts.share(user, params.id, body),
  });
  api.add({
    method: 'get',
    path: '/posts/:id',
    summary: 'A post (hidden ones only to their author and admins)',
    tags,
    auth: 'user',
    params: PostIdParams,
    responses: { 200: { description: 'The post', schema: PostView }, 404: { description: 'No such post' } },
    handler: ({ user, params }) => posts.get(user, params.id),
  });
  api.add({
    method: 'delete',
    path: '/posts/:id',
    summary: 'Delete a post with its comments (its author or an admin)',
    tags,
    auth: 'user',
    params: PostIdParams,
    responses: { 204: { description: 'Deleted' }, 403: { description: 'Not the author' } },
    handler: async ({ user, params }) => {
      await posts.delete(user, params.id);
      return new Reply(204);
    },
  });
  api.add({
    method: 'get',
    path: '/posts/:id/comments',
    summary: "A post's comments, newest first",
    tags,
    auth: 'user',
    params: PostIdParams,
    query: PageQuery,
    responses: { 200: { description: 'A page of comments', schema: pageSchema(CommentView) } },
    handler: ({ user, params, query }) => comments.list(user, params.id, query),
  });
  api.add({
    method: 'post',
    path: '/posts/:id/comments',
    summary: "Comment on a post (at most 10 a minute, and the post's slow mode); pushed as comment:added to its watchers",
    tags,
    auth: 'user',
    params: PostIdParams,
    body: CommentInput,
    responses: { 201: { description: 'The comment', schema: CommentView }, 429: { description: 'RATE_LIMITED with retryAfter' } },
    handler: ({ user, params, body }) => comments.add(user, params.id, body.body),
  });
  api.add({
    method: 'delete',
    path: '/comments/:id',
    summary: 'Delete a comment (its author or an admin); pushed as comment:deleted to the post’s watchers',
    tags,
    auth: 'user',
    params: CommentIdParams,
    responses: { 204: { description: 'Deleted' }, 403: { description: 'Not the author' } },
    handler: async ({ user, params }) => {
      await comments.delete(user, params.id);
      return new Reply(204);
    },
  });
  for (const kind of ['post', 'comment'] as const) registerModeration(api, community, kind);
  api.add({
    method: 'get',
    path: '/moderation/reports',
    summary: 'Admin: items with open reports, most recently reported first (hidden ones pending review included)',
    tags,
    auth: ['admin'],
    query: PageQuery,
    responses: { 200: { description: 'The queue', schema: pageSchema(ReportQueueItem) } },
    handler: ({ query }) => community.reports.list(query),
  });
  api.add({
    method: 'put',
    path: '/posts/:id/slow-mode',
    summary: 'Admin: at most one comment per user every `seconds` on this post',
    tags,
    auth: ['admin'],
    params: PostIdParams,
    body: SlowModeInput,
    responses: { 200: { description: 'The post', schema: PostView } },
    handler: ({ params, body }) => moderation.setSlowMode(params.id, body.seconds),
  });
}

/** `POST /{posts|comments}/:id/report` and the admins' `POST /moderation/{posts|comments}/:id/{hide|restore}`. */
function registerModeration(api: Api, community: Modules['community'], kind: TargetKind): void {
  const { moderation } = community;
  const plural = `${kind}s`;
  const View = kind === 'post' ? PostView : CommentView;
  api.add({
    method: 'post',
    path: `/${plural}/:id/report`,
    summary: `Report a ${kind} (once per user; ${REPORTS_TO_HIDE} distinct reports hide it pending review)`,
    tags,
    auth: 'user',
    params: PostIdParams,
    body: ReportInput,
    responses: { 202: { description: 'Received', schema: Reported }, 403: { description: `One's own ${kind}` } },
    handler: ({ user, params, body }) => moderation.report(user, kind, params.id, body.reason),
  });
  for (const action of ['hide', 'restore'] as const) {
    api.add({
      method: 'post',
      path: `/moderation/${plural}/:id/${action}`,
      summary: `Admin: ${action} a ${kind} (closes its open reports)`,
      tags,
      auth: ['admin'],
      params: PostIdParams,
      responses: { 200: { description: `The ${kind}`, schema: View } },
      handler: ({ params }) => (action === 'hide' ? moderation.hide(kind, params.id) : moderation.restore(kind, params.id)),
    });
  }
}
