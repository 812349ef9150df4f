import type { Role } from '../../domain/shared/actor.js';

export interface AckError {
  code: string;
  message: string;
  [extra: string]: unknown;
}
export type Ack<T = unknown> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckFn<T = unknown> = (response: Ack<T>) => void;

/** Every client → server event takes (payload, ack). The payload is validated by the handler's zod schema. */
export type ClientHandler = (payload: unknown, ack?: AckFn) => void;

export interface ClientToServerEvents {
  'auth:renew': ClientHandler;
  [event: string]: ClientHandler;
}

/** Server → client pushes: the one contract for what a client may receive. */
export interface ServerToClientEvents {
  'auth:expired': (payload: { message: string }) => void;
  [event: string]: (payload: any) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId: string;
  role: Role;
  /** Access token expiry, epoch ms; the socket is disconnected when it passes without `auth:renew`. */
  expiresAt: number;
}
