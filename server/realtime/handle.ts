import type { Socket } from 'socket.io';
import type { Actor } from '../../domain/shared/actor.js';
import { AppError } from '../../domain/shared/app-error.js';
import { parseInput } from '../../domain/shared/validate.js';
import type { AppContext } from '../platform/app-context.js';
import type { Metrics } from '../platform/metrics.js';
import { clientError } from '../platform/error-mapping.js';
import { withLazyUnitOfWork } from '../platform/lazy-unit-of-work.js';
import { logContext } from '../platform/logger.js';
import { clientEvents, type Ack, type AckData, type ClientEventName, type EventArgs } from './contract.js';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { TokenBucket } from './token-bucket.js';

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The socket as the transport really delivers events: any arguments, since clients can send anything. */
type RawListener = { on(event: string, listener: (...args: unknown[]) => void): unknown };

const buckets = new WeakMap<AppSocket, TokenBucket>();
const userLimits = new WeakMap<AppSocket, () => number | Promise<number>>();
const SOCKET_BURST = 100;
const SOCKET_EVENTS_PER_SECOND = 50;

function bucketFor(socket: AppSocket): TokenBucket {
  const bucket = buckets.get(socket) ?? new TokenBucket(SOCKET_BURST, SOCKET_EVENTS_PER_SECOND);
  buckets.set(socket, bucket);
  return bucket;
}

/** Adds the per-user event limit (across the user's sockets and instances) to the socket's own. */
export function limitUserEvents(socket: AppSocket, take: () => number | Promise<number>): void {
  userLimits.set(socket, take);
}

/** Refuses an event over the socket's own budget or its user's (awaited only when the user's slice is refilled from Redis). */
async function spendEventBudget(socket: AppSocket): Promise<void> {
  const own = bucketFor(socket).take();
  if (own > 0) throw new AppError('RATE_LIMITED', 'Too many events on this connection', { retryAfter: own });
  const taken = userLimits.get(socket)?.() ?? 0;
  const user = typeof taken === 'number' ? taken : await taken;
  if (user > 0) throw new AppError('RATE_LIMITED', 'Too many events on this account', { retryAfter: user });
}

type EventMetrics = { okCount: { inc(): void }; duration: { observe(seconds: number): void } };
const labelled = new WeakMap<Metrics, Map<string, EventMetrics>>();

/** An event's metric children, looked up once per process and event (not per socket, not per event). */
function eventMetrics(metrics: Metrics, event: string): EventMetrics {
  let byEvent = labelled.get(metrics);
  if (!byEvent) {
    byEvent = new Map();
    labelled.set(metrics, byEvent);
  }
  let children = byEvent.get(event);
  if (!children) {
    children = { okCount: metrics.socketEvents.labels(event, 'ok'), duration: metrics.socketDuration.labels(event) };
    byEvent.set(event, children);
  }
  return children;
}

/**
 * Registers the handler of a client event of the contract (contract.ts): rate limit → validate the
 * payload with the event's schema → run the service in its own unit of work (forked on first use) → ack `{ok,data}` or
 * `{ok:false,error}`. Nothing escapes to the transport. The event name, the input the handler gets and
 * the data it returns are checked against the contract at compile time.
 */
export function handle<E extends ClientEventName>(
  context: AppContext,
  socket: AppSocket,
  event: E,
  run: (input: EventArgs<E>, caller: Actor) => Promise<AckData<E>>,
): void {
  const { orm, log, metrics } = context;
  const schema = clientEvents[event].input;
  const { okCount, duration } = eventMetrics(metrics, event);
  (socket as unknown as RawListener).on(event, (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (response: Ack<unknown>) => void) : () => {};
    const payload = args[0] ?? {};
    const started = performance.now();
    const reply = (response: Ack<unknown>) => {
      if (response.ok) okCount.inc();
      else metrics.socketEvents.inc({ event, outcome: response.error.code });
      duration.observe((performance.now() - started) / 1000);
      ack(response);
    };
    void logContext.run({ socketId: socket.id, userId: socket.data.userId, event }, async () => {
      try {
        await spendEventBudget(socket);
        const input = parseInput(schema, payload) as EventArgs<E>;
        const caller: Actor = { id: socket.data.userId, role: socket.data.role };
        const data = await withLazyUnitOfWork(orm.em, () => run(input, caller));
        reply({ ok: true, data: data ?? null });
      } catch (err) {
        const { error: e, expose, expected } = clientError(err);
        if (!expected) log.error({ err, event }, 'socket handler failed');
        reply({ ok: false, error: { code: e.code, message: expose ? e.message : 'Internal server error', ...(expose ? e.details : {}) } });
      }
    });
  });
}
