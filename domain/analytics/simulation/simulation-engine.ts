import type { SimulationResult } from '../analytics.schemas.js';
import { runRandom } from './prng.js';
import { baselineOutcomes, changedOutcomes, dayTotals, itemSums } from './scenario.js';
import type { SimulationHistory, SimulationPlan } from './simulation-model.js';

export interface SimulateOptions {
  runs: number;
  seed: number;
  /** Called at most every `progressEveryMs` while running, and once at the end. */
  onProgress?: (runsDone: number) => void;
  progressEveryMs?: number;
  now?: () => number;
}

interface Bootstrap {
  revenue: Float64Array;
  profit: Float64Array;
  /** How often each day was drawn over all runs. */
  picks: Float64Array;
}

const CHECK_EVERY_RUNS = 64;

/**
 * The Monte Carlo simulation: each run redraws the history's days with replacement within each weekday
 * (as many Mondays as the history had, from its Mondays, and so on: the weekday mix stays real and every
 * drawn day keeps its real baskets), replays them under the plan and sums revenue and profit. Returns
 * their 5th, 50th and 95th percentiles over the runs, the history's own totals as the baseline, and per
 * item the history and the mean over the runs. Deterministic for a seed.
 */
export function simulate(history: SimulationHistory, plan: SimulationPlan, options: SimulateOptions): SimulationResult {
  const changed = changedOutcomes(history, plan);
  const days = dayTotals(changed);
  const boot = bootstrap(history.dayWeekday, days, options);
  const baseline = baselineOutcomes(history);
  const baseDays = dayTotals(baseline);
  const base = itemSums(baseline, history.items.length, () => 1);
  const mean = itemSums(changed, history.items.length, (d) => boot.picks[d] / options.runs);
  return {
    days: history.dayWeekday.length,
    from: history.from,
    to: history.to,
    revenueCents: percentiles(boot.revenue),
    profitCents: percentiles(boot.profit),
    baseline: { revenueCents: Math.round(sum(baseDays.revenue)), profitCents: Math.round(sum(baseDays.profit)) },
    items: history.items.map((it, i) => ({
      item: it.name,
      category: it.category,
      baseline: { units: round3(base.units[i]), revenueCents: Math.round(base.revenue[i]), profitCents: Math.round(base.profit[i]) },
      simulated: { units: round3(mean.units[i]), revenueCents: Math.round(mean.revenue[i]), profitCents: Math.round(mean.profit[i]) },
    })),
  };
}

function bootstrap(weekdays: Uint8Array, days: { revenue: Float64Array; profit: Float64Array }, options: SimulateOptions): Bootstrap {
  const { runs, seed, onProgress, progressEveryMs = 200, now = Date.now } = options;
  const strata = [1, 2, 3, 4, 5, 6, 7].map((w) => Int32Array.from(Array.from(weekdays).flatMap((wd, d) => (wd === w ? [d] : []))));
  const boot: Bootstrap = { revenue: new Float64Array(runs), profit: new Float64Array(runs), picks: new Float64Array(weekdays.length) };
  let reported = now();
  for (let r = 0; r < runs; r++) {
    const random = runRandom(seed, r);
    let revenue = 0;
    let profit = 0;
    for (const stratum of strata) {
      for (let k = 0; k < stratum.length; k++) {
        const d = stratum[(random() * stratum.length) | 0];
        revenue += days.revenue[d];
        profit += days.profit[d];
        boot.picks[d] += 1;
      }
    }
    boot.revenue[r] = revenue;
    boot.profit[r] = profit;
    if (onProgress && r % CHECK_EVERY_RUNS === CHECK_EVERY_RUNS - 1) {
      const at = now();
      if (at - reported >= progressEveryMs) {
        reported = at;
        onProgress(r + 1);
      }
    }
  }
  onProgress?.(runs);
  return boot;
}

/** p5, p50 and p95 (linear interpolation between order statistics), in whole cents. */
export function percentiles(values: Float64Array): { p5: number; p50: number; p95: number } {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => {
    const position = (sorted.length - 1) * q;
    const low = Math.floor(position);
    const high = Math.min(sorted.length - 1, low + 1);
    return Math.round(sorted[low] + (sorted[high] - sorted[low]) * (position - low));
  };
  return { p5: at(0.05), p50: at(0.5), p95: at(0.95) };
}

const sum = (values: Float64Array) => values.reduce((s, v) => s + v, 0);
const round3 = (n: number) => Math.round(n * 1000) / 1000;
