import type { EntityManager } from '@mikro-orm/postgresql';
import { dayItemLinesSql } from '../../domain/analytics/menu/day-rollup.js';
import { pairView } from '../../domain/analytics/menu/menu-analysis.js';
import { itemTotalsSql, pairsSql, timeBucketsSql, type PairRow, type TimeBucketRow } from '../../domain/analytics/menu/menu-sql.js';
import { periodFilter } from '../../domain/analytics/period-sql.js';
import { sql } from '../../domain/shared/sql.js';
import { importTransactionsCsv, MAVEN_ORDERS, putMavenMenu } from '../support/analytics.js';
import { createUser, type TestUser } from '../support/users.js';
import { eventually } from '../support/eventually.js';
import { useWorld } from '../support/world.js';

const PERIODS: Array<Record<string, string>> = [{}, { from: '2023-01-01', to: '2023-01-31' }, { from: '2023-02-15', to: '2023-03-02' }, { to: '2023-01-01' }];

describe('the daily rollups behind menu analyses and simulation histories', () => {
  const world = useWorld(); // role all: the import jobs run here
  let merchant: TestUser;
  const em = () => world.app.container.orm.em.fork() as EntityManager;
  const run = <T>(q: { text: string; params: readonly unknown[] }) => em().execute<T[]>(q.text, [...q.params]);
  const byItem = <T extends { item_id: number }>(rows: T[]) => [...rows].sort((a, b) => a.item_id - b.item_id);

  /** The rollup after GET /analytics/menu refreshed it, and the same aggregates straight from the lines. */
  async function rollupAndLines(timeZone: string) {
    const refreshed = await world.http.get('/api/v1/analytics/menu', merchant.token);
    expect([refreshed.status, refreshed.body.message]).toEqual([200, undefined]);
    const rollup = await em().execute(
      `select day::text as day, item_id, units, revenue, known_cost, units_without_cost, revenue_without_cost
       from analytics_day_items where merchant_id = ? order by day, item_id`,
      [merchant.id],
    );
    const lines = await run(sql`select x.day::text as day, x.item_id, x.units, x.revenue, x.known_cost, x.units_without_cost, x.revenue_without_cost
      from (${dayItemLinesSql(sql`l.merchant_id = ${merchant.id}::uuid`, timeZone)}) x order by 1, 2`);
    return { rollup, lines };
  }

  /** Each period's analysis as GET /analytics/menu answers it, and from the lines (the computation before the rollups). */
  async function expectAnalysisAsFromLines(timeZone: string) {
    for (const period of PERIODS) {
      const query = new URLSearchParams(period).toString();
      const res = await world.http.get(`/api/v1/analytics/menu?${query}`, merchant.token);
      const live = byItem(
        await run<{ item_id: number; name: string; units: number; revenue: number; cost: number }>(
          itemTotalsSql(periodFilter({ merchantId: merchant.id, ...period }, timeZone), 30),
        ),
      );
      const answered = new Map(res.body.items.map((i: { item: string; units: number; revenueCents: number; costCents: number }) => [i.item, i]));
      expect(answered.size).toBe(live.length);
      for (const row of live) {
        expect(answered.get(row.name)).toMatchObject({ units: row.units, revenueCents: Math.round(row.revenue), costCents: Math.round(row.cost) });
      }
      const filter = periodFilter({ merchantId: merchant.id, ...period }, timeZone);
      const buckets = await run<TimeBucketRow>(timeBucketsSql(filter, timeZone));
      const hours = buckets
        .filter((b) => b.hour !== null)
        .map((b) => ({ hour: b.hour, orders: b.orders, units: b.units, revenueCents: Math.round(b.revenue) }));
      const weekdays = buckets.filter((b) => b.weekday !== null).map((b) => ({ weekday: b.weekday, orders: b.orders, revenueCents: Math.round(b.revenue) }));
      expect(res.body.byHour.filter((h: { orders: number }) => h.orders > 0)).toEqual(expect.arrayContaining(hours.map((h) => expect.objectContaining(h))));
      expect(res.body.byHour.filter((h: { orders: number }) => h.orders > 0)).toHaveLength(hours.length);
      expect(res.body.byWeekday.filter((w: { orders: number }) => w.orders > 0)).toEqual(
        expect.arrayContaining(weekdays.map((w) => expect.objectContaining(w))),
      );
      const pairs = await run<PairRow>(pairsSql(filter, 0.005));
      expect(res.body.pairs).toEqual(pairs.map(pairView));
    }
  }

  beforeAll(async () => {
    merchant = await createUser(world.app, 'merchant');
    await putMavenMenu(world.app, merchant);
    await importTransactionsCsv(world.app, merchant, MAVEN_ORDERS);
  }, 60_000);

  test('When the Maven file is imported, then the rollup holds exactly the lines aggregated by day and item, and the analysis of any period (items, hours, weekdays, pairs) is the same as from the lines', async () => {
    const { rollup, lines } = await rollupAndLines('UTC');
    expect(rollup.length).toBeGreaterThan(80 * 20); // about 90 days × 32 items, fewer where an item did not sell
    expect(rollup).toEqual(lines);
    await expectAnalysisAsFromLines('UTC');
  });

  test('When lines are added, changed and moved to another day, then the days they were and are on are refreshed', async () => {
    await world.http.get('/api/v1/analytics/menu', merchant.token);
    // Line 1 (order 1, 1 January, Korean Beef Bowl) moves to 2 February as a Hamburger; a new day with a cost appears.
    await importTransactionsCsv(
      world.app,
      merchant,
      'order_details_id,order_id,order_date,order_time,item_id,item_name,price\n1,1,2/02/2023,11:38:36 AM,101,Hamburger,12.95\n',
    );
    await importTransactionsCsv(world.app, merchant, 'order_id,timestamp,item,quantity,unit_price,unit_cost\nN1,2023-04-02T10:00:00Z,Hamburger,3,12.95,4.10\n');
    // The server refreshes the rollups after each import: the days the moved line left and reached, and the new one.
    await eventually(
      () => em().execute(`select count(*)::int as n from analytics_dirty_days where merchant_id = ?`, [merchant.id]),
      (rows) => rows[0].n === 0,
      30_000,
    );
    const day = (d: string) =>
      em().execute<Array<{ item_id: number; units: number }>>(
        `select item_id, units from analytics_day_items where merchant_id = ? and day = ? order by item_id`,
        [merchant.id, d],
      );
    const hamburger = await em().execute(`select id from analytics_items where merchant_id = ? and name = 'Hamburger'`, [merchant.id]);
    const live = (d: string) =>
      run(
        sql`select x.item_id, x.units from (${dayItemLinesSql(sql`l.merchant_id = ${merchant.id}::uuid and (l.closed_at at time zone 'UTC')::date = ${d}::date`, 'UTC')}) x order by 1`,
      );
    for (const d of ['2023-01-01', '2023-02-02', '2023-04-02']) expect(await day(d)).toEqual(await live(d));
    expect((await day('2023-04-02')).find((r) => r.item_id === hamburger[0].id)).toMatchObject({ units: 3 });
    const { rollup, lines } = await rollupAndLines('UTC');
    expect(rollup).toEqual(lines);
    expect(await em().execute(`select count(*)::int as n from analytics_dirty_days where merchant_id = ?`, [merchant.id])).toEqual([{ n: 0 }]);
    await expectAnalysisAsFromLines('UTC');
  });

  test('When the merchant changes time zone, then the rollup is rebuilt in the new zone', async () => {
    expect((await world.http.put('/api/v1/analytics/settings', { timeZone: 'America/New_York' }, merchant.token)).status).toBe(200);
    const { rollup, lines } = await rollupAndLines('America/New_York');
    expect(rollup).toEqual(lines);
    expect(await em().execute(`select time_zone from analytics_rollup_state where merchant_id = ?`, [merchant.id])).toEqual([
      { time_zone: 'America/New_York' },
    ]);
    await expectAnalysisAsFromLines('America/New_York');
  });
});
