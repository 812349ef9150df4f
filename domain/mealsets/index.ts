import type { CatalogModule } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { LocalitiesModule } from '../localities/index.js';
import type { OrdersModule } from '../orders/index.js';
import type { RestaurantsModule } from '../restaurants/index.js';
import type { ModuleDeps } from '../shared/module-deps.js';
import { MealSetOrderRules } from './meal-set-order-rules.js';
import { MealSetStore } from './meal-set-store.js';
import { MealSetsService } from './meal-sets.service.js';
import { OfferableDishes } from './offerable-dishes.js';
import { ReminderRun } from './reminders/reminder-run.js';
import { ReminderSchedule } from './reminders/reminder-schedule.js';
import './mealsets.events.js';
import './mealsets.jobs.js';

export * from './mealsets.schemas.js';
export { MealSet, MealSetDish } from './meal-set.entity.js';
export type { MealSetsService } from './meal-sets.service.js';
export type { MealSetOrderRules } from './meal-set-order-rules.js';
export type { ReminderOutcome, ReminderProgress, ReminderRun, ReminderRunOptions } from './reminders/reminder-run.js';
export type { ReminderSchedule } from './reminders/reminder-schedule.js';

/** Daily meal sets per locality, the rules for ordering from them, and the daily reminder. */
export interface MealSetsModule {
  mealSets: MealSetsService;
  /** The orders module's OrderRules port, implemented for meal sets (wired by the composition root). */
  orderRules: MealSetOrderRules;
  reminders: ReminderRun;
  reminderSchedule: ReminderSchedule;
}

export interface MealSetsDeps {
  catalog: Pick<CatalogModule, 'service' | 'forSale'>;
  restaurants: Pick<RestaurantsModule, 'restaurants'>;
  localities: Pick<LocalitiesModule, 'localities'>;
  users: Pick<UserDirectory, 'locality' | 'customersIn'>;
  orders: Pick<OrdersModule, 'queries'>;
}

export interface MealSetsSettings {
  /** Customers judged per reminder batch (one event, one notifications insert each). */
  reminderBatchSize: number;
}

export function createMealSetsModule(deps: ModuleDeps, uses: MealSetsDeps, settings: MealSetsSettings): MealSetsModule {
  const { em, uow, clock, log } = deps;
  const store = new MealSetStore(em);
  const localities = uses.localities.localities;
  const restaurants = uses.restaurants.restaurants;
  const schedule = new ReminderSchedule(deps.jobs, localities);
  deps.outbox.consume('locality.changed', 'mealsets.reminder-schedule', ({ payload }) => schedule.sync(payload.locality));
  return {
    mealSets: new MealSetsService({
      uow,
      clock,
      store,
      dishes: new OfferableDishes(uses.catalog.forSale, restaurants),
      localities,
      users: uses.users,
      view: { catalog: uses.catalog, restaurants },
    }),
    orderRules: new MealSetOrderRules({ clock, store, localities, users: uses.users }),
    reminders: new ReminderRun({
      uow,
      clock,
      log,
      store,
      localities,
      users: uses.users,
      orders: uses.orders.queries,
      batchSize: settings.reminderBatchSize,
    }),
    reminderSchedule: schedule,
  };
}
