import { AppError } from '../shared/app-error.js';
import type { Actor } from '../shared/actor.js';
import type { Order } from './order.entity.js';
import type { OrderParty } from './transitions.js';

/** How the caller relates to an order. */
export function partyOf(caller: Actor, order: Pick<Order, 'customerId' | 'driverId'>, merchantIds: string[]): OrderParty {
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

/**
 * The order and the caller's party to it, when the caller may see it; NOT_FOUND otherwise (also for
 * an order that exists but is not theirs, so its existence is not revealed).
 */
export function visibleTo<R extends { order: Pick<Order, 'customerId' | 'driverId'>; merchantIds: string[] }>(
  caller: Actor,
  record: R | undefined,
): { record: R; party: OrderParty } {
  const party = record && partyOf(caller, record.order, record.merchantIds);
  if (!record || !party || !canSee(party)) throw new AppError('NOT_FOUND', 'Order not found');
  return { record, party };
}
