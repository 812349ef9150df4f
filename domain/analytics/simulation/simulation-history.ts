import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnalyticsSettingsView } from '../analytics.schemas.js';
import { sql } from '../../shared/sql.js';
import { rollupPeriod, type DayItemRollup } from '../menu/day-rollup.js';
import { groupCost, type Period } from '../period-sql.js';
import type { SimulationHistory } from './simulation-model.js';

/** The history in one row: items as JSON, days and entries as compact text (see toHistory). */
interface HistoryRow {
  items: Array<{ id: number; name: string; category: string | null }> | null;
  /** `day weekday entries`, comma-separated, by day. */
  days: string | null;
  /** `item_id units revenue cost`, comma-separated, by day then item. */
  entries: string | null;
}

/**
 * The period's sales per day and item (days in the merchant's time zone), read from the daily rollup
 * (refreshed first), as the flat arrays a simulation thread resamples. Null when the period has no sales.
 * PostgreSQL packs a year of day × item entries into one row of text: parsing ~20k rows of objects on
 * the event loop stalled every socket of the process for ~80 ms, splitting one string takes a few.
 */
export async function loadSimulationHistory(
  em: EntityManager,
  rollup: DayItemRollup,
  period: Period,
  settings: AnalyticsSettingsView,
): Promise<SimulationHistory | null> {
  await rollup.refresh(period.merchantId, settings.timeZone);
  const query = sql`
    with e as (
      select x.day, x.item_id, x.units::float8 as units, x.revenue::float8 as revenue,
             (${groupCost(settings.defaultFoodCostPct)})::float8 as cost
      from (select r.* from analytics_day_items r where ${rollupPeriod(period)}) x join analytics_items i on i.id = x.item_id
    )
    select
      (select json_agg(json_build_object('id', i.id, 'name', i.name, 'category', i.category))
         from analytics_items i where i.id in (select item_id from e)) as items,
      (select string_agg(day::text || ' ' || extract(isodow from day)::int || ' ' || n, ',' order by day)
         from (select day, count(*) as n from e group by day) d) as days,
      (select string_agg(item_id || ' ' || units || ' ' || revenue || ' ' || cost, ',' order by day, item_id) from e) as entries`;
  const [row] = await em.execute<HistoryRow[]>(query.text, [...query.params]);
  if (!row?.entries || !row.days || !row.items) return null;
  return toHistory(row.items, row.days, row.entries);
}

/** Items are indexed in order of first appearance (by day, then item id), as the engine has always seen them. */
function toHistory(itemRows: NonNullable<HistoryRow['items']>, days: string, entries: string): SimulationHistory {
  const itemById = new Map(itemRows.map((i) => [Number(i.id), i]));
  const dayFields = days.split(/[ ,]/);
  const dayCount = dayFields.length / 3;
  const dayWeekday = new Uint8Array(dayCount);
  const dayStart = new Int32Array(dayCount + 1);
  for (let d = 0; d < dayCount; d++) {
    dayWeekday[d] = Number(dayFields[d * 3 + 1]);
    dayStart[d + 1] = dayStart[d] + Number(dayFields[d * 3 + 2]);
  }
  const fields = entries.split(/[ ,]/);
  const count = fields.length / 4;
  const entryItem = new Int32Array(count);
  const entryUnits = new Float64Array(count);
  const entryRevenue = new Float64Array(count);
  const entryCost = new Float64Array(count);
  const itemIndex = new Map<number, number>();
  const items: SimulationHistory['items'] = [];
  for (let e = 0; e < count; e++) {
    const id = Number(fields[e * 4]);
    let index = itemIndex.get(id);
    if (index === undefined) {
      const item = itemById.get(id)!;
      index = items.push({ name: item.name, category: item.category }) - 1;
      itemIndex.set(id, index);
    }
    entryItem[e] = index;
    entryUnits[e] = Number(fields[e * 4 + 1]);
    entryRevenue[e] = Number(fields[e * 4 + 2]);
    entryCost[e] = Number(fields[e * 4 + 3]);
  }
  return { from: dayFields[0], to: dayFields[(dayCount - 1) * 3], items, dayWeekday, dayStart, entryItem, entryUnits, entryRevenue, entryCost };
}
