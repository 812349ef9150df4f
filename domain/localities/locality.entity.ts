import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * A delivery area (a town or district) as data: its time zone and the daily times its meal set runs
 * on. Users, restaurants, drivers and meal sets reference it by slug.
 */
export const Locality = defineEntity({
  name: 'Locality',
  tableName: 'localities',
  properties: {
    slug: p.string().primary(),
    name: p.string(),
    timeZone: p.string(),
    /** `HH:MM` local time after which today's meal set takes no more orders. */
    orderCutoff: p.string(),
    /** `HH:MM` local time of the daily reminder to customers who have not ordered. */
    reminderAt: p.string(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Locality = InferEntity<typeof Locality>;
