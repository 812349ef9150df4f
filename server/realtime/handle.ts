import type { Socket } from 'socket.io';
import type { Actor } from '../../domain/shared/actor.js';
import { AppError } from '../../domain/shared/app-error.js';
import { toFieldErrors } from '../../domain/shared/validate.js';
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
type AckFn = (response: Ack<unknown>) => void;

/** What the dispatch keeps per socket: its own event budget. */
interface SocketState {
  socket: AppSocket;
  bucket: TokenBucket;
}

const noAck: AckFn = () => {};

function userRefusal(retryAfter: number): AppError | undefined {
  return retryAfter > 0 ? new AppError('RATE_LIMITED', 'Too many events on this account', { retryAfter }) : undefined;
}

const SOCKET_BURST = 100;
const SOCKET_EVENTS_PER_SECOND = 50;

/**
 * The client events of the contract (contract.ts) and their handlers, registered once per process and
 * shared by every socket: a socket gets one listener (`attach`), not a closure per event, so an idle
 * connection costs little more than Socket.IO's own.
 */
export class SocketEvents {
  private readonly served = new Map<string, Served>();
  private readonly sockets = new WeakMap<AppSocket, SocketState>();

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
    const reply = (ack: AckFn, started: number, response: Ack<unknown>) => {
      if (response.ok) okCount.inc();
      else metrics.socketEvents.inc({ event, outcome: response.error.code });
      duration.observe((performance.now() - started) / 1000);
      ack(response);
    };
    const fail = (ack: AckFn, started: number, err: unknown) => {
      const { error: e, expose, expected } = clientError(err);
      if (!expected) log.error({ err, event }, 'socket handler failed');
      reply(ack, started, { ok: false, error: { code: e.code, message: expose ? e.message : 'Internal server error', ...(expose ? e.details : {}) } });
    };
    // Validates and runs the service; the promise settles into the ack (nothing escapes to the transport).
    const serve = (state: SocketState, payload: unknown, ack: AckFn, started: number) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return fail(ack, started, AppError.validation(toFieldErrors(parsed.error)));
      const { socket } = state;
      const caller: Actor = { id: socket.data.userId, role: socket.data.role }; // the role as auth:renew left it
      let result: Promise<AckData<E>>;
      try {
        result = withLazyUnitOfWork(orm.em, () => run(parsed.data as EventArgs<E>, caller, socket));
      } catch (err) {
        return fail(ack, started, err);
      }
      result.then(
        (data) => reply(ack, started, { ok: true, data: data ?? null }),
        (err: unknown) => fail(ack, started, err),
      );
    };
    const admit = (state: SocketState, payload: unknown, ack: AckFn, started: number) => {
      const refused = this.spendEventBudget(state);
      if (refused === undefined) return serve(state, payload, ack, started);
      if (refused instanceof AppError) return fail(ack, started, refused);
      refused.then(
        (err) => (err ? fail(ack, started, err) : serve(state, payload, ack, started)),
        (err: unknown) => fail(ack, started, err),
      );
    };
    this.served.set(event, (socket, args) => {
      const last = args.length - 1;
      const hasAck = typeof args[last] === 'function';
      const ack = hasAck ? (args[last] as AckFn) : noAck;
      const payload = (hasAck && last === 0 ? undefined : args[0]) ?? {};
      const started = performance.now();
      logContext.run({ socketId: socket.id, userId: socket.data.userId, event }, admit, this.stateOf(socket), payload, ack, started);
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

  /** A socket's own event budget, made at its first event. */
  private stateOf(socket: AppSocket): SocketState {
    let state = this.sockets.get(socket);
    if (!state) {
      state = { socket, bucket: new TokenBucket(SOCKET_BURST, SOCKET_EVENTS_PER_SECOND) };
      this.sockets.set(socket, state);
    }
    return state;
  }

  /**
   * Refuses an event over the socket's own budget or its user's: undefined when allowed, the refusal,
   * or a promise of either when the user's slice must be refilled from Redis first.
   */
  private spendEventBudget(state: SocketState): AppError | undefined | Promise<AppError | undefined> {
    const own = state.bucket.take();
    if (own > 0) return new AppError('RATE_LIMITED', 'Too many events on this connection', { retryAfter: own });
    const taken = this.userEvents(state.socket.data.userId);
    if (typeof taken === 'number') return userRefusal(taken);
    return taken.then(userRefusal);
  }
}
