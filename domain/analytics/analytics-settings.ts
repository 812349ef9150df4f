import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../shared/clock.js';
import type { UnitOfWork } from '../shared/unit-of-work.js';
import { AnalyticsSettings } from './analytics-settings.entity.js';
import type { AnalyticsSettingsView } from './analytics.schemas.js';

export const DEFAULT_SETTINGS: AnalyticsSettingsView = { timeZone: 'UTC', defaultFoodCostPct: 30 };

/**
 * A merchant's analytics settings, one row per merchant created on first write (reads of a merchant
 * without one get the defaults: UTC and a 30 % food cost). The time zone decides the hours and weekdays
 * of analyses and how CSV timestamps without an offset are read; lines already stored keep their instant.
 */
export class AnalyticsSettingsStore {
  constructor(
    private readonly em: EntityManager,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async get(merchantId: string, em: EntityManager = this.em): Promise<AnalyticsSettingsView> {
    const [row] = await em.execute<Array<{ time_zone: string; food_cost_pct: string }>>(
      `select time_zone, food_cost_pct from analytics_settings where merchant_id = ?`,
      [merchantId],
    );
    return row ? { timeZone: row.time_zone, defaultFoodCostPct: Number(row.food_cost_pct) } : { ...DEFAULT_SETTINGS };
  }

  /** Sets the fields given; analyses cached for the merchant are dropped. */
  async put(merchantId: string, input: { timeZone?: string; defaultFoodCostPct?: number }): Promise<AnalyticsSettingsView> {
    return this.uow.run(async (tx, emit) => {
      const row =
        (await tx.findOne(AnalyticsSettings, { merchantId })) ??
        tx.create(AnalyticsSettings, {
          merchantId,
          timeZone: DEFAULT_SETTINGS.timeZone,
          foodCostPct: DEFAULT_SETTINGS.defaultFoodCostPct,
          updatedAt: this.clock.now(),
        });
      if (input.timeZone !== undefined) row.timeZone = input.timeZone;
      if (input.defaultFoodCostPct !== undefined) row.foodCostPct = input.defaultFoodCostPct;
      row.updatedAt = this.clock.now();
      await tx.flush();
      emit('analytics.settings_changed', { merchantId });
      return toView(row);
    });
  }
}

function toView(row: AnalyticsSettings): AnalyticsSettingsView {
  return { timeZone: row.timeZone, defaultFoodCostPct: Number(row.foodCostPct) };
}
