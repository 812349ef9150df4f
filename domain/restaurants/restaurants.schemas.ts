import { z } from 'zod';
import { CreateProductInput } from '../catalog/index.js';
import { LocalitySlug, TimeOfDay, TimeZone } from '../localities/index.js';
import { PageQuery, pageSchema } from '../shared/pagination.js';
import { minutesOf } from '../shared/time-zones.js';
import { WEEKDAYS } from './restaurant.entity.js';

const NoControlChars = /^[^\p{Cc}]*$/u;

export const RestaurantAddressInput = z
  .object({
    line1: z.string().trim().min(1).max(200).regex(NoControlChars, 'must not contain control characters'),
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
  })
  .strict();

const OpeningHoursInput = z
  .object({ day: z.enum(WEEKDAYS), from: TimeOfDay, to: TimeOfDay })
  .strict()
  .refine((h) => minutesOf(h.from) < minutesOf(h.to), { path: ['to'], message: 'must be after from' });

const fields = {
  name: z.string().trim().min(1).max(200).regex(NoControlChars, 'must not contain control characters'),
  locality: LocalitySlug,
  address: RestaurantAddressInput,
  openingHours: z.array(OpeningHoursInput).max(21),
  timeZone: TimeZone,
};

export const CreateRestaurantInput = z
  .object({
    ...fields,
    address: fields.address.optional(),
    openingHours: fields.openingHours.default([]),
    timeZone: fields.timeZone.optional().describe("defaults to the locality's"),
    /** Admins create restaurants on behalf of a merchant; merchants always create their own. */
    merchantId: z.uuid().optional(),
  })
  .strict();
export const UpdateRestaurantInput = z
  .object({ ...fields, address: fields.address.nullable(), active: z.boolean() })
  .partial()
  .strict();

export const RestaurantParams = z.object({ id: z.uuid() }).strict();
export const ListRestaurantsQuery = PageQuery.extend({ locality: LocalitySlug.optional(), merchantId: z.uuid().optional() }).strict();

/** A dish (default) or an add-on of the restaurant; an add-on names the restaurant's dishes it goes with. */
export const CreateDishInput = CreateProductInput.omit({ merchantId: true, kind: true })
  .extend({
    kind: z.enum(['dish', 'addon']).default('dish'),
    dishIds: z.array(z.uuid()).min(1).max(50).optional().describe('add-ons only: the dishes it may be ordered with'),
  })
  .strict()
  .refine((d) => d.kind === 'addon' || d.dishIds === undefined, { path: ['dishIds'], message: 'only an add-on names dishes' });

export const RestaurantOutput = z.object({
  id: z.uuid(),
  merchantId: z.uuid(),
  name: z.string(),
  locality: z.string(),
  address: RestaurantAddressInput.nullable(),
  openingHours: z.array(z.object({ day: z.enum(WEEKDAYS), from: z.string(), to: z.string() })),
  timeZone: z.string(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const RestaurantPage = pageSchema(RestaurantOutput);

export type CreateRestaurantInput = z.output<typeof CreateRestaurantInput>;
export type UpdateRestaurantInput = z.output<typeof UpdateRestaurantInput>;
export type ListRestaurantsQuery = z.output<typeof ListRestaurantsQuery>;
export type CreateDishInput = z.output<typeof CreateDishInput>;
export type RestaurantOutput = z.output<typeof RestaurantOutput>;
