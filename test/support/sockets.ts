import { io, type Socket } from 'socket.io-client';

/** Opens a real socket.io-client connection (websocket transport) and waits until it is connected. */
export async function connectSocket(url: string, token: string | undefined): Promise<Socket> {
  const socket = io(url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
  return socket;
}

/** Emits with an ack and resolves with the server's `{ok,...}` answer (fails after 10 s). */
export function emitAck<T = any>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload);
}

/** Resolves with the next `event` pushed to the socket that matches `where`, or rejects after `ms`. */
export function nextEvent<T = any>(socket: Socket, event: string, ms = 5_000, where: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, onEvent);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    const onEvent = (payload: T) => {
      if (!where(payload)) return;
      clearTimeout(timer);
      socket.off(event, onEvent);
      resolve(payload);
    };
    socket.on(event, onEvent);
  });
}
