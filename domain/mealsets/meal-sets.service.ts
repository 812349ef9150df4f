import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { UserDirectory } from '../identity/index.js';
import type { LocalitiesService, LocalityOutput } from '../localities/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { localTime } from '../shared/time-zones.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { MealSetRecord, MealSetStore } from './meal-set-store.js';
import { buildMealSetView, type MealSetViewDeps } from './meal-set-view.js';
import type { CreateMealSetInput, MealSetQuery, MealSetView, UpdateMealSetInput } from './mealsets.schemas.js';
import type { OfferableDishes } from './offerable-dishes.js';
import { orderingWindow } from './ordering-window.js';

export interface MealSetsServiceDeps {
  uow: UnitOfWork;
  clock: Clock;
  store: MealSetStore;
  dishes: OfferableDishes;
  localities: Pick<LocalitiesService, 'find'>;
  users: Pick<UserDirectory, 'locality'>;
  view: MealSetViewDeps;
}

/**
 * Daily meal sets: admins compose them (one per locality and date, enforced by the table's unique
 * constraint, so two admins racing get one 201 and one 409) and may change them until the cut-off.
 */
export class MealSetsService {
  constructor(private readonly d: MealSetsServiceDeps) {}

  async create(caller: Actor, input: CreateMealSetInput): Promise<MealSetView> {
    const locality = await this.locality(input.locality, 'locality');
    this.assertChangeable(locality, input.date);
    const set = { id: randomUUID(), locality: locality.slug, date: input.date, dishIds: input.dishIds, createdAt: this.d.clock.now(), createdBy: caller.id };
    try {
      await this.d.uow.run(async (tx) => {
        await this.d.dishes.assert(input.dishIds, tx);
        await this.d.store.insert(tx, set);
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new AppError('CONFLICT', `${locality.slug} already has a meal set on ${input.date}`, {
          errors: [{ path: 'date', message: 'already has a meal set' }],
        });
      }
      throw err;
    }
    return this.view(caller, { ...set, updatedAt: set.createdAt }, locality);
  }

  /** Replaces the dishes, until the locality's cut-off on the set's date (409 after). */
  async update(caller: Actor, id: string, input: UpdateMealSetInput): Promise<MealSetView> {
    const { set, locality } = await this.d.uow.run(async (tx) => {
      const locked = await this.d.store.lock(tx, id, 'update');
      if (!locked) throw notFound();
      const locality = await this.locality(locked.locality, 'id');
      this.assertChangeable(locality, locked.date);
      await this.d.dishes.assert(input.dishIds, tx);
      const at = this.d.clock.now();
      await this.d.store.replaceDishes(tx, id, input.dishIds, at);
      return { set: { ...locked, dishIds: input.dishIds, updatedAt: at }, locality };
    });
    return this.view(caller, set, locality);
  }

  async get(caller: Actor | undefined, id: string): Promise<MealSetView> {
    const set = await this.d.store.byId(id);
    if (!set) throw notFound();
    return this.view(caller, set, await this.locality(set.locality, 'id'));
  }

  /** The set of a locality (default: the caller's) on a date (default: today there). */
  async find(caller: Actor | undefined, query: MealSetQuery): Promise<MealSetView> {
    const slug = query.locality ?? (caller ? await this.d.users.locality(caller.id) : null);
    if (!slug) throw AppError.validation([{ path: 'locality', message: 'Name a locality (or set one on your profile)' }]);
    const locality = await this.locality(slug, 'locality');
    const date = query.date ?? localTime(this.d.clock.now(), locality.timeZone).date;
    const set = await this.d.store.find(locality.slug, date);
    if (!set) throw new AppError('NOT_FOUND', `No meal set in ${locality.slug} on ${date}`);
    return this.view(caller, set, locality);
  }

  private view(caller: Actor | undefined, set: MealSetRecord, locality: LocalityOutput): Promise<MealSetView> {
    return buildMealSetView(this.d.view, caller, set, locality, this.d.clock.now());
  }

  private async locality(slug: string, path: string): Promise<LocalityOutput> {
    const locality = await this.d.localities.find(slug);
    if (!locality) throw AppError.validation([{ path, message: 'No such locality' }]);
    return locality;
  }

  /** A set is composed until its day's cut-off; after that customers may have ordered from it. */
  private assertChangeable(locality: LocalityOutput, date: string): void {
    const window = orderingWindow(locality, date, this.d.clock.now());
    if (window.state === 'closed') {
      throw new AppError('CONFLICT', `Ordering for ${date} closed at ${window.closesAt.toISOString()}; the meal set can no longer change`, {
        closesAt: window.closesAt.toISOString(),
      });
    }
  }
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such meal set');
}
