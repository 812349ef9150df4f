import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { DiaryItemView, Meal, NutritionView } from './diary.schemas.js';
import { MEALS } from './diary.schemas.js';

/** One meal in a user's diary (table diary_entries; written with SQL by the diary's services). */
export const DiaryEntry = defineEntity({
  name: 'DiaryEntry',
  tableName: 'diary_entries',
  properties: {
    id: p.uuid().primary(),
    userId: p.uuid(),
    clientId: p.uuid(),
    date: p.string().columnType('date'),
    meal: p.enum(MEALS).$type<Meal>(),
    items: p.json<DiaryItemView[]>(),
    totals: p.json<NutritionView>(),
    note: p.text().default(''),
    photoKey: p.string().nullable(),
    photoType: p.string().nullable(),
    thumbnailKey: p.string().nullable(),
    version: p.integer().default(1),
    changeSeq: p.bigint('number'),
    deletedAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type DiaryEntry = InferEntity<typeof DiaryEntry>;

/** A user's last diary change number (table diary_sync_heads). */
export const DiarySyncHead = defineEntity({
  name: 'DiarySyncHead',
  tableName: 'diary_sync_heads',
  properties: { userId: p.uuid().primary(), seq: p.bigint('number') },
});
export type DiarySyncHead = InferEntity<typeof DiarySyncHead>;

/** What remains of a purged entry, for offline sync (table diary_tombstones). */
export const DiaryTombstone = defineEntity({
  name: 'DiaryTombstone',
  tableName: 'diary_tombstones',
  properties: {
    userId: p.uuid().primary(),
    changeSeq: p.bigint('number').primary(),
    entryId: p.uuid(),
    clientId: p.uuid(),
    purgedAt: p.datetime(),
  },
});
export type DiaryTombstone = InferEntity<typeof DiaryTombstone>;
