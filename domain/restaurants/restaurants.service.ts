import { randomUUID } from 'node:crypto';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CatalogService, ProductOutput } from '../catalog/index.js';
import type { UserDirectory } from '../identity/index.js';
import type { LocalitiesService } from '../localities/index.js';
import type { Actor } from '../shared/actor.js';
import { AppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import { decodeCursor, encodeCursor, isUuid, type Page } from '../shared/pagination.js';
import { Restaurant } from './restaurant.entity.js';
import type { CreateDishInput, CreateRestaurantInput, ListRestaurantsQuery, RestaurantOutput, UpdateRestaurantInput } from './restaurants.schemas.js';

export interface RestaurantsDeps {
  em: EntityManager;
  clock: Clock;
  localities: Pick<LocalitiesService, 'find'>;
  users: Pick<UserDirectory, 'isMerchant'>;
  catalog: Pick<CatalogService, 'createInRestaurant'>;
}

/** What other modules read about restaurants. */
export interface RestaurantSummary {
  id: string;
  name: string;
  locality: string;
  active: boolean;
}

/**
 * Restaurants: a merchant manages its own (an admin any), everyone sees the active ones. Dishes and
 * add-ons are catalog products created through the catalog's interface with the restaurant's id.
 */
export class RestaurantsService {
  constructor(private readonly d: RestaurantsDeps) {}

  async create(caller: Actor, input: CreateRestaurantInput): Promise<RestaurantOutput> {
    const merchantId = await this.owner(caller, input.merchantId);
    const locality = await this.d.localities.find(input.locality);
    if (!locality) throw AppError.validation([{ path: 'locality', message: 'No such locality' }]);
    const now = this.d.clock.now();
    const restaurant = this.d.em.create(Restaurant, {
      id: randomUUID(),
      merchantId,
      name: input.name,
      locality: locality.slug,
      address: input.address ?? null,
      openingHours: input.openingHours,
      timeZone: input.timeZone ?? locality.timeZone,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    await this.d.em.flush();
    return toRestaurantOutput(restaurant);
  }

  async update(caller: Actor, id: string, patch: UpdateRestaurantInput): Promise<RestaurantOutput> {
    const restaurant = await this.managed(caller, id);
    if (patch.name !== undefined) restaurant.name = patch.name;
    if (patch.locality !== undefined) restaurant.locality = patch.locality;
    if (patch.address !== undefined) restaurant.address = patch.address;
    if (patch.openingHours !== undefined) restaurant.openingHours = patch.openingHours;
    if (patch.timeZone !== undefined) restaurant.timeZone = patch.timeZone;
    if (patch.active !== undefined) restaurant.active = patch.active;
    restaurant.updatedAt = this.d.clock.now();
    try {
      await this.d.em.flush();
    } catch (err) {
      if (err instanceof ForeignKeyConstraintViolationException) throw AppError.validation([{ path: 'locality', message: 'No such locality' }]);
      throw err;
    }
    return toRestaurantOutput(restaurant);
  }

  /** One restaurant: an inactive one only for its merchant and admins. */
  async get(caller: Actor | undefined, id: string): Promise<RestaurantOutput> {
    const restaurant = await this.d.em.findOne(Restaurant, { id }, { refresh: true });
    if (!restaurant || !(restaurant.active || manages(caller, restaurant))) throw notFound();
    return toRestaurantOutput(restaurant);
  }

  /** Restaurants by age, filtered by locality or merchant; inactive ones only for their merchant and admins. */
  async list(caller: Actor | undefined, query: ListRestaurantsQuery): Promise<Page<RestaurantOutput>> {
    const [at, id] = query.cursor ? afterCursor(query.cursor) : ['-infinity', '00000000-0000-0000-0000-000000000000'];
    const rows = await this.d.em.execute<RestaurantRow[]>(
      `select * from restaurants where (created_at, id) > (?::timestamptz, ?::uuid) and (? or active or merchant_id = ?)
       and (?::text is null or locality = ?) and (?::uuid is null or merchant_id = ?) order by created_at, id limit ?`,
      [
        at,
        id,
        caller?.role === 'admin',
        caller?.id ?? null,
        query.locality ?? null,
        query.locality ?? null,
        query.merchantId ?? null,
        query.merchantId ?? null,
        query.limit + 1,
      ],
    );
    const served = rows.slice(0, query.limit).map(fromRow);
    const last = served[served.length - 1];
    return { items: served, nextCursor: rows.length > query.limit ? encodeCursor([last.createdAt, last.id]) : null };
  }

  /** Creates a dish (or an add-on of some of its dishes) in a restaurant the caller manages. */
  async createDish(caller: Actor, restaurantId: string, input: CreateDishInput): Promise<ProductOutput> {
    const restaurant = await this.managed(caller, restaurantId);
    const { dishIds, ...product } = input;
    return this.d.catalog.createInRestaurant(
      caller,
      { ...product, merchantId: caller.role === 'admin' ? restaurant.merchantId : undefined },
      { restaurantId: restaurant.id, addonOf: dishIds ?? [] },
    );
  }

  /** The restaurants among `ids`, by id. */
  async summaries(ids: readonly string[]): Promise<Map<string, RestaurantSummary>> {
    if (ids.length === 0) return new Map();
    const rows = await this.d.em.find(Restaurant, { id: { $in: [...new Set(ids)] } }, { refresh: true });
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, locality: r.locality, active: r.active }]));
  }

  private async managed(caller: Actor, id: string): Promise<Restaurant> {
    const restaurant = await this.d.em.findOne(Restaurant, { id });
    if (!restaurant || !manages(caller, restaurant)) throw notFound();
    return restaurant;
  }

  /** The merchant a new restaurant belongs to: the caller, or for an admin the merchant it names. */
  private async owner(caller: Actor, requested: string | undefined): Promise<string> {
    if (caller.role !== 'admin') {
      if (requested && requested !== caller.id) throw AppError.validation([{ path: 'merchantId', message: 'Only an admin names another merchant' }]);
      return caller.id;
    }
    if (!requested || !(await this.d.users.isMerchant(requested))) throw AppError.validation([{ path: 'merchantId', message: 'Name an existing merchant' }]);
    return requested;
  }
}

function manages(caller: Actor | undefined, restaurant: Restaurant): boolean {
  return !!caller && (caller.role === 'admin' || caller.id === restaurant.merchantId);
}

/** Another merchant's restaurant is answered as missing. */
function notFound(): AppError {
  return new AppError('NOT_FOUND', 'No such restaurant');
}

function afterCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2);
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
  return [at, id];
}

interface RestaurantRow {
  id: string;
  merchant_id: string;
  name: string;
  locality: string;
  address: Restaurant['address'];
  opening_hours: Restaurant['openingHours'];
  time_zone: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

function fromRow(r: RestaurantRow): RestaurantOutput {
  return toRestaurantOutput({
    id: r.id,
    merchantId: r.merchant_id,
    name: r.name,
    locality: r.locality,
    address: r.address,
    openingHours: r.opening_hours,
    timeZone: r.time_zone,
    active: r.active,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  });
}

function toRestaurantOutput(r: Restaurant): RestaurantOutput {
  return {
    id: r.id,
    merchantId: r.merchantId,
    name: r.name,
    locality: r.locality,
    address: r.address ?? null,
    openingHours: r.openingHours,
    timeZone: r.timeZone,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
