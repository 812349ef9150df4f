import type { DiaryModule } from '../diary/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { CommentsService } from './comments.service.js';
import { CommunityViews } from './community-views.js';
import { ModerationService } from './moderation.service.js';
import { PostsService } from './posts.service.js';
import { ReportQueue } from './report-queue.js';
import './community.events.js';

export * from './community.schemas.js';
export type { CommentAdded } from './community.events.js';
export { Board, Comment, ModerationReport, Post } from './community.entity.js';
export { MAX_MISSED_COMMENTS } from './comments.service.js';
export { REPORTS_TO_HIDE, type TargetKind } from './moderation.service.js';
export { communityLimits } from './redis-keys.js';
export type { CommentsService } from './comments.service.js';
export type { ModerationService } from './moderation.service.js';
export type { PostsService } from './posts.service.js';
export type { ReportQueue } from './report-queue.js';

/** Boards per diet and condition, posts (sharing diary entries), live comments, reports and moderation. */
export interface CommunityModule {
  posts: PostsService;
  comments: CommentsService;
  moderation: ModerationService;
  reports: ReportQueue;
}

export interface CommunityDeps {
  diary: Pick<DiaryModule, 'shared'>;
  users: Pick<UserDirectory, 'names'>;
}

export interface CommunitySettings {
  /** How long a shared entry's photo link lives (a deleted post stops signing new ones). */
  sharedPhotoUrlTtlSeconds: number;
}

export function createCommunityModule(deps: ModuleDeps, { diary, users }: CommunityDeps, settings: CommunitySettings): CommunityModule {
  const { em, uow, clock } = deps;
  const limiter = new RateLimiter(deps.redis);
  const views = new CommunityViews(users, diary.shared, settings.sharedPhotoUrlTtlSeconds);
  const posts = new PostsService({ em, uow, clock, limiter, entries: diary.shared, views });
  return {
    posts,
    comments: new CommentsService({ em, uow, clock, limiter, posts, views }),
    moderation: new ModerationService({ em, uow, clock, limiter, views }),
    reports: new ReportQueue(em),
  };
}
