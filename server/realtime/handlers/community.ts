import { AppError } from '../../../domain/shared/app-error.js';
import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { rooms } from '../rooms.js';

/** Post rooms one socket may watch at once. */
export const MAX_WATCHED_POSTS_PER_SOCKET = 200;

/** post:watch/unwatch and comment:add. */
export function registerCommunityHandlers(context: AppContext, events: SocketEvents): void {
  const { comments } = context.modules.community;

  // Join first, then read what was missed: a comment committed in between arrives twice (clients
  // dedupe by id) rather than not at all.
  events.handle('post:watch', async ({ postId, sinceCommentId }, caller, socket) => {
    const room = rooms.post(postId);
    const watched = [...socket.rooms].filter((r) => r.startsWith('post:')).length;
    if (!socket.rooms.has(room) && watched >= MAX_WATCHED_POSTS_PER_SOCKET) {
      throw AppError.validation([{ path: 'postId', message: `A connection watches at most ${MAX_WATCHED_POSTS_PER_SOCKET} posts` }]);
    }
    await socket.join(room);
    try {
      return await comments.missed(caller, postId, sinceCommentId);
    } catch (err) {
      await socket.leave(room);
      throw err;
    }
  });
  events.handle('post:unwatch', async ({ postId }, _caller, socket) => {
    await socket.leave(rooms.post(postId));
    return null;
  });
  events.handle('comment:add', ({ postId, body }, caller) => comments.add(caller, postId, body));
}
