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
 * `b`); lift = support / (support(a) × support(b)). The top 50 by lift at or above `minSupport`.
 */
export function pairsSql(lines: Sql, minSupport: number): Sql {
  return {
    text: `
      with baskets as (
        select distinct order_id, item_id from (${lines.text}) x where quantity > 0
      ), multi as (
        select b.order_id, b.item_id from baskets b
        join (select order_id from baskets group by order_id having count(*) >= 2) m using (order_id)
      ), total as (
        select count(distinct order_id)::float8 as orders from multi
      ), per_item as (
        select item_id, count(*)::float8 as orders from multi group by item_id
      ), pair as (
        select p.item_id as a, q.item_id as b, count(*)::float8 as orders
        from multi p join multi q on q.order_id = p.order_id and q.item_id > p.item_id
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
