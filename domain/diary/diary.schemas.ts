import { text } from '../shared/text.js';
import { z } from 'zod';
import { NUTRIENTS } from '../catalog/index.js';

export const MEALS = ['breakfast', 'lunch', 'dinner', 'snack'] as const;
export type Meal = (typeof MEALS)[number];

export const MAX_ITEMS_PER_ENTRY = 50;
export const MAX_GRAMS = 5_000;

/** Upper bounds per 100 g: no food has more than 100 g of anything in 100 g, nor more energy than pure fat. */
const PER_100G_MAX: Record<(typeof NUTRIENTS)[number], number> = {
  energyKcal: 1_000,
  protein: 100,
  fat: 100,
  saturatedFat: 100,
  carbohydrate: 100,
  sugars: 100,
  fibre: 100,
  salt: 100,
  iodineUg: 1_000_000,
};

const nutrientShape = <T extends z.ZodType>(of: (max: number) => T) =>
  Object.fromEntries(NUTRIENTS.map((n) => [n, of(PER_100G_MAX[n])])) as Record<(typeof NUTRIENTS)[number], T>;

/** A free item's nutrition per 100 g (grams unless the name says otherwise); leave out what is unknown. */
export const NutritionInput = z
  .object(nutrientShape((max) => z.number().nonnegative().max(max)))
  .partial()
  .strict()
  .describe('per 100 g, like products; unknown nutrients left out');

/** Nutrient amounts; null means unknown (never zero). */
export const NutritionView = z.object(nutrientShape(() => z.number().nullable()));
export type NutritionView = z.output<typeof NutritionView>;

const Grams = z.number().positive().max(MAX_GRAMS).describe('grams eaten');

const ProductItemInput = z.object({ productId: z.uuid(), grams: Grams }).strict();
const FreeItemInput = z.object({ name: text().trim().min(1).max(200), grams: Grams, nutrition: NutritionInput }).strict();

/** An item: a catalog product and grams, or a free item with a name, grams and nutrition per 100 g. */
export const DiaryItemInput = z
  .union([ProductItemInput, FreeItemInput])
  .describe('{productId, grams} (nutrition from the catalog, scaled at write time) or {name, grams, nutrition per 100 g}');
export type DiaryItemInput = z.output<typeof DiaryItemInput>;

const entryFields = {
  date: z.iso.date().describe('the day the meal was eaten, YYYY-MM-DD'),
  meal: z.enum(MEALS),
  items: z.array(DiaryItemInput).min(1).max(MAX_ITEMS_PER_ENTRY),
  note: text().trim().max(2_000).default(''),
};

export const CreateEntryInput = z
  .object({ clientId: z.uuid().describe('made by the client; the same id again answers the stored entry'), ...entryFields })
  .strict();
export type CreateEntryInput = z.output<typeof CreateEntryInput>;

export const UpdateEntryInput = z.object({ ...entryFields, version: z.number().int().min(1).describe('the version the client edited') }).strict();
export type UpdateEntryInput = z.output<typeof UpdateEntryInput>;

export const DiaryItemView = z.object({
  productId: z.uuid().nullable(),
  name: z.string(),
  grams: z.number(),
  per100g: NutritionView,
  nutrition: NutritionView.describe('what this portion holds'),
});
export type DiaryItemView = z.output<typeof DiaryItemView>;

export const EntryView = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  date: z.string(),
  meal: z.enum(MEALS),
  items: z.array(DiaryItemView),
  note: z.string(),
  photoUrl: z.string().nullable().describe('signed, expires'),
  thumbnailUrl: z.string().nullable().describe('signed, expires; null until the thumbnail job has run'),
  totals: NutritionView,
  version: z.number().int(),
  deletedAt: z.string().nullable(),
  purgeAt: z.string().nullable().describe('when a trashed entry is purged for good'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type EntryView = z.output<typeof EntryView>;

export const EntryIdParams = z.object({ id: z.uuid() }).strict();

const Day = z.iso.date();
export const ListEntriesQuery = z
  .object({ from: Day.optional(), to: Day.optional(), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: text().max(512).optional() })
  .strict();
export type ListEntriesQuery = z.output<typeof ListEntriesQuery>;

export const MAX_SUMMARY_DAYS = 92;

/** `?date=` for one day, or `?from=&to=` (≤ 92 days) for charts. */
export const SummaryQuery = z
  .object({ date: Day.optional(), from: Day.optional(), to: Day.optional() })
  .strict()
  .superRefine((q, ctx) => {
    if (q.date && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['date'], message: 'Give date, or from and to, not both' });
    else if (!q.date && !(q.from && q.to)) ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'Give date, or both from and to' });
  });
export type SummaryQuery = z.output<typeof SummaryQuery>;

export const NutrientWarning = z.object({
  nutrient: z.string(),
  value: z.number(),
  limit: z.number(),
  unit: z.string(),
  source: z.string().describe('where the limit comes from'),
});
export type NutrientWarning = z.output<typeof NutrientWarning>;

export const DailyLimitView = z.object({ nutrient: z.string(), limit: z.number(), unit: z.string(), source: z.string() });
export type DailyLimitView = z.output<typeof DailyLimitView>;

export const DaySummary = z.object({
  date: z.string(),
  entries: z.number().int(),
  totals: NutritionView.extend({ starch: z.number().nullable().describe('estimated as carbohydrate − sugars') }),
  warnings: z.array(NutrientWarning),
});
export type DaySummary = z.output<typeof DaySummary>;

export const SummaryView = z.union([
  DaySummary.extend({ limits: z.array(DailyLimitView) }),
  z.object({ from: z.string(), to: z.string(), days: z.array(DaySummary), limits: z.array(DailyLimitView) }),
]);
export type SummaryView = z.output<typeof SummaryView>;

export const ChangesQuery = z.object({ since: text().max(512).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
export type ChangesQuery = z.output<typeof ChangesQuery>;

export const ChangeItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('entry'), entry: EntryView }),
  z.object({ kind: z.literal('purged'), id: z.uuid(), clientId: z.uuid(), purgedAt: z.string() }),
]);
export type ChangeItem = z.output<typeof ChangeItem>;

export const ChangesView = z.object({
  items: z.array(ChangeItem).describe('oldest change first; a trashed entry comes with deletedAt set, a purged one as a tombstone'),
  nextCursor: z.string().describe('give it as `since` next time (also when nothing changed)'),
  hasMore: z.boolean(),
});
export type ChangesView = z.output<typeof ChangesView>;

export const PhotoQuery = z.object({ uploadId: text().trim().min(1).max(100).optional() }).strict();

/** A diary entry as a shared post shows it: no clientId, version or trash fields. */
export const SharedEntryView = EntryView.pick({ id: true, date: true, meal: true, items: true, note: true, totals: true, photoUrl: true, thumbnailUrl: true });
export type SharedEntryView = z.output<typeof SharedEntryView>;
