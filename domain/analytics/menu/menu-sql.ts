import type { Sql } from '../period-lines.js';

export interface ItemTotalsRow {
  item_id: number;
  name: string;
  category: string | null;
  units: number;
  revenue: number;
  cost: number;
}

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

/** Units, revenue and cost per item over the period's lines. */
export function itemTotalsSql(lines: Sql): Sql {
  return {
    text: `
      select x.item_id, i.name, i.category, sum(x.quantity)::float8 as units, sum(x.revenue)::float8 as revenue, sum(x.cost)::float8 as cost
      from (${lines.text}) x join analytics_items i on i.id = x.item_id
      group by x.item_id, i.name, i.category`,
    params: lines.params,
  };
}

/** Orders, units and revenue by hour of day and by ISO weekday (1 = Monday), each order at its closing time. */
export function timeBucketsSql(lines: Sql): Sql {
  return {
    text: `
      with orders as (
        select min(local) as at, sum(quantity) as units, sum(revenue) as revenue from (${lines.text}) x group by order_id
      )
      select extract(hour from at)::int as hour, null::int as weekday, count(*)::int as orders, sum(units)::float8 as units, sum(revenue)::float8 as revenue
      from orders group by 1
      union all
      select null, extract(isodow from at)::int, count(*)::int, sum(units)::float8, sum(revenue)::float8
      from orders group by 2`,
    params: lines.params,
  };
}

/**
 * Pairs of items bought together, over the orders with at least two distinct items (returns left out):
 * support = orders with both / such orders; confidence = orders with both / orders with `a` (and with
 * `b`); lift = support / (support(a) × support(b)). The top 50 by lift at or above `minSupport`. Each
 * order's items become one sorted array and its pairs are generated from it: no join of lines on order
 * id, so the plan stays linear whatever the planner estimates (fresh imports have no statistics yet).
 */
export function pairsSql(lines: Sql, minSupport: number): Sql {
  return {
    text: `
      with multi as (
        select items from (
          select array_agg(distinct item_id order by item_id) as items from (${lines.text}) x where quantity > 0 group by order_id
        ) o where cardinality(items) >= 2
      ), total as (
        select count(*)::float8 as orders from multi
      ), per_item as (
        select item_id, count(*)::float8 as orders from multi, unnest(items) as item_id group by item_id
      ), pair as (
        select items[x] as a, items[y] as b, count(*)::float8 as orders
        from multi, generate_series(1, cardinality(items) - 1) as x, generate_series(x + 1, cardinality(items)) as y
        group by 1, 2
      )
      select ia.name as a, ib.name as b, pair.orders::int as orders, pair.orders / total.orders as support,
             pair.orders / pa.orders as confidence, pair.orders / pb.orders as confidence_ba,
             pair.orders * total.orders / (pa.orders * pb.orders) as lift
      from pair cross join total
      join per_item pa on pa.item_id = pair.a join per_item pb on pb.item_id = pair.b
      join analytics_items ia on ia.id = pair.a join analytics_items ib on ib.id = pair.b
      where pair.orders / total.orders >= ?
      order by lift desc, pair.orders desc, ia.name, ib.name
      limit 50`,
    params: [...lines.params, minSupport],
  };
}
