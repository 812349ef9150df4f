import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A board per diet or condition (seeded by the community migration). */
export const Board = defineEntity({
  name: 'Board',
  tableName: 'boards',
  properties: { slug: p.string().primary(), name: p.string(), description: p.text(), position: p.integer(), postCount: p.integer().default(0) },
});
export type Board = InferEntity<typeof Board>;

export const Post = defineEntity({
  name: 'Post',
  tableName: 'posts',
  properties: {
    id: p.uuid().primary(),
    boardSlug: p.string(),
    authorId: p.uuid(),
    title: p.string(),
    body: p.text(),
    diaryEntryId: p.uuid().nullable(),
    status: p.string().default('visible'),
    hiddenBy: p.string().nullable(),
    openReports: p.integer().default(0),
    commentCount: p.integer().default(0),
    slowModeSeconds: p.integer().default(0),
    createdAt: p.datetime(),
  },
});
export type Post = InferEntity<typeof Post>;

export const Comment = defineEntity({
  name: 'Comment',
  tableName: 'comments',
  properties: {
    id: p.uuid().primary(),
    seq: p.bigint('number').persist(false),
    postId: p.uuid(),
    authorId: p.uuid(),
    body: p.text(),
    status: p.string().default('visible'),
    hiddenBy: p.string().nullable(),
    openReports: p.integer().default(0),
    createdAt: p.datetime(),
  },
});
export type Comment = InferEntity<typeof Comment>;

export const ModerationReport = defineEntity({
  name: 'ModerationReport',
  tableName: 'moderation_reports',
  properties: {
    targetKind: p.string().primary(),
    targetId: p.uuid().primary(),
    reporterId: p.uuid().primary(),
    postId: p.uuid(),
    reason: p.text().default(''),
    createdAt: p.datetime(),
    resolvedAt: p.datetime().nullable(),
  },
});
export type ModerationReport = InferEntity<typeof ModerationReport>;
