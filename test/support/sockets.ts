import { io, type Socket } from 'socket.io-client';
import type {
  AckData,
  AckError,
  ClientEventName,
  ClientToServerEvents,
  EventInput,
  ServerEventName,
  ServerPayload,
  ServerToClientEvents,
} from '../../server/realtime/contract.js';

/** A client socket typed by the contract: a misspelt event or a wrong payload fails `npm run typecheck`. */
export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An ack as a test reads it: `data` when ok, `error` when refused. */
export interface AckResponse<T> {
  ok: boolean;
  data: T;
  error: AckError;
}

/** Opens a real socket.io-client connection (websocket transport) and waits until it is connected. */
export async function connectSocket(url: string, token: string | undefined): Promise<TestSocket> {
  const socket: TestSocket = io(url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

/** Emits a contract event with an ack and resolves with the server's answer (fails after 10 s). */
export function emitAck<E extends ClientEventName>(socket: TestSocket, event: E, payload: EventInput<E>): Promise<AckResponse<AckData<E>>> {
  return emitRaw(socket, event, payload) as Promise<AckResponse<AckData<E>>>;
}

/** Emits anything, bypassing the contract's types: for hostile input (wrong types, unknown events). */
export function emitRaw(socket: TestSocket, event: string, payload?: unknown): Promise<AckResponse<unknown>> {
  return (socket as unknown as Socket).timeout(10_000).emitWithAck(event, payload);
}

/** Resolves with the next `event` pushed to the socket that matches `where`, or rejects after `ms`. */
export function nextEvent<E extends ServerEventName>(
  socket: TestSocket,
  event: E,
  ms = 5_000,
  where: (payload: ServerPayload<E>) => boolean = () => true,
): Promise<ServerPayload<E>> {
  const raw = socket as unknown as Socket;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      raw.off(event as string, onEvent as (...args: unknown[]) => void);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    const onEvent = (payload: ServerPayload<E>) => {
      if (!where(payload)) return;
      clearTimeout(timer);
      raw.off(event as string, onEvent as (...args: unknown[]) => void);
      resolve(payload);
    };
    raw.on(event as string, onEvent as (...args: unknown[]) => void);
  });
}
