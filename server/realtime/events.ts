import type { Role } from '../../domain/shared/actor.js';

export type { Ack, AckError, ClientToServerEvents, ServerToClientEvents } from './contract.js';

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId: string;
  role: Role;
  /** Access token expiry, epoch ms; the socket is disconnected when it passes without `auth:renew`. */
  expiresAt: number;
}
