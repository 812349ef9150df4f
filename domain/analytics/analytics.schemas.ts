import { text } from '../shared/text.js';
import { z } from 'zod';
import { isTimeZone } from './time-zone.js';

const NoControlChars = /^[^\p{Cc}]*$/u;
const shortText = (max: number) => text().trim().min(1).max(max).regex(NoControlChars, 'must not contain control characters');

/** A menu item as transactions name it (the key of the item dictionary). */
export const ItemName = shortText(200);
/** A calendar day in the merchant's time zone. */
export const LocalDate = z.iso.date();
export const TimeZone = text().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Paris');

export const AnalyticsSettingsInput = z
  .object({
    timeZone: TimeZone.optional(),
    /** Food cost as a share of the price, for lines and items without a unit cost. */
    defaultFoodCostPct: z.number().min(0).max(100).optional(),
  })
  .strict();
export const AnalyticsSettingsView = z.object({ timeZone: z.string(), defaultFoodCostPct: z.number() });
export type AnalyticsSettingsView = z.output<typeof AnalyticsSettingsView>;

const cents = z.number().int().min(0).max(100_000_000);
export const MenuItemInput = z
  .object({
    name: ItemName,
    category: shortText(100).nullable().optional(),
    /** The item's id in an external menu (e.g. Maven's menu_item_id): what the Maven CSV mapping joins on. */
    code: shortText(100).nullable().optional(),
    /** List price, used when a CSV shape carries no price (Maven's order_details). */
    priceCents: cents.nullable().optional(),
    /** Cost of one unit, used for lines without a unit cost. */
    unitCostCents: cents.nullable().optional(),
    /** The catalog product this item is (checked to be the merchant's own). */
    productId: z.uuid().nullable().optional(),
  })
  .strict();
export type MenuItemInput = z.output<typeof MenuItemInput>;
export const MenuItemsInput = z.object({ items: z.array(MenuItemInput).min(1).max(2000) }).strict();
export const MenuItemView = z.object({
  name: z.string(),
  category: z.string().nullable(),
  code: z.string().nullable(),
  priceCents: z.number().int().nullable(),
  unitCostCents: z.number().int().nullable(),
  productId: z.string().nullable(),
});
export type MenuItemView = z.output<typeof MenuItemView>;
export const MenuItemsView = z.object({ items: z.array(MenuItemView) });

export const POS_STATUSES = ['ok', 'failing', 'needs_reauth'] as const;
export type PosStatus = (typeof POS_STATUSES)[number];

