import type { SimulationHistory, SimulationPlan } from './simulation-model.js';

/** Per-day, per-item outcomes (same layout as the history's entries): units, revenue and profit in cents. */
export interface DayOutcomes {
  dayStart: Int32Array;
  item: Int32Array;
  units: Float64Array;
  revenue: Float64Array;
  profit: Float64Array;
}

interface Substitute {
  item: number;
  weight: number;
  unitPrice: number;
  unitCost: number;
}

/** The history as it happened, as outcomes. */
export function baselineOutcomes(h: SimulationHistory): DayOutcomes {
  const profit = h.entryRevenue.map((r, e) => r - h.entryCost[e]);
  return { dayStart: h.dayStart, item: h.entryItem, units: h.entryUnits, revenue: h.entryRevenue, profit };
}

/**
 * Each historical day replayed under the plan: a kept item sells units × demandFactor at price ×
 * priceFactor (cost per unit unchanged); a removed item sells nothing and `substitution` of its units go
 * to the remaining items of its category, shared by their units over the whole history, at their average
 * (changed) price and average cost.
 */
export function changedOutcomes(h: SimulationHistory, plan: SimulationPlan): DayOutcomes {
  const subs = substitutes(h, plan);
  const out = { dayStart: new Int32Array(h.dayStart.length), item: [] as number[], units: [] as number[], revenue: [] as number[], profit: [] as number[] };
  const push = (item: number, units: number, revenue: number, profit: number) => {
    out.item.push(item);
    out.units.push(units);
    out.revenue.push(revenue);
    out.profit.push(profit);
  };
  for (let d = 0; d + 1 < h.dayStart.length; d++) {
    out.dayStart[d] = out.item.length;
    for (let e = h.dayStart[d]; e < h.dayStart[d + 1]; e++) {
      const i = h.entryItem[e];
      const k = plan.demandFactor[i];
      const revenue = h.entryRevenue[e] * plan.priceFactor[i] * k;
      if (!plan.removed[i]) push(i, h.entryUnits[e] * k, revenue, revenue - h.entryCost[e] * k);
      for (const s of subs[i] ?? []) {
        const units = plan.substitution * h.entryUnits[e] * s.weight;
        push(s.item, units, units * s.unitPrice, units * (s.unitPrice - s.unitCost));
      }
    }
  }
  out.dayStart[h.dayStart.length - 1] = out.item.length;
  return {
    dayStart: out.dayStart,
    item: Int32Array.from(out.item),
    units: Float64Array.from(out.units),
    revenue: Float64Array.from(out.revenue),
    profit: Float64Array.from(out.profit),
  };
}

/** For each removed item: the remaining items of its category with sales, weighted by their units. */
function substitutes(h: SimulationHistory, plan: SimulationPlan): Array<Substitute[] | undefined> {
  const n = h.items.length;
  const units = new Float64Array(n);
  const revenue = new Float64Array(n);
  const cost = new Float64Array(n);
  for (let e = 0; e < h.entryItem.length; e++) {
    units[h.entryItem[e]] += h.entryUnits[e];
    revenue[h.entryItem[e]] += h.entryRevenue[e];
    cost[h.entryItem[e]] += h.entryCost[e];
  }
  const result: Array<Substitute[] | undefined> = new Array(n);
  for (let r = 0; r < n; r++) {
    const category = h.items[r].category;
    if (!plan.removed[r] || category === null) continue;
    const targets = h.items.map((_, t) => t).filter((t) => h.items[t].category === category && !plan.removed[t] && units[t] > 0);
    const total = targets.reduce((sum, t) => sum + units[t], 0);
    result[r] = targets.map((t) => ({
      item: t,
      weight: units[t] / total,
      unitPrice: (revenue[t] / units[t]) * plan.priceFactor[t],
      unitCost: cost[t] / units[t],
    }));
  }
  return result;
}

/** Sum of revenue and of profit of each day. */
export function dayTotals(o: DayOutcomes): { revenue: Float64Array; profit: Float64Array } {
  const days = o.dayStart.length - 1;
  const revenue = new Float64Array(days);
  const profit = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    for (let e = o.dayStart[d]; e < o.dayStart[d + 1]; e++) {
      revenue[d] += o.revenue[e];
      profit[d] += o.profit[e];
    }
  }
  return { revenue, profit };
}

/** Per item: Σ over days of weight[d] × the day's outcome (weights 1 = the history itself; pick frequencies = the runs' mean). */
export function itemSums(o: DayOutcomes, items: number, weight: (day: number) => number): { units: Float64Array; revenue: Float64Array; profit: Float64Array } {
  const units = new Float64Array(items);
  const revenue = new Float64Array(items);
  const profit = new Float64Array(items);
  for (let d = 0; d + 1 < o.dayStart.length; d++) {
    const w = weight(d);
    for (let e = o.dayStart[d]; e < o.dayStart[d + 1]; e++) {
      units[o.item[e]] += w * o.units[e];
      revenue[o.item[e]] += w * o.revenue[e];
      profit[o.item[e]] += w * o.profit[e];
    }
  }
  return { units, revenue, profit };
}
