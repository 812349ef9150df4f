import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnalyticsSettingsView } from '../analytics.schemas.js';
import { periodLinesSql, type Period } from '../period-lines.js';
import type { SimulationHistory } from './simulation-model.js';

interface DayItemRow {
  day: string;
  weekday: number;
  item_id: number;
  name: string;
  category: string | null;
  units: number;
  revenue: number;
  cost: number;
}

/**
 * The period's sales per day and item (days in the merchant's time zone), aggregated in SQL, as the flat
 * arrays a simulation thread resamples. Null when the period has no sales.
 */
export async function loadSimulationHistory(em: EntityManager, period: Period, settings: AnalyticsSettingsView): Promise<SimulationHistory | null> {
  const lines = periodLinesSql(period, settings);
  const rows = await em.execute<DayItemRow[]>(
    `select x.local::date::text as day, extract(isodow from x.local)::int as weekday, x.item_id, i.name, i.category,
            sum(x.quantity)::float8 as units, sum(x.revenue)::float8 as revenue, sum(x.cost)::float8 as cost
     from (${lines.text}) x join analytics_items i on i.id = x.item_id
     group by 1, 2, 3, 4, 5 order by 1, 3`,
    lines.params,
  );
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
