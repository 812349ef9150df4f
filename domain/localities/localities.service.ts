import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../shared/pagination.js';
import { minutesOf } from '../shared/time-zones.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import type { CreateLocalityInput, LocalityOutput, UpdateLocalityInput } from './localities.schemas.js';
import { Locality } from './locality.entity.js';

export interface LocalitiesDeps {
  em: EntityManager;
  uow: UnitOfWork;
  clock: Clock;
}

/** Localities as data: admins write them, everyone reads them; every change is announced (`locality.changed`). */
export class LocalitiesService {
  constructor(private readonly d: LocalitiesDeps) {}

  async create(input: CreateLocalityInput): Promise<LocalityOutput> {
    assertReminderBeforeCutoff(input.reminderAt, input.orderCutoff);
    try {
      return await this.d.uow.run(async (tx, emit) => {
        const now = this.d.clock.now();
        const locality = tx.create(Locality, { ...input, createdAt: now, updatedAt: now });
        await tx.flush();
        const view = toLocalityOutput(locality);
        emit('locality.changed', { locality: view });
        return view;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new AppError('CONFLICT', 'A locality with this slug exists', { errors: [{ path: 'slug', message: 'already in use' }] });
      }
      throw err;
    }
  }

  async update(slug: string, patch: UpdateLocalityInput): Promise<LocalityOutput> {
    return this.d.uow.run(async (tx, emit) => {
      const locality = await tx.findOne(Locality, { slug }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!locality) throw notFound();
      if (patch.name !== undefined) locality.name = patch.name;
      if (patch.timeZone !== undefined) locality.timeZone = patch.timeZone;
      if (patch.orderCutoff !== undefined) locality.orderCutoff = patch.orderCutoff;
      if (patch.reminderAt !== undefined) locality.reminderAt = patch.reminderAt;
      assertReminderBeforeCutoff(locality.reminderAt, locality.orderCutoff);
      locality.updatedAt = this.d.clock.now();
      await tx.flush();
      const view = toLocalityOutput(locality);
      emit('locality.changed', { locality: view });
      return view;
    });
  }

  /** The locality; NOT_FOUND when there is none. */
  async get(slug: string): Promise<LocalityOutput> {
    const found = await this.find(slug);
    if (!found) throw notFound();
    return found;
  }

  /** The locality, or null. */
  async find(slug: string): Promise<LocalityOutput | null> {
    const locality = await this.d.em.findOne(Locality, { slug }, { refresh: true });
    return locality ? toLocalityOutput(locality) : null;
  }

  async exists(slug: string): Promise<boolean> {
    return (await this.d.em.count(Locality, { slug })) > 0;
  }

  /** Localities by slug, a page at a time. */
  async list(page: PageQuery): Promise<Page<LocalityOutput>> {
    const after = page.cursor ? afterSlug(page.cursor) : '';
    const rows = await this.d.em.find(Locality, { slug: { $gt: after } }, { orderBy: { slug: 'asc' }, limit: page.limit + 1, refresh: true });
    const served = rows.slice(0, page.limit);
    return {
      items: served.map(toLocalityOutput),
      nextCursor: rows.length > page.limit ? encodeCursor([served[served.length - 1].slug]) : null,
    };
  }

  /** Every locality (a few hundred at most): what the reminder schedules are built from. */
  async all(): Promise<LocalityOutput[]> {
    return (await this.d.em.find(Locality, {}, { orderBy: { slug: 'asc' }, refresh: true })).map(toLocalityOutput);
  }
}

function afterSlug(cursor: string): string {
  const [slug] = decodeCursor(cursor, 1);
  if (typeof slug !== 'string' || slug.length > 64) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return slug;
}

/** A reminder after the cut-off would invite orders that are refused. */
function assertReminderBeforeCutoff(reminderAt: string, orderCutoff: string): void {
  if (minutesOf(reminderAt) >= minutesOf(orderCutoff)) {
    throw AppError.validation([{ path: 'reminderAt', message: 'must be before orderCutoff' }]);
  }
}

function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such locality');
}

function toLocalityOutput(l: Locality): LocalityOutput {
  return {
    slug: l.slug,
    name: l.name,
    timeZone: l.timeZone,
    orderCutoff: l.orderCutoff,
    reminderAt: l.reminderAt,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}