export const PosConnectionInput = z
  .object({
    provider: z.literal('square'),
    accessToken: text().min(8).max(2048).regex(/^\S+$/, 'must not contain spaces'),
    locationId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a Square location id'),
    /** Square's API origin (default https://connect.squareup.com); only origins allowed by POS_ALLOWED_BASE_URLS. */
    baseUrl: text()
      .max(200)
      .pipe(z.url({ protocol: /^https?$/ }))
      .optional(),
    /** Where the first sync starts (default: 365 days ago). */
    since: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type PosConnectionInput = z.output<typeof PosConnectionInput>;

export const PosSyncRunView = z.object({
  trigger: z.enum(['schedule', 'manual', 'retry']),
  outcome: z.enum(['running', 'ok', 'failed', 'superseded', 'interrupted']),
  pages: z.number().int(),
  lines: z.number().int(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export const PosConnectionView = z.object({
  provider: z.literal('square'),
  locationId: z.string(),
  baseUrl: z.string(),
  status: z.enum(POS_STATUSES),
  lastSuccessAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.iso.datetime().nullable(),
  /** Null while the connection needs a new token: no sync runs until then. */
  nextRunAt: z.iso.datetime().nullable(),
  /** Every order closed before this instant is stored. */
  syncedUntil: z.iso.datetime(),
  recentRuns: z.array(PosSyncRunView),
});
export type PosConnectionView = z.output<typeof PosConnectionView>;
export const JobAccepted = z.object({ jobId: z.string() });

export const MenuQuery = z
  .object({
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    /** Pairs below this share of multi-item orders are left out. */
    minSupport: z.coerce.number().min(0).max(1).default(0.005),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });
export type MenuQuery = z.output<typeof MenuQuery>;

export const QUADRANTS = ['star', 'plowhorse', 'puzzle', 'dog'] as const;
export type Quadrant = (typeof QUADRANTS)[number];
const Sales = { orders: z.number().int(), units: z.number(), revenueCents: z.number().int() };
export const MenuItemAnalysis = z.object({
  item: z.string(),
  category: z.string().nullable(),
  units: z.number(),
  revenueCents: z.number().int(),
  costCents: z.number().int(),
  /** Contribution margin of all units sold (revenue − cost). */
  marginCents: z.number().int(),
  unitMarginCents: z.number(),
  /** Share of all units sold. */
  popularity: z.number(),
  /** Null for an item with no net units in the period (only returns). */
  quadrant: z.enum(QUADRANTS).nullable(),
});
export const MenuAnalysis = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  timeZone: z.string(),
  totals: z.object({ ...Sales, costCents: z.number().int(), marginCents: z.number().int() }),
  /** Kasavana–Smith cut-offs: 70 % of an equal share of units; the sales-weighted average unit margin. */
  thresholds: z.object({ popularity: z.number(), unitMarginCents: z.number() }),
  items: z.array(MenuItemAnalysis),
  /** Index = hour of day (0–23) in the merchant's time zone. */
  byHour: z.array(z.object({ hour: z.number().int(), ...Sales })).length(24),
  /** Index 0 = Monday … 6 = Sunday, in the merchant's time zone. */
  byWeekday: z.array(z.object({ weekday: z.number().int(), ...Sales })).length(7),
  /** Items bought together in orders of two or more items, top 50 by lift above minSupport. */
  pairs: z.array(
    z.object({
      a: z.string(),
      b: z.string(),
      orders: z.number().int(),
      support: z.number(),
      /** Share of the orders with `a` that also have `b`. */
      confidence: z.number(),
      /** Share of the orders with `b` that also have `a`. */
      confidenceBA: z.number(),
      lift: z.number(),
    }),
  ),
});
export type MenuAnalysis = z.output<typeof MenuAnalysis>;

export const SimulationChange = z
  .object({
    item: ItemName,
    priceChangePct: z.number().min(-90).max(500).optional(),
    remove: z.boolean().optional(),
    /** This item's own price elasticity of demand (default: the request's). */
    elasticity: z.number().min(-10).max(10).optional(),
  })
  .strict()
  .refine((c) => (c.priceChangePct !== undefined) !== (c.remove === true), { message: 'needs exactly one of priceChangePct or remove: true' });
export const SimulationInput = z
  .object({
    from: LocalDate.optional(),
    to: LocalDate.optional(),
    runs: z.number().int().min(100).max(100_000),
    changes: z.array(SimulationChange).max(500).default([]),
    elasticity: z.number().min(-10).max(10).default(-1),
    /** Share of a removed item's units that move to the remaining items of its category. */
    substitution: z.number().min(0).max(1).default(0.5),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
  })
  .strict()
  .refine((s) => !s.from || !s.to || s.from <= s.to, { path: ['to'], message: 'must not be before from' })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.changes.forEach((c, i) => {
      if (seen.has(c.item)) ctx.addIssue({ code: 'custom', path: ['changes', i, 'item'], message: 'is changed twice' });
      seen.add(c.item);
    });
  });
export type SimulationInput = z.output<typeof SimulationInput>;
export const SimulationIdParams = z.object({ id: z.uuid() }).strict();

const Percentiles = z.object({ p5: z.number().int(), p50: z.number().int(), p95: z.number().int() });
const Outcome = { units: z.number(), revenueCents: z.number().int(), profitCents: z.number().int() };
export const SimulationResult = z.object({
  /** Days resampled per run: the days with sales in the period (a run covers as long as the history). */
  days: z.number().int(),
  from: z.string(),
  to: z.string(),
  revenueCents: Percentiles,
  profitCents: Percentiles,
  baseline: z.object({ revenueCents: z.number().int(), profitCents: z.number().int() }),
  /** Per item: the history as it happened and the mean over the runs. */
  items: z.array(z.object({ item: z.string(), category: z.string().nullable(), baseline: z.object(Outcome), simulated: z.object(Outcome) })),
});
export type SimulationResult = z.output<typeof SimulationResult>;

export const SIMULATION_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type SimulationStatus = (typeof SIMULATION_STATUSES)[number];
export const SimulationView = z.object({
  id: z.uuid(),
  status: z.enum(SIMULATION_STATUSES),
  runs: z.number().int(),
  runsDone: z.number().int(),
  seed: z.number().int(),
  error: z.string().nullable(),
  result: SimulationResult.nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type SimulationView = z.output<typeof SimulationView>;
export const SimulationAccepted = z.object({ id: z.uuid(), status: z.literal('queued') });

export const SimulationWatchInput = z.object({ id: z.uuid() }).strict();
export const SimulationProgress = z.object({ id: z.uuid(), runsDone: z.number().int(), runs: z.number().int() });
export const SimulationFinished = z.object({
  id: z.uuid(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  result: SimulationResult.nullable(),
  error: z.string().nullable(),
});
export type SimulationFinished = z.output<typeof SimulationFinished>;
