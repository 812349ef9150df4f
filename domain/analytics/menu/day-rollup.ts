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

/** The rollup rows of a period (days in the zone the rollup is built in), as `r`. */
export function rollupPeriod(period: Period): Sql {
  return sql`r.merchant_id = ${period.merchantId}::uuid
    ${period.from ? sql`and r.day >= ${period.from}::date` : raw('')}
    ${period.to ? sql`and r.day <= ${period.to}::date` : raw('')}`;
}

/**
 * Keeps `analytics_day_items` up to date. Writers of lines mark the local days they touch dirty in
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
    await tx.execute(`delete from analytics_day_items where merchant_id = ? and day = any(?::date[])`, [merchantId, list], 'run');
    // The days' instants bound the scan by the (merchant, closed_at) index; the list picks the days.
    const lines = sql`l.merchant_id = ${merchantId}::uuid
      and l.closed_at >= (${days[0]}::date)::timestamp at time zone ${timeZone}
      and l.closed_at < (${days[days.length - 1]}::date + 1)::timestamp at time zone ${timeZone}
      and (l.closed_at at time zone ${timeZone})::date = any(${list}::date[])`;
    await this.insert(tx, merchantId, lines, timeZone);
  }

  private async rebuild(tx: EntityManager, merchantId: string, timeZone: string): Promise<void> {
    await tx.execute(`delete from analytics_dirty_days where merchant_id = ?`, [merchantId], 'run');
    await tx.execute(`delete from analytics_day_items where merchant_id = ?`, [merchantId], 'run');
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
  }
}
