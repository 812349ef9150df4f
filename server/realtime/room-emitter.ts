import type { Server } from 'socket.io';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import type { ServerEventName, ServerPayload } from './contract.js';

/** Emits to a room on every instance: through the local io (and its Redis adapter) or, in a worker, the Redis emitter. */
export interface RoomEmitter {
  emit<E extends ServerEventName>(room: string | string[], event: E, payload: ServerPayload<E>): void;
  /** Closes every socket in the room, on every instance (e.g. a disabled account's). */
  disconnect(room: string): void;
}

export function ioRoomEmitter(io: Server): RoomEmitter {
  return {
    emit: (room, event, payload) => void io.to(room).emit(event, payload),
    disconnect: (room) => io.in(room).disconnectSockets(true),
  };
}

/** For processes without a Socket.IO server (the worker); `key` must match the adapter's. */
export function redisRoomEmitter(redis: Redis, key: string): RoomEmitter {
  const emitter = new Emitter(redis, { key });
  return {
    emit: (room, event, payload) => void emitter.to(room).emit(event, payload),
    disconnect: (room) => emitter.in(room).disconnectSockets(true),
  };
}

export function adapterKey(redisPrefix: string): string {
  return `${redisPrefix}socket.io`;
}
