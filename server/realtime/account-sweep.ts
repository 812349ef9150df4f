import type { Logger } from 'pino';
import type { ActorResolver, UserDirectory } from '../../domain/identity/index.js';
import { AppError } from '../../domain/shared/app-error.js';
import type { AppSocket } from './handle.js';

/** The part of the Socket.IO server the sweep reads: this instance's sockets. */
interface LocalSockets {
  of(namespace: '/'): { sockets: Map<string, AppSocket> };
}

/** How often each instance checks that the accounts behind its sockets still exist and are enabled. */
export const ACCOUNT_SWEEP_INTERVAL_MS = 10_000;

/**
 * Closes this instance's sockets whose account was deleted or disabled behind the API's back (a
 * disable through the API closes them at once, through `user.disabled`). One query per interval for
 * all the instance's users, so the per-event path never asks the database who the caller is.
 */
export function startAccountSweep(io: LocalSockets, users: Pick<UserDirectory, 'activeIds'>, log: Logger): () => void {
  let running = false;
  const sweep = async () => {
    const sockets = [...io.of('/').sockets.values()];
    const ids = [...new Set(sockets.map((s) => s.data.userId))];
    if (ids.length === 0) return;
    const active = await users.activeIds(ids);
    for (const socket of sockets) {
      if (active.has(socket.data.userId)) continue;
      socket.emit('auth:expired', { message: 'This account no longer exists or was disabled' });
      socket.disconnect(true);
    }
  };
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((err) => log.warn({ err: (err as Error).message }, 'account sweep of live sockets failed'))
      .finally(() => {
        running = false;
      });
  }, ACCOUNT_SWEEP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Checks the account behind a new socket after the handshake (PostgreSQL at most once per user per 30 s
 * and process), so the handshake waits for nothing but Redis; a deleted or disabled account's socket is
 * told why and closed at once.
 */
export function closeIfAccountGone(socket: AppSocket, actors: Pick<ActorResolver, 'assertActive'>, log: Logger): void {
  actors.assertActive(socket.data.userId).catch((err: unknown) => {
    if (!(err instanceof AppError && err.code === 'UNAUTHENTICATED')) {
      log.warn({ err: (err as Error).message }, 'account of a new socket not checked; the sweep will');
      return;
    }
    socket.emit('auth:expired', { message: err.message });
    socket.disconnect(true);
  });
}
