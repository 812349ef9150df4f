import type { Logger } from 'pino';
import type { UserDirectory } from '../../domain/identity/index.js';
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
    for (const socket of sockets) if (!active.has(socket.data.userId)) closeForAccount(socket);
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

const CHECK_BATCH_MS = 20;

/**
 * Checks the accounts behind new sockets right after their handshakes, in batches (one query per 20 ms
 * of connections, however many), so the handshake waits for nothing but Redis and a reconnect storm
 * costs a few queries; a deleted or disabled account's socket is told why and closed at once.
 */
export class NewSocketChecks {
  private queued: AppSocket[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly users: Pick<UserDirectory, 'activeIds'>,
    private readonly log: Logger,
  ) {}

  add(socket: AppSocket): void {
    this.queued.push(socket);
    this.timer ??= setTimeout(() => void this.check(), CHECK_BATCH_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private async check(): Promise<void> {
    const sockets = this.queued.splice(0);
    this.timer = undefined;
    try {
      const active = await this.users.activeIds([...new Set(sockets.map((s) => s.data.userId))]);
      for (const socket of sockets) if (!active.has(socket.data.userId)) closeForAccount(socket);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'accounts of new sockets not checked; the sweep will');
    }
  }
}

function closeForAccount(socket: AppSocket): void {
  socket.emit('auth:expired', { message: 'This account no longer exists or was disabled' });
  socket.disconnect(true);
}
