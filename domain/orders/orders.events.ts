import type { OrderView } from './orders.schemas.js';

/**
 * `order` is the whole order (its customer, its driver, admins); `merchantViews`, present when several
 * merchants share the order, is what each merchant may see of it: only its own lines and their total.
 */
interface OrderAudience {
  order: OrderView;
  merchantIds: string[];
  merchantViews?: Record<string, OrderView>;
}

declare module '../shared/domain-events.js' {
  interface DomainEvents {
    'order.created': OrderAudience;
    'order.status_changed': OrderAudience & { from: string; to: string; by: string };
    'order.driver_assigned': OrderAudience & { driverId: string; distanceM: number; etaSeconds: number };
    'delivery.location': { orderId: string; lat: number; lng: number; at: string };
  }
}
