import type { Cluster, Redis } from 'ioredis';
import { type ClusterMessage, MessageType } from 'socket.io-adapter';
import { PacketType } from 'socket.io-parser';
import type { RoomEmitter } from './room-emitter.js';

const NSP = '/';
/** Any id no server instance uses: the adapters ignore only messages carrying their own uid. */
const EMITTER_UID = 'larder-worker-emitter';

/**
 * The worker's emitter when the servers run the sharded adapter. `@socket.io/redis-emitter` only
 * PUBLISHes in the classic adapter's format, which SSUBSCRIBE-d channels never receive, so this
 * publishes what a sharded adapter instance itself would (socket.io-adapter's ClusterMessage, as
 * JSON, SPUBLISH-ed to the room's dynamic channel): exactly the servers holding the room get it,
 * with no relay hop through a server instance.
 */
export function shardedRoomEmitter(redis: Redis | Cluster, channelPrefix: string): RoomEmitter {
  const main = `${channelPrefix}#${NSP}#`;
  // As with the classic emitter, a push lost while Redis is away is lost (clients resync on reconnect).
  const publish = (channel: string, message: ClusterMessage) => void redis.spublish(channel, JSON.stringify(message)).catch(() => undefined);
  const opts = (rooms: string[]) => ({ rooms, except: [], flags: {} });
  return {
    emit(room, event, payload) {
      const rooms = Array.isArray(room) ? room : [room];
      // One room: its own channel, as the adapter's "dynamic" subscription mode computes it (a
      // socket's private room, 20 characters, stays on the main channel there).
      const channel = rooms.length === 1 && rooms[0].length !== 20 ? `${main}${rooms[0]}#` : main;
      publish(channel, {
        uid: EMITTER_UID,
        nsp: NSP,
        type: MessageType.BROADCAST,
        data: { opts: opts(rooms), packet: { type: PacketType.EVENT, data: [event, payload], nsp: NSP } },
      });
    },
    disconnect(room) {
      publish(main, { uid: EMITTER_UID, nsp: NSP, type: MessageType.DISCONNECT_SOCKETS, data: { opts: opts([room]), close: true } });
    },
  };
}
