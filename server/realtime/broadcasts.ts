import type { Logger } from 'pino';
import type { EventBus } from '../../domain/shared/event-bus.js';
import type { Inventory } from '../../domain/cart/inventory.js';
import type { RoomEmitter } from './room-emitter.js';
import { rooms } from './rooms.js';
import { StockPushCoalescer } from './stock-push.js';

interface BroadcastDeps {
  events: EventBus;
  emitter: RoomEmitter;
  inventory: Inventory;
  log: Logger;
}

/**
 * Domain events → room emits, one line per module. Runs in every process (server and worker); the
 * emitter delivers across instances, so each event is pushed once by the process that published it.
 */
export function subscribeBroadcasts({ events, emitter, inventory, log }: BroadcastDeps): Array<() => void> {
  const stock = new StockPushCoalescer((ids) => inventory.available(ids), emitter, log);
  return [
    () => stock.stop(),
    events.subscribe('stock.changed', ({ productId }) => stock.changed(productId)),
    events.subscribe('cart.expired', ({ userId, items }) => emitter.emit(rooms.user(userId), 'cart:expired', { items })),
  ];
}
