import type { CommentView } from './community.schemas.js';

/** A new comment: what its watchers are shown, and what a notification to the post's author needs. */
export interface CommentAdded {
  postId: string;
  /** Whom to notify: the post's author (a consumer skips comments they wrote themselves: `comment.authorId`). */
  postAuthorId: string;
  postTitle: string;
  boardSlug: string;
  comment: CommentView;
}

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'comment.added': CommentAdded;
    /** Deleted by its author or an admin, or hidden by reports or an admin. */
    'comment.deleted': { postId: string; commentId: string };
    /** Made visible again by an admin. */
    'comment.restored': { postId: string; comment: CommentView };
    'post.deleted': { postId: string; boardSlug: string };
  }
}
