import type { Socket } from 'socket.io';
import type { Actor } from '../../domain/shared/actor.js';
import { AppError } from '../../domain/shared/app-error.js';
import { parseInput } from '../../domain/shared/validate.js';
import type { AppContext } from '../platform/app-context.js';
import { clientError } from '../platform/error-mapping.js';
import { withLazyUnitOfWork } from '../platform/lazy-unit-of-work.js';
import { logContext } from '../platform/logger.js';
import { clientEvents, type Ack, type AckData, type ClientEventName, type EventArgs } from './contract.js';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from './events.js';
import { TokenBucket } from './token-bucket.js';

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** How one registered event is served: its arguments as the transport delivered them (any: clients can send anything). */
type Served = (socket: AppSocket, args: unknown[]) => void;

const SOCKET_BURST = 100;
const SOCKET_EVENTS_PER_SECOND = 50;

/**
 * The client events of the contract (contract.ts) and their handlers, registered once per process and
 * shared by every socket: a socket gets one listener (`attach`), not a closure per event, so an idle
 * connection costs little more than Socket.IO's own.
 */
export class SocketEvents {
  private readonly served = new Map<string, Served>();
  private readonly buckets = new WeakMap<AppSocket, TokenBucket>();

  /**
   * @param userEvents the per-user event limit (across the user's sockets and instances), on top of
   * each socket's own: 0 when allowed, else seconds to wait (a promise only when it must ask Redis).
   */
  constructor(
    private readonly context: AppContext,
    private readonly userEvents: (userId: string) => number | Promise<number> = () => 0,
  ) {}

  /**
   * Registers the handler of a client event: rate limit → validate the payload with the event's schema
   * → run the service in its own unit of work (forked on first use) → ack `{ok,data}` or
   * `{ok:false,error}`. Nothing escapes to the transport. The event name, the input the handler gets
   * and the data it returns are checked against the contract at compile time.
   */
  handle<E extends ClientEventName>(event: E, run: (input: EventArgs<E>, caller: Actor, socket: AppSocket) => Promise<AckData<E>>): void {
    const { orm, log, metrics } = this.context;
    const schema = clientEvents[event].input;
    const okCount = metrics.socketEvents.labels(event, 'ok');
    const duration = metrics.socketDuration.labels(event);
    this.served.set(event, (socket, args) => {
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
          await this.spendEventBudget(socket);
          const input = parseInput(schema, payload) as EventArgs<E>;
          const caller: Actor = { id: socket.data.userId, role: socket.data.role };
          const data = await withLazyUnitOfWork(orm.em, () => run(input, caller, socket));
          reply({ ok: true, data: data ?? null });
        } catch (err) {
          const { error: e, expose, expected } = clientError(err);
          if (!expected) log.error({ err, event }, 'socket handler failed');
          reply({ ok: false, error: { code: e.code, message: expose ? e.message : 'Internal server error', ...(expose ? e.details : {}) } });
        }
      });
    });
  }

  /** Serves the registered events on the socket (events it does not know are ignored, as before). */
  attach(socket: AppSocket): void {
    socket.onAny(this.dispatch);
  }

  /** One function for every socket: Socket.IO calls it with the socket as `this` and the event name first. */
  private readonly dispatch = (() => {
    const served = this.served;
    return function (this: AppSocket, event: unknown, ...args: unknown[]) {
      if (typeof event === 'string') served.get(event)?.(this, args);
    };
  })();

  /** Refuses an event over the socket's own budget or its user's (awaited only when the user's slice is refilled from Redis). */
  private async spendEventBudget(socket: AppSocket): Promise<void> {
    let bucket = this.buckets.get(socket);
    if (!bucket) {
      bucket = new TokenBucket(SOCKET_BURST, SOCKET_EVENTS_PER_SECOND);
      this.buckets.set(socket, bucket);
    }
    const own = bucket.take();
    if (own > 0) throw new AppError('RATE_LIMITED', 'Too many events on this connection', { retryAfter: own });
    const taken = this.userEvents(socket.data.userId);
    const user = typeof taken === 'number' ? taken : await taken;
    if (user > 0) throw new AppError('RATE_LIMITED', 'Too many events on this account', { retryAfter: user });
  }
}
