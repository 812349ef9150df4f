import type { SocketEvents } from '../../server/realtime/handle.js';
import type { RoomEmitter } from '../../server/realtime/room-emitter.js';
import { emitAck, type TestSocket } from '../support/sockets.js';

/**
 * Compile-time half of the contract: each line below must NOT type-check. If one ever does (an event
 * name or payload the contract does not know is accepted), the unused `@ts-expect-error` fails
 * `npm run typecheck`. Never called.
 */
export function contractRefusesAtCompileTime(events: SocketEvents, client: TestSocket, emitter: RoomEmitter): void {
  // @ts-expect-error a misspelt event name in a handler
  events.handle('cart:ad', async () => null);
  // @ts-expect-error a handler answering what the ack of cart:get does not carry
  events.handle('cart:get', async () => ({ items: 'none' }));
  // @ts-expect-error a client payload of the wrong type
  void emitAck(client, 'cart:add', { productId: 'p', quantity: 'two' });
  // @ts-expect-error a push that is not in the contract
  emitter.emit('user:1', 'stock:chnaged', { productId: 'p', available: 1 });
}
