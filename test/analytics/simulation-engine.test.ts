import { buildPlan, type SimulationHistory } from '../../domain/analytics/simulation/simulation-model.js';
import { percentiles, simulate } from '../../domain/analytics/simulation/simulation-engine.js';

/** Four weeks of two items: a Monday is worth 100, every other day 10 (revenue in cents, no cost). */
function fourWeeks(): SimulationHistory {
  const days = 28;
  const weekday = (d: number) => (d % 7) + 1;
  return {
    from: '2024-01-01',
    to: '2024-01-28',
    items: [
      { name: 'Soup', category: 'Starters' },
      { name: 'Salad', category: 'Starters' },
    ],
    dayWeekday: Uint8Array.from({ length: days }, (_, d) => weekday(d)),
    dayStart: Int32Array.from({ length: days + 1 }, (_, d) => d * 2),
    entryItem: Int32Array.from({ length: days * 2 }, (_, e) => e % 2),
    entryUnits: Float64Array.from({ length: days * 2 }, () => 1),
    entryRevenue: Float64Array.from({ length: days * 2 }, (_, e) => (weekday(Math.floor(e / 2)) === 1 ? 50 : 5)),
    entryCost: new Float64Array(days * 2),
  };
}

describe('the simulation engine', () => {
  const history = fourWeeks();
  const noChange = buildPlan(history.items, [], -1, 0.5);

  test('When days are resampled within their weekday, then every run keeps four Mondays: with no change every run equals the history', () => {
    const result = simulate(history, noChange, { runs: 300, seed: 1 });
    // Mondays are alike and so are the other days, so weekday strata leave nothing to vary.
    expect(result.revenueCents).toEqual({ p5: 4 * 100 + 24 * 10, p50: 640, p95: 640 });
    expect(result.baseline).toEqual({ revenueCents: 640, profitCents: 640 });
  });

  test('When an item is removed, then the substitution share of its units goes to its category and its own sales stop', () => {
    const result = simulate(history, buildPlan(history.items, [{ item: 'Soup', remove: true }], -1, 0.25), { runs: 100, seed: 2 });
    const [soup, salad] = result.items;
    expect(soup.simulated.units).toBe(0);
    expect(salad.simulated.units).toBeCloseTo(28 + 0.25 * 28, 6);
  });

  test('When progress is reported, then it comes at most every 200 ms of the clock, at least that often once due, and always at the end', () => {
    let clock = 0;
    const calls: Array<{ at: number; runsDone: number }> = [];
    const now = () => (clock += 10); // the clock is read every 64 runs; each read is 10 ms later
    simulate(history, noChange, { runs: 20_000, seed: 3, now, onProgress: (runsDone) => calls.push({ at: clock, runsDone }) });
    const gaps = calls.slice(1, -1).map((c, i) => c.at - calls[i].at);
    expect(calls.length).toBeGreaterThan(3);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(210); // the first check after it is due reports
    expect(calls[calls.length - 1].runsDone).toBe(20_000);
  });

  test('When percentiles are taken, then they interpolate between order statistics', () => {
    expect(percentiles(Float64Array.from({ length: 101 }, (_, i) => i * 10))).toEqual({ p5: 50, p50: 500, p95: 950 });
  });
});
