import type { EntityManager } from '@mikro-orm/postgresql';
import type { OrderPlan } from './order-plan.js';
import type { DeliveryAddress } from './order.entity.js';

/** A priced order about to be written: what rules from other modules judge. */
export interface OrderCandidate {
  customerId: string;
  /** The meal set the customer orders from (POST /orders `mealSetId`), if any. */
  mealSetId?: string;
  plan: OrderPlan;
  deliveryAddress?: DeliveryAddress;
}

/**
 * A port other modules implement to refuse orders by their own rules (e.g. meal sets: only today's
 * dishes, before the cut-off), without orders knowing them; the composition root wires it. `check`
 * runs inside the checkout transaction once the lines are priced, and throws an AppError to refuse.
 */
export interface OrderRules {
  check(candidate: OrderCandidate, tx: EntityManager): Promise<void>;
}

/** No rules beyond the checkout's own. */
export const noOrderRules: OrderRules = { check: async () => {} };
