import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Cluster, Redis } from 'ioredis';
import type { AppContext } from '../platform/app-context.js';
import { AppError } from '../../domain/shared/app-error.js';
import { toAppError } from '../platform/error-mapping.js';
import { createSocketRedis } from '../platform/redis.js';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { SocketEvents, type AppSocket } from './handle.js';
import { SocketSlots } from './socket-slots.js';
import { UserEventLimiter } from './user-event-limiter.js';
import { redisAdapter } from './adapter.js';
import { rooms } from './rooms.js';
import { registerSocketHandlers } from './handlers/index.js';
import { scheduleExpiry } from './session-expiry.js';
import { NewSocketChecks, startAccountSweep } from './account-sweep.js';
import { coalesceHandshakeWrites } from './handshake-writes.js';

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  io: AppServer;
  close(): Promise<void>;
}

/** Socket.IO on the Koa http server, with a Redis adapter (classic or sharded) so every instance reaches every client. */
export async function createRealtime(httpServer: HttpServer, context: AppContext & { redis: Redis }): Promise<Realtime> {
  const { config, log } = context;
  const slots = new SocketSlots(context.redis, config.socketsPerUser, log);
  const userEvents = new UserEventLimiter(context.redis, config.socketUserEventsPerSecond, log);
  const newSockets = new NewSocketChecks(context.modules.identity.users, log);
  const { actors } = context.modules.identity;
  const events = new SocketEvents(context, (userId) => userEvents.take(userId));
  registerSocketHandlers(context, events);
  const pub = createSocketRedis(config.redisUrl, config.socketRedisClusterNodes, 'larder-io-pub');
  const sub = createSocketRedis(config.redisUrl, config.socketRedisClusterNodes, 'larder-io-sub');
  for (const client of [pub, sub]) client.on('error', (err) => log.warn({ err: err.message }, 'socket.io redis error'));
  await Promise.all([pub.connect(), sub.connect()]);

  const io: AppServer = new Server(httpServer, {
    adapter: redisAdapter(config, pub, sub),
    perMessageDeflate: false, // triples CPU and memory per socket (STACK.md)
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
  });
  coalesceHandshakeWrites(io);

  io.use(async (socket, next) => {
    try {
      const claims = await actors.verify(socket.handshake.auth?.token as string | undefined);
      // The socket lives on its claims; its bearer token need not stay in memory as long (~0.5 KB a socket).
      delete socket.handshake.auth.token;
      socket.data = { userId: claims.userId, role: claims.role, expiresAt: claims.expiresAt };
      // One round trip: the slot script also reads the revocation mark; the account is checked right after the connection.
      const revocation = actors.revocationCheck(claims);
      const slot = await slots.take(claims.userId, socket.id, revocation.markKey, claims.issuedAt);
      revocation.assert(slot.mark); // a revoked token took no slot: nothing to give back
      if (!slot.taken) {
        log.warn({ userId: claims.userId, cap: config.socketsPerUser }, 'socket refused: too many connections for one user');
        throw new AppError('TOO_MANY_CONNECTIONS', `At most ${config.socketsPerUser} connections per user; close one first`);
      }
      next();
    } catch (err) {
      const appError = toAppError(err);
      next(Object.assign(new Error(appError?.message ?? 'Unauthorized'), { data: { code: appError?.code ?? 'UNAUTHENTICATED' } }));
    }
  });

  io.on('connection', (socket: AppSocket) => {
    context.metrics.socketConnections.inc();
    socket.once('disconnect', () => {
      context.metrics.socketConnections.dec();
      slots.release(socket.id);
    });
    newSockets.add(socket);
    void socket.join(rooms.user(socket.data.userId));
    scheduleExpiry(socket, context.clock);
    events.attach(socket);
  });

  const stopSweep = startAccountSweep(io, context.modules.identity.users, log);

  return {
    io,
    async close() {
      stopSweep();
      slots.stop();
      newSockets.stop();
      userEvents.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await Promise.all([quit(pub), quit(sub)]);
    },
  };
}

async function quit(client: Redis | Cluster): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
