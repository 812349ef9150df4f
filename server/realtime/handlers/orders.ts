import { AppError } from '../../../domain/shared/app-error.js';
import type { Actor } from '../../../domain/shared/actor.js';
import type { AppContext } from '../../platform/app-context.js';
import type { SocketEvents } from '../handle.js';
import { rooms } from '../rooms.js';

function requireRole(caller: Actor, role: 'customer' | 'driver'): void {
  if (caller.role !== role) throw new AppError('FORBIDDEN', `Only ${role}s may do this`);
}

/** order:place/watch/unwatch and the drivers' driver:availability/location. */
export function registerOrderHandlers(context: AppContext, events: SocketEvents): void {
  const { checkout, queries, delivery } = context.modules.orders;

  // Same semantics as POST /orders; a replay acks the first outcome (errors replay as ok:false).
  events.handle('order:place', async ({ idempotencyKey, ...input }, caller) => {
    return (await checkout.place(caller, input, idempotencyKey)).order;
  });
  // A merchant of the order watches its own view of it; everyone watching gets the driver's position.
  events.handle('order:watch', async ({ orderId }, caller, socket) => {
    const order = await queries.view(caller, orderId);
    const updates = caller.role === 'merchant' ? rooms.orderForMerchant(orderId, caller.id) : rooms.order(orderId);
    await socket.join([updates, rooms.orderTracking(orderId)]);
    return order;
  });
  events.handle('order:unwatch', async ({ orderId }, caller, socket) => {
    for (const room of [rooms.order(orderId), rooms.orderForMerchant(orderId, caller.id), rooms.orderTracking(orderId)]) await socket.leave(room);
    return null;
  });
  events.handle('driver:availability', async (input, caller) => {
    requireRole(caller, 'driver');
    return delivery.setAvailability(caller.id, input);
  });
  events.handle('driver:location', async ({ lat, lng }, caller) => {
    requireRole(caller, 'driver');
    await delivery.reportLocation(caller.id, lat, lng);
    return null;
  });
}
