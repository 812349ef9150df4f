import type { Role } from '../identity/user.entity.js';
import type { Order } from './order.entity.js';
import type { OrderParty } from './transitions.js';

export interface OrderCaller {
  id: string;
  role: Role;
}

/** How the caller relates to an order. */
export function partyOf(caller: OrderCaller, order: Pick<Order, 'customerId' | 'driverId'>, merchantIds: string[]): OrderParty {
  return {
    role: caller.role,
    isCustomer: order.customerId === caller.id,
    isMerchant: merchantIds.includes(caller.id),
    isDriver: order.driverId === caller.id,
  };
}

/** Who may see an order: its customer, its merchants, its driver, and admins. */
export function canSee(party: OrderParty): boolean {
  return party.role === 'admin' || party.isCustomer || party.isMerchant || party.isDriver;
}
