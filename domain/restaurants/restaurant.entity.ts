import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface RestaurantAddress {
  line1: string;
  lat: number;
  lng: number;
}

export interface OpeningHours {
  day: Weekday;
  from: string;
  to: string;
}

/** A merchant's restaurant in a locality; its dishes and add-ons are catalog products carrying its id. */
export const Restaurant = defineEntity({
  name: 'Restaurant',
  tableName: 'restaurants',
  properties: {
    id: p.uuid().primary(),
    merchantId: p.uuid(),
    name: p.string(),
    locality: p.string(),
    address: p.json<RestaurantAddress>().nullable(),
    openingHours: p.json<OpeningHours[]>(),
    timeZone: p.string(),
    active: p.boolean(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Restaurant = InferEntity<typeof Restaurant>;
