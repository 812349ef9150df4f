import type { OrderView } from '../../orders/index.js';
import { producer } from '../notification-draft.js';

const STATUS_TITLES: Record<string, string> = {
  placed: 'Order placed',
  confirmed: 'Order confirmed',
  preparing: 'Your order is being prepared',
  ready: 'Your order is ready',
  out_for_delivery: 'Your order is on its way',
  delivered: 'Order delivered',
  cancelled: 'Order cancelled',
};

function shortId(order: OrderView): string {
  return order.id.slice(0, 8);
}

function money(order: OrderView): string {
  return `${(order.totalCents / 100).toFixed(2)} ${order.currency}`;
}

/** Each status change of an order, to its customer (unless the customer made it). */
export const orderStatusChanged = producer('order.status_changed', ({ order, to, by }) =>
  by === order.customerId
    ? []
    : [
        {
          userId: order.customerId,
          type: 'order.status_changed',
          subject: `${order.id}:${to}`,
          title: STATUS_TITLES[to] ?? `Order ${to}`,
          body: `Order ${shortId(order)} (${money(order)}) is now ${to.replaceAll('_', ' ')}.`,
          data: { orderId: order.id, status: to },
        },
      ],
);

/** A driver took an order: its customer learns the ETA, the driver gets the job. */
export const driverAssigned = producer('order.driver_assigned', ({ order, driverId, distanceM, etaSeconds }) => [
  {
    userId: order.customerId,
    type: 'order.driver_assigned',
    subject: `${order.id}:${driverId}`,
    title: 'A driver is assigned to your order',
    body: `Order ${shortId(order)} will be picked up by a driver ${Math.max(1, Math.round(etaSeconds / 60))} min away.`,
    data: { orderId: order.id, driverId, etaSeconds },
  },
  {
    userId: driverId,
    type: 'delivery.assigned',
    subject: order.id,
    title: 'New delivery',
    body: `Order ${shortId(order)}, ${(distanceM / 1000).toFixed(1)} km away.`,
    data: { orderId: order.id, distanceM, etaSeconds },
  },
]);
