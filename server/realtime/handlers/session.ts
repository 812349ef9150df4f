import { AppError } from '../../../domain/shared/app-error.js';
import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { scheduleExpiry } from '../session-expiry.js';

/** `auth:renew {token}`: a fresh access token for the same user extends the live socket. */
export function registerSessionHandlers(context: AppContext, events: SocketEvents): void {
  events.handle('auth:renew', async ({ token }, _caller, socket) => {
    const claims = await context.modules.identity.actors.resolve(token);
    if (claims.userId !== socket.data.userId) throw new AppError('FORBIDDEN', 'Token belongs to another user');
    socket.data.role = claims.role;
    socket.data.expiresAt = claims.expiresAt;
    scheduleExpiry(socket, context.clock);
    return { expiresAt: new Date(claims.expiresAt).toISOString() };
  });
}
