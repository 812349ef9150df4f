import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnalyticsSettingsView } from '../analytics.schemas.js';
import { sql } from '../../shared/sql.js';
import { rollupPeriod, type DayItemRollup } from '../menu/day-rollup.js';
import { groupCost, type ItemSalesRow, type Period } from '../period-sql.js';
import type { SimulationHistory } from './simulation-model.js';

interface DayItemRow extends ItemSalesRow {
  day: string;
  weekday: number;
}

/**
 * The period's sales per day and item (days in the merchant's time zone), read from the daily rollup
 * (refreshed first), as the flat arrays a simulation thread resamples. Null when the period has no sales.
 */
export async function loadSimulationHistory(
  em: EntityManager,
  rollup: DayItemRollup,
  period: Period,
  settings: AnalyticsSettingsView,
): Promise<SimulationHistory | null> {
  await rollup.refresh(period.merchantId, settings.timeZone);
  const query = sql`
    select x.day::text as day, extract(isodow from x.day)::int as weekday, x.item_id, i.name, i.category, x.units, x.revenue,
           ${groupCost(settings.defaultFoodCostPct)} as cost
    from (select r.* from analytics_day_items r where ${rollupPeriod(period)}) x join analytics_items i on i.id = x.item_id
    order by 1, 3`;
  const rows = await em.execute<DayItemRow[]>(query.text, [...query.params]);
  if (rows.length === 0) return null;
  return toHistory(rows);
}

function toHistory(rows: DayItemRow[]): SimulationHistory {
  const itemIndex = new Map<number, number>();
  const items: SimulationHistory['items'] = [];
  const dayStart: number[] = [];
  const weekdays: number[] = [];
  let day = '';
  const entryItem = new Int32Array(rows.length);
  rows.forEach((r, e) => {
    if (r.day !== day) {
      day = r.day;
      dayStart.push(e);
      weekdays.push(r.weekday);
    }
    let index = itemIndex.get(r.item_id);
    if (index === undefined) {
      index = items.push({ name: r.name, category: r.category }) - 1;
      itemIndex.set(r.item_id, index);
    }
    entryItem[e] = index;
  });
  dayStart.push(rows.length);
  return {
    from: rows[0].day,
    to: rows[rows.length - 1].day,
    items,
    dayWeekday: Uint8Array.from(weekdays),
    dayStart: Int32Array.from(dayStart),
    entryItem,
    entryUnits: Float64Array.from(rows, (r) => r.units),
    entryRevenue: Float64Array.from(rows, (r) => r.revenue),
    entryCost: Float64Array.from(rows, (r) => r.cost),
  };
}
