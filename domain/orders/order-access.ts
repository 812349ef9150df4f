import { AppError } from '../shared/app-error.js';
import type { Actor } from '../shared/actor.js';
import type { Order } from './order.entity.js';
import type { OrderRecord } from './order-records.js';
import { merchantView } from './order-view.js';
import type { OrderView } from './orders.schemas.js';
import type { OrderParty } from './transitions.js';

/** How the caller relates to an order. */
export function partyOf(caller: Actor, order: Pick<Order, 'customerId' | 'driverId'>, merchantIds: string[]): OrderParty {
  const isMerchant = merchantIds.includes(caller.id);
  return {
    role: caller.role,
    isCustomer: order.customerId === caller.id,
    isMerchant,
    isSoleMerchant: isMerchant && merchantIds.length === 1,
    isDriver: order.driverId === caller.id,
  };
}

/** Who may see an order: its customer, its merchants, its driver, and admins. */
export function canSee(party: OrderParty): boolean {
  return party.role === 'admin' || party.isCustomer || party.isMerchant || party.isDriver;
}

/** What the caller may see of an order: a merchant of a shared order sees only its own lines and their total. */
export function viewFor(caller: Actor, record: OrderRecord): OrderView {
  if (caller.role !== 'merchant' || record.merchantIds.length <= 1) return record.view;
  return merchantView(record.order, record.items, record.history, caller.id);
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
