import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { AnalyticsSettingsStore } from '../analytics-settings.js';
import type { AnalyticsSettingsView, MenuAnalysis, MenuQuery } from '../analytics.schemas.js';
import type { Sql } from '../../shared/sql.js';
import type { ItemSalesRow } from '../period-sql.js';
import type { DayItemRollup } from './day-rollup.js';
import type { MenuCache } from './menu-cache.js';
import { itemTotalsFromRollupSql, pairsFromRollupSql, timeBucketsFromRollupSql, type PairRow, type TimeBucketRow } from './menu-sql.js';
import { engineerMenu } from './quadrants.js';

/**
 * GET /analytics/menu: menu engineering for a period, computed by SQL aggregates over the daily rollups
 * (refreshed first; items, hours and weekdays, pairs: three queries on three connections at once) and cached until the merchant's
 * transactions or settings change.
 */
export class MenuAnalysisService {
  constructor(
    private readonly em: EntityManager,
    private readonly settings: AnalyticsSettingsStore,
    private readonly cache: MenuCache,
    private readonly rollup: DayItemRollup,
    private readonly log: Logger,
  ) {}

  async analyse(merchantId: string, query: MenuQuery): Promise<MenuAnalysis> {
    const field = `${query.from ?? ''}|${query.to ?? ''}|${query.minSupport}`;
    const hit = await this.cache.get(merchantId, field).catch((err) => this.cacheDown(err));
    if (hit) return JSON.parse(hit) as MenuAnalysis;
    const generation = await this.cache.generation(merchantId).catch((err) => this.cacheDown(err));
    const analysis = await this.compute(merchantId, query);
    if (generation !== null) await this.cache.put(merchantId, field, generation, JSON.stringify(analysis)).catch((err) => this.cacheDown(err));
    return analysis;
  }

  /** The analysis straight from PostgreSQL (no cache). */
  async compute(merchantId: string, query: MenuQuery): Promise<MenuAnalysis> {
    const settings = await this.settings.get(merchantId);
    const period = { merchantId, from: query.from, to: query.to };
    await this.rollup.refresh(merchantId, settings.timeZone);
    const [items, buckets, pairs] = await Promise.all([
      this.rows<ItemSalesRow>(itemTotalsFromRollupSql(period, settings.defaultFoodCostPct)),
      this.rows<TimeBucketRow>(timeBucketsFromRollupSql(period)),
      this.rows<PairRow>(pairsFromRollupSql(period, query.minSupport)),
    ]);
    return assemble(query, settings, items, buckets, pairs);
  }

  private rows<T>(sql: Sql): Promise<T[]> {
    return this.em.fork().execute<T[]>(sql.text, [...sql.params]);
  }

  /** Without Redis the analysis is still answered, only uncached. */
  private cacheDown(err: unknown): null {
    this.log.warn({ err }, 'menu analysis cache unavailable');
    return null;
  }
}

function assemble(query: MenuQuery, settings: AnalyticsSettingsView, items: ItemSalesRow[], buckets: TimeBucketRow[], pairs: PairRow[]): MenuAnalysis {
  const { items: analysed, thresholds } = engineerMenu(items);
  const empty = { orders: 0, units: 0, revenueCents: 0 };
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, ...empty }));
  const byWeekday = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, ...empty }));
  for (const b of buckets) {
    const sales = { orders: b.orders, units: Math.round(b.units * 1000) / 1000, revenueCents: Math.round(b.revenue) };
    if (b.hour !== null) byHour[b.hour] = { hour: b.hour, ...sales };
    if (b.weekday !== null) byWeekday[b.weekday - 1] = { weekday: b.weekday, ...sales };
  }
  const revenueCents = analysed.reduce((s, i) => s + i.revenueCents, 0);
  const costCents = analysed.reduce((s, i) => s + i.costCents, 0);
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    timeZone: settings.timeZone,
    totals: {
      orders: byHour.reduce((s, h) => s + h.orders, 0),
      units: Math.round(items.reduce((s, i) => s + i.units, 0) * 1000) / 1000,
      revenueCents,
      costCents,
      marginCents: revenueCents - costCents,
    },
    thresholds,
    items: analysed,
    byHour,
    byWeekday,
    pairs: pairs.map(pairView),
  };
}

/** A pair row as the analysis shows it (ratios to six decimals). */
export function pairView(p: PairRow): MenuAnalysis['pairs'][number] {
  return {
    a: p.a,
    b: p.b,
    orders: p.orders,
    support: round6(p.support),
    confidence: round6(p.confidence),
    confidenceBA: round6(p.confidence_ba),
    lift: round6(p.lift),
  };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
