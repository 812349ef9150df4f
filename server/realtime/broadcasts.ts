import type { Logger } from 'pino';
import type { EventBus } from '../../domain/shared/event-bus.js';
import type { OrderView } from '../../domain/orders/index.js';
import type { RoomEmitter } from './room-emitter.js';
import { rooms } from './rooms.js';
import { StockPushCoalescer } from './stock-push.js';

interface OrderChange {
  order: OrderView;
  merchantIds: string[];
  merchantViews?: Record<string, OrderView>;
}

/**
 * `order:updated` to everyone told about an order: the whole order to its customer, its driver and its
 * watchers; to each merchant (and that merchant's watching sockets) only what it may see of it.
 */
function pushOrder(emitter: RoomEmitter, { order, merchantIds, merchantViews }: OrderChange): void {
  emitter.emit([rooms.user(order.customerId), ...(order.driverId ? [rooms.user(order.driverId)] : []), rooms.order(order.id)], 'order:updated', { order });
  for (const merchantId of merchantIds) {
    const view = merchantViews?.[merchantId] ?? order;
    emitter.emit([rooms.user(merchantId), rooms.orderForMerchant(order.id, merchantId)], 'order:updated', { order: view });
  }
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
  const pushStock = ({ productIds, available }: { productIds: string[]; available?: number[] }) => {
    for (const [i, id] of productIds.entries()) stock.changed(id, available?.[i]);
  };
  return [
    () => stock.stop(),
    events.subscribe('stock.changed', pushStock),
    events.subscribe('stock.committed', pushStock),
    events.subscribe('cart.expired', ({ userId, items }) => emitter.emit(rooms.user(userId), 'cart:expired', { items })),
    events.subscribe('user.disabled', ({ userId }) => emitter.disconnect(rooms.user(userId))),
    events.subscribe('cart.updated', ({ userId, cart }) => emitter.emit(rooms.user(userId), 'cart:updated', { cart })),
    events.subscribe('order.created', (change) => pushOrder(emitter, change)),
    events.subscribe('order.status_changed', (change) => pushOrder(emitter, change)),
    events.subscribe('order.driver_assigned', (change) => {
      emitter.emit(rooms.user(change.driverId), 'delivery:assigned', { order: change.order, distanceM: change.distanceM, etaSeconds: change.etaSeconds });
      pushOrder(emitter, change);
    }),
    events.subscribe('delivery.location', (location) => emitter.emit(rooms.orderTracking(location.orderId), 'order:driver-location', location)),
    events.subscribe('comment.added', ({ postId, comment }) => emitter.emit(rooms.post(postId), 'comment:added', { comment })),
    events.subscribe('comment.restored', ({ postId, comment }) => emitter.emit(rooms.post(postId), 'comment:added', { comment })),
    events.subscribe('comment.deleted', ({ postId, commentId }) => emitter.emit(rooms.post(postId), 'comment:deleted', { commentId, postId })),
    events.subscribe('diary.upload_progress', ({ userId, ...progress }) => emitter.emit(rooms.user(userId), 'upload:progress', progress)),
    events.subscribe('notifications.created', ({ items }) => {
      for (const { userId, notification } of items) emitter.emit(rooms.user(userId), 'notification', notification);
    }),
    events.subscribe('simulation.progress', ({ simulationId: id, runsDone, runs }) =>
      emitter.emit(rooms.simulation(id), 'simulation:progress', { id, runsDone, runs }),
    ),
    events.subscribe('simulation.finished', ({ simulationId: id, status, result, error }) =>
      emitter.emit(rooms.simulation(id), 'simulation:finished', { id, status, result, error }),
    ),
    // One emit to both rooms: a socket in both (it watched before and after the upload began) gets each push once.
    events.subscribe('import.progress', (view) => emitter.emit(importRooms(view), 'import:progress', view)),
    events.subscribe('import.finished', (view) => emitter.emit(importRooms(view), 'import:finished', view)),
  ];
}

/** An import's watchers: those who watched it once it existed, and its merchant's sockets that watched its id before. */
function importRooms(view: { id: string; merchantId: string }): string[] {
  return [rooms.import(view.id), rooms.importOfMerchant(view.id, view.merchantId)];
}
