import { RequestContext } from '@mikro-orm/core';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { AppError } from '../../domain/shared/app-error.js';
import { parseInput } from '../../domain/shared/validate.js';
import type { Actor } from '../../domain/shared/actor.js';
import type { AppContext } from '../platform/app-context.js';
import { clientError } from '../platform/error-mapping.js';
import { logContext } from '../platform/logger.js';
import type { Ack, AckFn, ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { TokenBucket } from './token-bucket.js';

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;


const buckets = new WeakMap<AppSocket, TokenBucket>();
const SOCKET_BURST = 100;
const SOCKET_EVENTS_PER_SECOND = 50;

function bucketFor(socket: AppSocket): TokenBucket {
  let bucket = buckets.get(socket);
  if (!bucket) buckets.set(socket, (bucket = new TokenBucket(SOCKET_BURST, SOCKET_EVENTS_PER_SECOND)));
  return bucket;
}

/**
 * Registers a client event: rate limit → validate the payload with the schema → run the service in
 * its own unit of work → ack `{ok,data}` or `{ok:false,error}`. Nothing escapes to the transport.
 */
export function handle<S extends z.ZodType, R>(
  context: AppContext,
  socket: AppSocket,
  event: string,
  schema: S,
  run: (input: z.output<S>, caller: Actor) => Promise<R>,
): void {
  const { orm, log, metrics } = context;
  socket.on(event, (...args: unknown[]) => {
    const ack: AckFn = typeof args[args.length - 1] === 'function' ? (args.pop() as AckFn) : () => {};
    const payload = args[0] ?? {};
    const started = process.hrtime.bigint();
    const reply = (response: Ack) => {
      metrics.socketEvents.inc({ event, outcome: response.ok ? 'ok' : response.error.code });
      metrics.socketDuration.observe({ event }, Number(process.hrtime.bigint() - started) / 1e9);
      ack(response);
    };
    void logContext.run({ socketId: socket.id, userId: socket.data.userId, event }, async () => {
      try {
        const retryAfter = bucketFor(socket).take();
        if (retryAfter > 0) throw new AppError('RATE_LIMITED', 'Too many events on this connection', { retryAfter });
        const input = parseInput(schema, payload);
        const caller: Actor = { id: socket.data.userId, role: socket.data.role };
        const data = await RequestContext.create(orm.em, () => run(input, caller));
        reply({ ok: true, data: data ?? null });
      } catch (err) {
        const { error: e, expose, expected } = clientError(err);
        if (!expected) log.error({ err, event }, 'socket handler failed');
        reply({ ok: false, error: { code: e.code, message: expose ? e.message : 'Internal server error', ...(expose ? e.details : {}) } });
      }
    });
  });
}
