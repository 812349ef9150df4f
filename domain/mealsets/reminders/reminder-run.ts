import type { Logger } from 'pino';
import type { UserDirectory } from '../../identity/index.js';
import type { LocalitiesService } from '../../localities/index.js';
import type { OrderQueries } from '../../orders/index.js';
import type { Clock } from '../../shared/clock.js';
import { localTime, minutesOf } from '../../shared/time-zones.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import type { MealSetStore } from '../meal-set-store.js';
import { orderingWindow } from '../ordering-window.js';

export interface ReminderRunDeps {
  uow: UnitOfWork;
  clock: Clock;
  log: Logger;
  store: MealSetStore;
  localities: Pick<LocalitiesService, 'find'>;
  users: Pick<UserDirectory, 'customersIn'>;
  orders: Pick<OrderQueries, 'customersWithOrderFrom'>;
  /** Customers read, judged and announced per batch. */
  batchSize: number;
}

/** How far a run got, after each batch and at the end. */
export interface ReminderProgress {
  locality: string;
  date: string;
  batches: number;
  scanned: number;
  alreadyOrdered: number;
  reminded: number;
}

export type ReminderOutcome =
  | ({ status: 'completed' } & ReminderProgress)
  | { status: 'skipped'; locality: string; date?: string; reason: 'no-locality' | 'not-due' | 'ordering-closed' | 'no-meal-set' };

export interface ReminderRunOptions {
  /** Run before the reminder time (an admin's "send now"); never after the cut-off. */
  force?: boolean;
  onBatch?: (progress: ReminderProgress) => void | Promise<void>;
}

/**
 * A locality's daily reminder: today (in the locality's time zone, read from the injected clock), once
 * the reminder time has come and before the cut-off, every customer of the locality without a live
 * order from today's set gets one reminder. Customers are walked in id order a batch at a time; each
 * batch is one durable `mealset.reminder_due` event, and notifications are unique per user, type and
 * subject (locality and day), so a second run, a retry or a concurrent worker notifies nobody twice.
 */
export class ReminderRun {
  constructor(private readonly d: ReminderRunDeps) {}

  async run(slug: string, options: ReminderRunOptions = {}): Promise<ReminderOutcome> {
    const locality = await this.d.localities.find(slug);
    if (!locality) return { status: 'skipped', locality: slug, reason: 'no-locality' };
    const now = this.d.clock.now();
    const { date, minutes } = localTime(now, locality.timeZone);
    // A run that comes late (a worker down overnight) must not remind for the next day at dawn.
    if (!options.force && minutes < minutesOf(locality.reminderAt)) return { status: 'skipped', locality: slug, date, reason: 'not-due' };
    if (orderingWindow(locality, date, now).state === 'closed') return { status: 'skipped', locality: slug, date, reason: 'ordering-closed' };
    const set = await this.d.store.find(locality.slug, date);
    if (!set) return { status: 'skipped', locality: slug, date, reason: 'no-meal-set' };

    const progress: ReminderProgress = { locality: slug, date, batches: 0, scanned: 0, alreadyOrdered: 0, reminded: 0 };
    for (let after: string | null = null; ; ) {
      const customers = await this.d.users.customersIn(locality.slug, after, this.d.batchSize);
      if (customers.length === 0) break;
      const ordered = await this.d.orders.customersWithOrderFrom(set.id, customers);
      const due = customers.filter((id) => !ordered.has(id));
      if (due.length) {
        const payload = { mealSetId: set.id, locality: locality.slug, localityName: locality.name, date, orderCutoff: locality.orderCutoff, customerIds: due };
        await this.d.uow.run(async (_tx, emit) => emit('mealset.reminder_due', payload));
      }
      Object.assign(progress, {
        batches: progress.batches + 1,
        scanned: progress.scanned + customers.length,
        alreadyOrdered: progress.alreadyOrdered + ordered.size,
        reminded: progress.reminded + due.length,
      });
      await options.onBatch?.(progress);
      after = customers[customers.length - 1];
      if (customers.length < this.d.batchSize) break;
    }
    this.d.log.info(progress, 'meal-set reminders announced');
    return { status: 'completed', ...progress };
  }
}
