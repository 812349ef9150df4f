import type { Clock } from '../../domain/shared/clock.js';
import type { AppSocket } from './handle.js';

const timers = new WeakMap<AppSocket, NodeJS.Timeout>();

/**
 * Disconnects the socket when its access token expires without `auth:renew`, telling the client why
 * first. A socket must not outlive the credentials it was opened with.
 */
export function scheduleExpiry(socket: AppSocket, clock: Clock): void {
  clearTimeout(timers.get(socket));
  const delay = Math.max(0, socket.data.expiresAt - clock.now().getTime());
  const timer = setTimeout(() => {
    socket.emit('auth:expired', { message: 'Access token expired; reconnect with a fresh token' });
    socket.disconnect(true);
  }, delay);
  timer.unref();
  if (!timers.has(socket)) socket.once('disconnect', () => clearTimeout(timers.get(socket)));
  timers.set(socket, timer);
}
