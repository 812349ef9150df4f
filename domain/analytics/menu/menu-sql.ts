import { sql, type Sql } from '../../shared/sql.js';
import { COST_PARTS, groupCost, type Period } from '../period-sql.js';
import { rollupPeriod } from './day-rollup.js';

export interface TimeBucketRow {
  hour: number | null;
  weekday: number | null;
  orders: number;
  units: number;
  revenue: number;
}

export interface PairRow {
  a: string;
  b: string;
  orders: number;
  support: number;
  confidence: number;
  confidence_ba: number;
  lift: number;
}

/** Units, revenue and cost per item over the period's lines (`filter`, see periodFilter). */
export function itemTotalsSql(filter: Sql, foodCostPct: number): Sql {
  return sql`
    select x.item_id, i.name, i.category, x.units, x.revenue, ${groupCost(foodCostPct)} as cost
    from (
      select l.item_id, sum(l.quantity)::float8 as units, sum(l.quantity * l.unit_price_cents)::float8 as revenue, ${COST_PARTS}
      from analytics_transactions l where ${filter} group by l.item_id
    ) x join analytics_items i on i.id = x.item_id`;
}

/** The same as itemTotalsSql, from the daily rollup (refreshed first): days × items rows instead of every line. */
export function itemTotalsFromRollupSql(period: Period, foodCostPct: number): Sql {
  return sql`
    select x.item_id, i.name, i.category, x.units, x.revenue, ${groupCost(foodCostPct)} as cost
    from (
      select r.item_id, sum(r.units)::float8 as units, sum(r.revenue)::float8 as revenue, sum(r.known_cost)::float8 as known_cost,
             sum(r.units_without_cost)::float8 as units_without_cost, sum(r.revenue_without_cost)::float8 as revenue_without_cost
      from analytics_day_items r where ${rollupPeriod(period)} group by r.item_id
    ) x join analytics_items i on i.id = x.item_id`;
}

/**
 * Orders, units and revenue by hour of day and by ISO weekday (1 = Monday) in `timeZone`, each order at
 * its closing time (converted once per order, not per line).
 */
export function timeBucketsSql(filter: Sql, timeZone: string): Sql {
  return sql`
    with orders as (
      select min(l.closed_at) at time zone ${timeZone} as at, sum(l.quantity) as units, sum(l.quantity * l.unit_price_cents) as revenue
      from analytics_transactions l where ${filter} group by l.order_id
    )
    select extract(hour from at)::int as hour, null::int as weekday, count(*)::int as orders, sum(units)::float8 as units, sum(revenue)::float8 as revenue
    from orders group by 1
    union all
    select null, extract(isodow from at)::int, count(*)::int, sum(units)::float8, sum(revenue)::float8
    from orders group by 2`;
}

/** The same as timeBucketsSql, from the daily rollup (refreshed first): orders per local day and hour. */
export function timeBucketsFromRollupSql(period: Period): Sql {
  return sql`
    select r.hour::int as hour, null::int as weekday, sum(r.orders)::int as orders, sum(r.units)::float8 as units, sum(r.revenue)::float8 as revenue
    from analytics_day_hours r where ${rollupPeriod(period)} group by 1
    union all
    select null, extract(isodow from r.day)::int, sum(r.orders)::int, sum(r.units)::float8, sum(r.revenue)::float8
    from analytics_day_hours r where ${rollupPeriod(period)} group by 2`;
}

/** The same as pairsSql, from the daily rollup (refreshed first): baskets, their items and pairs per local day. */
export function pairsFromRollupSql(period: Period, minSupport: number): Sql {
  return sql`
    with total as (
      select sum(r.orders)::float8 as orders from analytics_day_baskets r where ${rollupPeriod(period)}
    ), per_item as (
      select r.item_id, sum(r.orders)::float8 as orders from analytics_day_basket_items r where ${rollupPeriod(period)} group by 1
    ), pair as (
      select r.a, r.b, sum(r.orders)::float8 as orders from analytics_day_pairs r where ${rollupPeriod(period)} group by 1, 2
    )
    ${PAIRS_RANKED(minSupport)}`;
}

/** Pairs with support, confidence and lift from `total`, `per_item` and `pair` (see pairsSql): the top 50 by lift. */
const PAIRS_RANKED = (minSupport: number) => sql`
    select ia.name as a, ib.name as b, pair.orders::int as orders, pair.orders / total.orders as support,
           pair.orders / pa.orders as confidence, pair.orders / pb.orders as confidence_ba,
           pair.orders * total.orders / (pa.orders * pb.orders) as lift
    from pair cross join total
    join per_item pa on pa.item_id = pair.a join per_item pb on pb.item_id = pair.b
    join analytics_items ia on ia.id = pair.a join analytics_items ib on ib.id = pair.b
    where pair.orders / total.orders >= ${minSupport}::float8
    order by lift desc, pair.orders desc, ia.name, ib.name
    limit 50`;

/**
 * Pairs of items bought together, over the orders with at least two distinct items (returns left out):
 * support = orders with both / such orders; confidence = orders with both / orders with `a` (and with
 * `b`); lift = support / (support(a) × support(b)). The top 50 by lift at or above `minSupport`. Each
 * order's distinct items become one array and its pairs are generated from it: no join of lines on
 * order id, so the plan stays linear whatever the planner estimates (fresh imports have no statistics).
 */
export function pairsSql(filter: Sql, minSupport: number): Sql {
  return sql`
    with multi as (
      select array_agg(distinct l.item_id order by l.item_id) as items from analytics_transactions l
      where ${filter} and l.quantity > 0 group by l.order_id having count(distinct l.item_id) >= 2
    ), total as (
      select count(*)::float8 as orders from multi
    ), per_item as (
      select item_id, count(*)::float8 as orders from multi, unnest(items) as item_id group by item_id
    ), pair as (
      select a, b, count(*)::float8 as orders from multi, unnest(items) as a, unnest(items) as b where b > a group by 1, 2
    )
    ${PAIRS_RANKED(minSupport)}`;
}
