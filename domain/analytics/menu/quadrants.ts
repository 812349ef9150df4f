import type { MenuAnalysis, Quadrant } from '../analytics.schemas.js';
import type { ItemSalesRow } from '../period-sql.js';

type ItemAnalysis = MenuAnalysis['items'][number];

/** Kasavana–Smith's popularity cut-off: an item is popular from 70 % of an equal share of the units. */
const POPULARITY_FACTOR = 0.7;

/**
 * Menu engineering after Kasavana and Smith: among the items with units sold, an item is popular when
 * its share of units reaches 70 % of 1/N, and profitable when its unit contribution margin reaches the
 * sales-weighted average (total margin / total units). Star = both, plowhorse = popular only, puzzle =
 * profitable only, dog = neither. Items with no net units (only returns) get no quadrant.
 */
export function engineerMenu(rows: readonly ItemSalesRow[]): { items: ItemAnalysis[]; thresholds: MenuAnalysis['thresholds'] } {
  const sold = rows.filter((r) => r.units > 0);
  const units = sold.reduce((s, r) => s + r.units, 0);
  const margin = sold.reduce((s, r) => s + (r.revenue - r.cost), 0);
  const popularity = sold.length ? POPULARITY_FACTOR / sold.length : 0;
  const unitMarginCents = units > 0 ? margin / units : 0;
  const items = rows
    .map((r): ItemAnalysis => {
      const share = units > 0 ? r.units / units : 0;
      const unitMargin = r.units !== 0 ? (r.revenue - r.cost) / r.units : 0;
      return {
        item: r.name,
        category: r.category,
        units: round3(r.units),
        revenueCents: Math.round(r.revenue),
        costCents: Math.round(r.cost),
        marginCents: Math.round(r.revenue - r.cost),
        unitMarginCents: round3(unitMargin),
        popularity: round6(share),
        quadrant: r.units > 0 ? quadrant(share >= popularity, unitMargin >= unitMarginCents) : null,
      };
    })
    .sort((a, b) => b.revenueCents - a.revenueCents || a.item.localeCompare(b.item));
  return { items, thresholds: { popularity: round6(popularity), unitMarginCents: round3(unitMarginCents) } };
}

function quadrant(popular: boolean, profitable: boolean): Quadrant {
  if (popular) return profitable ? 'star' : 'plowhorse';
  return profitable ? 'puzzle' : 'dog';
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
