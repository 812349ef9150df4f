import type { OrderView } from './orders.schemas.js';

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'order.created': { order: OrderView; merchantIds: string[] };
    'order.status_changed': { order: OrderView; merchantIds: string[]; from: string; to: string; by: string };
    'order.driver_assigned': { order: OrderView; merchantIds: string[]; driverId: string; distanceM: number; etaSeconds: number };
    'delivery.location': { orderId: string; lat: number; lng: number; at: string };
  }
}
