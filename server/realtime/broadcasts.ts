import type { Logger } from 'pino';
import type { EventBus } from '../../domain/shared/event-bus.js';
import type { OrderView } from '../../domain/orders/index.js';
import type { RoomEmitter } from './room-emitter.js';
import { rooms } from './rooms.js';
import { StockPushCoalescer } from './stock-push.js';

/** Everyone told about an order's changes: its customer, merchants, driver, and sockets watching it. */
function orderAudience(order: OrderView, merchantIds: string[]): string[] {
  return [rooms.user(order.customerId), ...merchantIds.map(rooms.user), ...(order.driverId ? [rooms.user(order.driverId)] : []), rooms.order(order.id)];
}

interface BroadcastDeps {
  events: EventBus;
  emitter: RoomEmitter;
  /** Live units available per product (the inventory's), read when a coalesced push is sent. */
  availability: (productIds: string[]) => Promise<Map<string, number>>;
  log: Logger;
}

/**
 * Domain events → room emits, one line per module. Runs in every process (server and worker); the
 * emitter delivers across instances, so each event is pushed once by the process that published it.
 */
export function subscribeBroadcasts({ events, emitter, availability, log }: BroadcastDeps): Array<() => void | Promise<void>> {
  const stock = new StockPushCoalescer(availability, emitter, log);
  const pushStock = ({ productIds }: { productIds: string[] }) => {
    for (const id of productIds) stock.changed(id);
  };
  return [
    () => stock.stop(),
    events.subscribe('stock.changed', pushStock),
    events.subscribe('stock.committed', pushStock),
    events.subscribe('cart.expired', ({ userId, items }) => emitter.emit(rooms.user(userId), 'cart:expired', { items })),
    events.subscribe('user.disabled', ({ userId }) => emitter.disconnect(rooms.user(userId))),
    events.subscribe('cart.updated', ({ userId, cart }) => emitter.emit(rooms.user(userId), 'cart:updated', { cart })),
    events.subscribe('order.created', ({ order, merchantIds }) => emitter.emit(orderAudience(order, merchantIds), 'order:updated', { order })),
    events.subscribe('order.status_changed', ({ order, merchantIds }) => emitter.emit(orderAudience(order, merchantIds), 'order:updated', { order })),
    events.subscribe('order.driver_assigned', ({ order, merchantIds, driverId, distanceM, etaSeconds }) => {
      emitter.emit(rooms.user(driverId), 'delivery:assigned', { order, distanceM, etaSeconds });
      emitter.emit(orderAudience(order, merchantIds), 'order:updated', { order });
    }),
    events.subscribe('delivery.location', (location) => emitter.emit(rooms.order(location.orderId), 'order:driver-location', location)),
  ];
}
