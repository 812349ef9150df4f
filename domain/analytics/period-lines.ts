import type { AnalyticsSettingsView } from './analytics.schemas.js';

/** A merchant's period, in their time zone: `from` and `to` are calendar days, both included; absent = open. */
export interface Period {
  merchantId: string;
  from?: string;
  to?: string;
}

/** SQL text and its positional parameters (`?`), for `em.execute`. */
export interface Sql {
  text: string;
  params: unknown[];
}

/**
 * The merchant's transaction lines in the period, one row per line: `order_id`, `item_id`, `quantity`,
 * `revenue` and `cost` in cents (quantity × unit price; quantity × the line's unit cost, else the
 * item's, else the default food-cost share of the price) and `local`, the closing time in the merchant's
 * time zone. The period bounds are constants, so the (merchant, closed_at) index bounds the scan.
 */
export function periodLinesSql(period: Period, settings: AnalyticsSettingsView): Sql {
  const bounds: string[] = [];
  const params: unknown[] = [settings.defaultFoodCostPct / 100, settings.timeZone, period.merchantId];
  if (period.from) {
    bounds.push(`and l.closed_at >= (?::date)::timestamp at time zone ?`);
    params.push(period.from, settings.timeZone);
  }
  if (period.to) {
    bounds.push(`and l.closed_at < (?::date + 1)::timestamp at time zone ?`);
    params.push(period.to, settings.timeZone);
  }
  const text = `
    select l.order_id, l.item_id, l.quantity,
           l.quantity * l.unit_price_cents as revenue,
           l.quantity * coalesce(l.unit_cost_cents, i.unit_cost_cents, l.unit_price_cents * ?::float8) as cost,
           l.closed_at at time zone ? as local
    from analytics_transactions l join analytics_items i on i.id = l.item_id
    where l.merchant_id = ? ${bounds.join(' ')}`;
  return { text, params };
}
