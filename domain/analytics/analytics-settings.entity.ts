import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A merchant's analytics settings: the time zone hours and weekdays are read in, the default food cost. */
export const AnalyticsSettings = defineEntity({
  name: 'AnalyticsSettings',
  tableName: 'analytics_settings',
  properties: {
    merchantId: p.uuid().primary(),
    timeZone: p.string().default('UTC'),
    foodCostPct: p.decimal('number').default(30),
    updatedAt: p.datetime(),
  },
});
export type AnalyticsSettings = InferEntity<typeof AnalyticsSettings>;

/** One item of a merchant's menu as transactions name it; lines point at it by `id`. */
export const AnalyticsItem = defineEntity({
  name: 'AnalyticsItem',
  tableName: 'analytics_items',
  properties: {
    id: p.integer().primary().autoincrement(),
    merchantId: p.uuid(),
    name: p.string(),
    category: p.string().nullable(),
    code: p.string().nullable(),
    priceCents: p.integer().nullable(),
    unitCostCents: p.integer().nullable(),
    productId: p.uuid().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type AnalyticsItem = InferEntity<typeof AnalyticsItem>;
