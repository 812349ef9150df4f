import { AppError } from '../shared/app-error.js';
import type { Role } from '../shared/actor.js';
import type { OrderStatus } from './order.entity.js';

/** How the caller relates to the order; a role only acts on orders it is party to (admin on any). */
export interface OrderParty {
  role: Role;
  isCustomer: boolean;
  isMerchant: boolean;
  /** The caller is the order's only merchant (an order of several merchants has none). */
  isSoleMerchant: boolean;
  isDriver: boolean;
}

/** Who may make a move: the customer, any merchant of the order, its only merchant, its driver (admins: any legal move). */
type Mover = 'customer' | 'merchant' | 'soleMerchant' | 'driver';

interface Transition {
  from: readonly OrderStatus[];
  to: OrderStatus;
  /** Who may make the move, besides admin (who may make any legal move). */
  by: readonly Mover[];
}

/** The order state machine: every legal move and who may make it. */
export const OrderTransitions: readonly Transition[] = [
  { from: ['placed'], to: 'confirmed', by: ['merchant'] },
  { from: ['confirmed'], to: 'preparing', by: ['merchant'] },
  { from: ['preparing'], to: 'ready', by: ['merchant'] },
  { from: ['ready'], to: 'out_for_delivery', by: ['driver'] },
  { from: ['out_for_delivery'], to: 'delivered', by: ['driver'] },
  // The customer may cancel until the kitchen starts; the merchant until it is delivered. An order of
  // several merchants is cancelled by its customer or an admin only: one merchant may not cancel the
  // others' lines (issue #15; refusing a single merchant's lines would need partial cancellation).
  { from: ['placed', 'confirmed'], to: 'cancelled', by: ['customer', 'soleMerchant'] },
  { from: ['preparing', 'ready', 'out_for_delivery'], to: 'cancelled', by: ['soleMerchant'] },
];

function acts(party: OrderParty, as: Mover): boolean {
  if (as === 'customer') return party.isCustomer;
  if (as === 'merchant') return party.role === 'merchant' && party.isMerchant;
  if (as === 'soleMerchant') return party.role === 'merchant' && party.isSoleMerchant;
  return party.role === 'driver' && party.isDriver;
}

/**
 * Decides a requested move: INVALID_TRANSITION (409) when no one may make it from this status,
 * FORBIDDEN (403) when it is legal but not for this caller.
 */
export function assertTransition(from: OrderStatus, to: OrderStatus, party: OrderParty): void {
  const legal = OrderTransitions.find((t) => t.to === to && t.from.includes(from));
  if (!legal) throw new AppError('INVALID_TRANSITION', `Cannot move an order from ${from} to ${to}`, { from, to });
  if (party.role === 'admin') return;
  if (!legal.by.some((as) => acts(party, as))) {
    throw new AppError('FORBIDDEN', `Your role may not move this order from ${from} to ${to}`, { from, to });
  }
}
