import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserDirectory } from '../identity/index.js';
import type { LocalitiesService } from '../localities/index.js';
import type { OrderCandidate, OrderRules } from '../orders/index.js';
import { AppError, type FieldError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { MealSetStore } from './meal-set-store.js';
import { orderingWindow } from './ordering-window.js';

export interface MealSetOrderRulesDeps {
  clock: Clock;
  store: MealSetStore;
  localities: Pick<LocalitiesService, 'find'>;
  users: Pick<UserDirectory, 'locality'>;
}

/**
 * The meal sets' rules for checkout (the orders module's OrderRules port): a restaurant's dishes are
 * ordered from a meal set; an order from a set holds only its dishes, today, in the caller's
 * locality, before the cut-off (409 ORDERING_CLOSED). The set's row is share-locked for the rest of
 * the checkout, so an admin's change of its dishes waits for the order (and the other way round).
 */
export class MealSetOrderRules implements OrderRules {
  constructor(private readonly d: MealSetOrderRulesDeps) {}

  async check({ customerId, mealSetId, plan, deliveryAddress }: OrderCandidate, tx: EntityManager): Promise<void> {
    if (!mealSetId) {
      const i = plan.lines.findIndex((l) => l.product.kind === 'dish' && l.product.restaurantId);
      if (i >= 0) throw AppError.validation([{ path: `items.${i}.productId`, message: "A restaurant's dish is ordered from a meal set: give mealSetId" }]);
      return;
    }
    const set = await this.d.store.lock(tx, mealSetId, 'share');
    if (!set) throw AppError.validation([{ path: 'mealSetId', message: 'No such meal set' }]);
    if ((await this.d.users.locality(customerId)) !== set.locality) {
      throw AppError.validation([{ path: 'mealSetId', message: `This meal set is for ${set.locality}, not your locality` }]);
    }
    const locality = (await this.d.localities.find(set.locality))!;
    const window = orderingWindow(locality, set.date, this.d.clock.now());
    if (window.state !== 'open') {
      const message =
        window.state === 'closed' ? `Ordering from this meal set closed at ${window.closesAt.toISOString()}` : `This meal set is for ${set.date}, not today`;
      throw new AppError('ORDERING_CLOSED', message, { mealSetId, date: set.date, closesAt: window.closesAt.toISOString() });
    }
    const errors: FieldError[] = plan.lines.flatMap((l, i) =>
      set.dishIds.includes(l.product.id) ? [] : [{ path: `items.${i}.productId`, message: 'Not a dish of this meal set' }],
    );
    if (deliveryAddress && deliveryAddress.locality.trim().toLowerCase() !== set.locality) {
      errors.push({ path: 'deliveryAddress.locality', message: `Meal set orders are delivered in ${set.locality}` });
    }
    if (errors.length) throw AppError.validation(errors);
  }
}
