import { AppError } from '../../../domain/shared/app-error.js';
import { DriverAvailabilityInput, DriverLocationInput, OrderWatchInput, PlaceOrderSocketInput } from '../../../domain/orders/orders.schemas.js';
import type { Container } from '../../container.js';
import { handle, type SocketCaller } from '../handle.js';
import type { AppSocket } from '../handle.js';
import { rooms } from '../rooms.js';

function requireRole(caller: SocketCaller, role: 'customer' | 'driver'): void {
  if (caller.role !== role) throw new AppError('FORBIDDEN', `Only ${role}s may do this`);
}

/** order:place/watch/unwatch and the drivers' driver:availability/location. */
export function registerOrderHandlers(container: Container, socket: AppSocket): void {
  const { checkout, orderQueries, delivery } = container.services;

  // Same semantics as POST /orders; a replay acks the first outcome (errors replay as ok:false).
  handle(container, socket, 'order:place', PlaceOrderSocketInput, async ({ idempotencyKey, ...input }, caller) => {
    requireRole(caller, 'customer');
    return (await checkout.place(caller.id, input, idempotencyKey)).body;
  });
  handle(container, socket, 'order:watch', OrderWatchInput, async ({ orderId }, caller) => {
    const order = await orderQueries.view(caller, orderId);
    await socket.join(rooms.order(orderId));
    return order;
  });
  handle(container, socket, 'order:unwatch', OrderWatchInput, async ({ orderId }) => {
    await socket.leave(rooms.order(orderId));
    return null;
  });
  handle(container, socket, 'driver:availability', DriverAvailabilityInput, async (input, caller) => {
    requireRole(caller, 'driver');
    return delivery.setAvailability(caller.id, input);
  });
  handle(container, socket, 'driver:location', DriverLocationInput, async ({ lat, lng }, caller) => {
    requireRole(caller, 'driver');
    await delivery.reportLocation(caller.id, lat, lng);
    return null;
  });
}
