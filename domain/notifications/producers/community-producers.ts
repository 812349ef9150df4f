import { producer } from '../notification-draft.js';

/** A new comment on someone's post (or on the diary entry it shares), to the post's author: never for their own comment. */
export const commentAdded = producer('comment.added', ({ postId, postAuthorId, postTitle, boardSlug, comment }) =>
  postAuthorId === comment.authorId
    ? []
    : [
        {
          userId: postAuthorId,
          type: 'comment.added',
          subject: comment.id,
          title: `${comment.authorName || 'Someone'} commented on “${postTitle}”`,
          body: comment.body.slice(0, 140),
          data: { postId, commentId: comment.id, boardSlug },
        },
      ],
);
