/**
 * The history a simulation resamples, as flat typed arrays (cheap to hand to a worker thread): per day
 * with sales, its ISO weekday and a slice `dayStart[d] .. dayStart[d + 1]` of per-item entries (units,
 * revenue and cost in cents that day).
 */
export interface SimulationHistory {
  from: string;
  to: string;
  items: Array<{ name: string; category: string | null }>;
  dayWeekday: Uint8Array;
  dayStart: Int32Array;
  entryItem: Int32Array;
  entryUnits: Float64Array;
  entryRevenue: Float64Array;
  entryCost: Float64Array;
}

/** The menu changes per item (index as in `history.items`). */
export interface SimulationPlan {
  /** New price / old price. */
  priceFactor: Float64Array;
  /** Units sold at the new price / units sold before: priceFactor ^ elasticity. */
  demandFactor: Float64Array;
  /** 1 when the item is taken off the menu. */
  removed: Uint8Array;
  /** Share of a removed item's units that move to the remaining items of its category. */
  substitution: number;
}

/** Builds the plan from the request's changes (items named in `changes` exist in `items`). */
export function buildPlan(
  items: SimulationHistory['items'],
  changes: ReadonlyArray<{ item: string; priceChangePct?: number; remove?: boolean; elasticity?: number }>,
  elasticity: number,
  substitution: number,
): SimulationPlan {
  const index = new Map(items.map((it, i) => [it.name, i]));
  const plan: SimulationPlan = {
    priceFactor: new Float64Array(items.length).fill(1),
    demandFactor: new Float64Array(items.length).fill(1),
    removed: new Uint8Array(items.length),
    substitution,
  };
  for (const change of changes) {
    const i = index.get(change.item);
    if (i === undefined) continue; // no sales in the period: nothing to change
    if (change.remove) {
      plan.removed[i] = 1;
      plan.demandFactor[i] = 0;
    } else if (change.priceChangePct !== undefined) {
      plan.priceFactor[i] = 1 + change.priceChangePct / 100;
      plan.demandFactor[i] = plan.priceFactor[i] ** (change.elasticity ?? elasticity);
    }
  }
  return plan;
}
