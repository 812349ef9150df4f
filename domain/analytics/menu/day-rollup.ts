import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, sql, type Sql } from '../../shared/sql.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { COST_PARTS, type Period } from '../period-sql.js';

/**
 * A merchant's lines by local day and item (`analytics_day_items`): units, revenue and the cost parts
 * of COST_PARTS, straight from the lines (`condition` selects them on `l`). Both the rollup's build and
 * its check against the lines use it.
 */
export function dayItemLinesSql(condition: Sql, timeZone: string): Sql {
  return sql`
    select (l.closed_at at time zone ${timeZone})::date as day, l.item_id,
           sum(l.quantity)::float8 as units, sum(l.quantity * l.unit_price_cents)::float8 as revenue, ${COST_PARTS}
    from analytics_transactions l where ${condition} group by 1, 2`;
}

/**
 * The orders of the lines `condition` selects, one per order and local day (POS orders close at one
 * instant, so an order spans days only in a CSV that says so): by the hour of its first line, and the
 * baskets of two or more distinct items (returns left out) with their items and pairs. Written into the
 * day tables of `merchantId` by one statement.
 */
function insertOrdersSql(merchantId: string, condition: Sql, timeZone: string): Sql {
  return sql`
    with orders as (
      select (l.closed_at at time zone ${timeZone})::date as day, min(l.closed_at) at time zone ${timeZone} as at,
             sum(l.quantity) as units, sum(l.quantity * l.unit_price_cents) as revenue
      from analytics_transactions l where ${condition} group by 1, l.order_id
    ), multi as (
      select (l.closed_at at time zone ${timeZone})::date as day, array_agg(distinct l.item_id order by l.item_id) as items
      from analytics_transactions l where ${condition} and l.quantity > 0 group by 1, l.order_id having count(distinct l.item_id) >= 2
    ), hours as (
      insert into analytics_day_hours (merchant_id, day, hour, orders, units, revenue)
      select ${merchantId}::uuid, day, extract(hour from at)::int, count(*), sum(units), sum(revenue) from orders group by 2, 3
    ), baskets as (
      insert into analytics_day_baskets (merchant_id, day, orders) select ${merchantId}::uuid, day, count(*) from multi group by 2
    ), basket_items as (
      insert into analytics_day_basket_items (merchant_id, day, item_id, orders)
      select ${merchantId}::uuid, day, item_id, count(*) from multi, unnest(items) as item_id group by 2, 3
    )
    insert into analytics_day_pairs (merchant_id, day, a, b, orders)
    select ${merchantId}::uuid, day, a, b, count(*) from multi, unnest(items) as a, unnest(items) as b where b > a group by 2, 3, 4`;
}

const DAY_TABLES = ['analytics_day_items', 'analytics_day_hours', 'analytics_day_baskets', 'analytics_day_basket_items', 'analytics_day_pairs'];

/** The rollup rows of a period (days in the zone the rollup is built in), as `r`. */
export function rollupPeriod(period: Period): Sql {
  return sql`r.merchant_id = ${period.merchantId}::uuid
    ${period.from ? sql`and r.day >= ${period.from}::date` : raw('')}
    ${period.to ? sql`and r.day <= ${period.to}::date` : raw('')}`;
}

/**
 * Keeps the day tables (DAY_TABLES) up to date. Writers of lines mark the local days they touch dirty in
 * their own transaction (transaction-store.ts); a reader calls `refresh` first, which re-aggregates
 * only the dirty days (a year of lines is then read once, not by every cold analysis), or rebuilds
 * the merchant's rollup when it was built in another time zone. Refreshes of one merchant take turns
 * (an advisory lock). A writer still running holds its dirty days' rows, so a refresh clearing them
 * waits for its commit and then sees its lines; days it marks afresh stay for the next refresh.
 */
export class DayItemRollup {
  constructor(private readonly uow: UnitOfWork) {}

  async refresh(merchantId: string, timeZone: string): Promise<void> {
    await this.uow.run(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext('analytics_day_items'), hashtext(?))`, [merchantId]);
      const [state] = await tx.execute<Array<{ time_zone: string }>>(`select time_zone from analytics_rollup_state where merchant_id = ?`, [merchantId]);
      if (state?.time_zone === timeZone) await this.refreshDirty(tx, merchantId, timeZone);
      else await this.rebuild(tx, merchantId, timeZone);
    });
  }

  private async refreshDirty(tx: EntityManager, merchantId: string, timeZone: string): Promise<void> {
    const dirty = await tx.execute<Array<{ day: string }>>(`delete from analytics_dirty_days where merchant_id = ? returning day::text as day`, [merchantId]);
    if (dirty.length === 0) return;
    const days = dirty.map((d) => d.day).sort();
    const list = `{${days.join(',')}}`; // a date[] literal (the days are PostgreSQL's own YYYY-MM-DD)
    for (const table of DAY_TABLES) await tx.execute(`delete from ${table} where merchant_id = ? and day = any(?::date[])`, [merchantId, list], 'run');
    // The days' instants bound the scan by the (merchant, closed_at) index; the list picks the days.
    const lines = sql`l.merchant_id = ${merchantId}::uuid
      and l.closed_at >= (${days[0]}::date)::timestamp at time zone ${timeZone}
      and l.closed_at < (${days[days.length - 1]}::date + 1)::timestamp at time zone ${timeZone}
      and (l.closed_at at time zone ${timeZone})::date = any(${list}::date[])`;
    await this.insert(tx, merchantId, lines, timeZone);
  }

  private async rebuild(tx: EntityManager, merchantId: string, timeZone: string): Promise<void> {
    await tx.execute(`delete from analytics_dirty_days where merchant_id = ?`, [merchantId], 'run');
    for (const table of DAY_TABLES) await tx.execute(`delete from ${table} where merchant_id = ?`, [merchantId], 'run');
    await this.insert(tx, merchantId, sql`l.merchant_id = ${merchantId}::uuid`, timeZone);
    await tx.execute(
      `insert into analytics_rollup_state (merchant_id, time_zone, built_at) values (?, ?, now())
       on conflict (merchant_id) do update set time_zone = excluded.time_zone, built_at = excluded.built_at`,
      [merchantId, timeZone],
      'run',
    );
  }

  private async insert(tx: EntityManager, merchantId: string, lines: Sql, timeZone: string): Promise<void> {
    const query = sql`
      insert into analytics_day_items (merchant_id, day, item_id, units, revenue, known_cost, units_without_cost, revenue_without_cost)
      select ${merchantId}::uuid, x.* from (${dayItemLinesSql(lines, timeZone)}) x`;
    await tx.execute(query.text, [...query.params], 'run');
    const orders = insertOrdersSql(merchantId, lines, timeZone);
    await tx.execute(orders.text, [...orders.params], 'run');
  }
}
