import { raw, sql, type Sql } from '../shared/sql.js';

/** A merchant's period, in their time zone: `from` and `to` are calendar days, both included; absent = open. */
export interface Period {
  merchantId: string;
  from?: string;
  to?: string;
}

/**
 * The condition selecting the merchant's lines of the period on `analytics_transactions l`. The day
 * bounds become instants in the merchant's time zone as constants, so the (merchant, closed_at) index
 * bounds the scan.
 */
export function periodFilter(period: Period, timeZone: string): Sql {
  return sql`l.merchant_id = ${period.merchantId}::uuid
    ${period.from ? sql`and l.closed_at >= (${period.from}::date)::timestamp at time zone ${timeZone}` : raw('')}
    ${period.to ? sql`and l.closed_at < (${period.to}::date + 1)::timestamp at time zone ${timeZone}` : raw('')}`;
}

/** One item's sales in a group of lines, priced (see COST_PARTS and groupCost). */
export interface ItemSalesRow {
  item_id: number;
  name: string;
  category: string | null;
  units: number;
  revenue: number;
  cost: number;
}

/**
 * Aggregates over a group of lines that let its cost be priced after grouping (see groupCost): the cost
 * of lines with a unit cost, and the units and revenue of the lines without one. Lines are neither
 * joined nor converted one by one, so a year of a million lines groups at scan speed.
 */
export const COST_PARTS = raw(`
  sum(l.quantity * l.unit_cost_cents)::float8 as known_cost,
  (sum(l.quantity) filter (where l.unit_cost_cents is null))::float8 as units_without_cost,
  (sum(l.quantity * l.unit_price_cents) filter (where l.unit_cost_cents is null))::float8 as revenue_without_cost`);

/**
 * The cost of a group of one item (`x` with COST_PARTS, `i` its item): each line's unit cost, else the
 * item's unit cost, else the default food-cost share of the price.
 */
export function groupCost(foodCostPct: number): Sql {
  return sql`(coalesce(x.known_cost, 0) + coalesce(i.unit_cost_cents * x.units_without_cost, x.revenue_without_cost * ${foodCostPct / 100}::float8, 0))`;
}
