import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserDirectory } from '../identity/index.js';
import { AppError } from '../shared/app-error.js';
import { dailyLimits } from './daily-limits.js';
import { MAX_SUMMARY_DAYS, type DailyLimitView, type DaySummary, type NutritionView, type SummaryQuery, type SummaryView } from './diary.schemas.js';
import { sumNutrition } from './nutrition.js';

interface TotalsRow {
  date: string;
  totals: NutritionView;
}

const DAY_MS = 24 * 3600_000;

/** A day's totals (or a range of days for charts) against the user's daily limits, with a warning per limit passed. */
export class DiarySummary {
  constructor(
    private readonly em: EntityManager,
    private readonly users: Pick<UserDirectory, 'healthProfile'>,
  ) {}

  async summarize(userId: string, query: SummaryQuery): Promise<SummaryView> {
    const [from, to] = query.date ? [query.date, query.date] : [query.from!, query.to!];
    const days = daysBetween(from, to);
    const [rows, profile] = await Promise.all([
      this.em.execute<TotalsRow[]>(
        `select to_char(date, 'YYYY-MM-DD') as date, totals from diary_entries where user_id = ? and deleted_at is null and date between ? and ?`,
        [userId, from, to],
      ),
      this.users.healthProfile(userId),
    ]);
    const limits = dailyLimits(profile);
    const summaries = days.map((day) =>
      summarizeDay(
        day,
        rows.filter((r) => r.date === day).map((r) => r.totals),
        limits,
      ),
    );
    return query.date ? { ...summaries[0], limits } : { from, to, days: summaries, limits };
  }
}

function summarizeDay(date: string, entryTotals: NutritionView[], limits: DailyLimitView[]): DaySummary {
  const sum = sumNutrition(entryTotals);
  const starch = sum.carbohydrate === null ? null : Math.max(0, Math.round((sum.carbohydrate - (sum.sugars ?? 0)) * 1000) / 1000);
  const totals = { ...sum, starch };
  const warnings = limits.flatMap((l) => {
    const value = totals[l.nutrient as keyof typeof totals];
    return value !== null && value > l.limit ? [{ nutrient: l.nutrient, value, limit: l.limit, unit: l.unit, source: l.source }] : [];
  });
  return { date, entries: entryTotals.length, totals, warnings };
}

/** Every day from `from` to `to` inclusive (UTC calendar days), refusing reversed or over-long ranges. */
function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const count = Math.round((end - start) / DAY_MS) + 1;
  if (count < 1) throw AppError.validation([{ path: 'to', message: 'to must not be before from' }]);
  if (count > MAX_SUMMARY_DAYS) throw AppError.validation([{ path: 'to', message: `A summary covers at most ${MAX_SUMMARY_DAYS} days` }]);
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}
