import type { ProductForSale } from '../catalog/index.js';
import type { StockMove } from '../inventory/index.js';
import { AppError, type FieldError } from '../shared/app-error.js';

export interface RequestedLine {
  productId: string;
  quantity: number;
  addonIds: string[];
}

export interface PlannedLine {
  product: ProductForSale;
  quantity: number;
  addons: ProductForSale[];
}

export interface OrderPlan {
  lines: PlannedLine[];
  moves: StockMove[];
  totalCents: number;
  currency: string;
  merchantIds: string[];
}

/** Products of the plan that cap units per customer, with the cap and the first line that holds each. */
export function cappedProducts(plan: OrderPlan): Array<{ productId: string; cap: number; line: number }> {
  const capped = new Map<string, { productId: string; cap: number; line: number }>();
  plan.lines.forEach((l, line) => {
    for (const p of [l.product, ...l.addons]) {
      if (p.maxPerCustomer !== null && !capped.has(p.id)) capped.set(p.id, { productId: p.id, cap: p.maxPerCustomer, line });
    }
  });
  return [...capped.values()];
}

/** The lines as priced now, for a PRICE_CHANGED answer. */
export function currentLines(plan: OrderPlan) {
  const priced = (p: ProductForSale) => ({ productId: p.id, unitPriceCents: p.priceCents });
  return plan.lines.map((l) => ({ ...priced(l.product), quantity: l.quantity, addons: l.addons.map(priced) }));
}

/**
 * Turns requested lines into priced lines and per-product stock moves, with prices from the database.
 * Refuses unknown/inactive products, add-ons that do not belong to their dish, and mixed currencies.
 */
export function planOrder(requested: RequestedLine[], products: Map<string, ProductForSale>, addonLinks: Set<string>): OrderPlan {
  const errors: FieldError[] = [];
  const lines: PlannedLine[] = [];
  for (const [i, r] of requested.entries()) {
    const product = products.get(r.productId);
    if (!product?.active) {
      errors.push({ path: `items.${i}.productId`, message: 'Unknown or unavailable product' });
      continue;
    }
    if (product.kind === 'addon') {
      errors.push({ path: `items.${i}.productId`, message: 'An add-on is ordered with its dish' });
      continue;
    }
    const addons: ProductForSale[] = [];
    r.addonIds.forEach((addonId, j) => {
      const addon = products.get(addonId);
      const belongs = addon?.active && addon.kind === 'addon' && addonLinks.has(`${r.productId}:${addonId}`);
      if (!belongs) errors.push({ path: `items.${i}.addonIds.${j}`, message: 'Not an add-on of this dish' });
      else addons.push(addon);
    });
    lines.push({ product, quantity: r.quantity, addons });
  }
  if (errors.length) throw new AppError('VALIDATION', errors[0].message, { errors });

  const currencies = new Set(lines.flatMap((l) => [l.product.currency, ...l.addons.map((a) => a.currency)]));
  if (currencies.size > 1) throw AppError.validation([{ path: 'items', message: `Products are priced in several currencies (${[...currencies].join(', ')})` }]);

  const moves = new Map<string, number>();
  let totalCents = 0;
  for (const l of lines) {
    for (const p of [l.product, ...l.addons]) {
      moves.set(p.id, (moves.get(p.id) ?? 0) + l.quantity);
      totalCents += p.priceCents * l.quantity;
    }
  }
  return {
    lines,
    moves: [...moves].map(([productId, quantity]) => ({ productId, quantity })),
    totalCents,
    currency: [...currencies][0] ?? 'EUR',
    merchantIds: [...new Set(lines.flatMap((l) => [l.product.merchantId, ...l.addons.map((a) => a.merchantId)]))],
  };
}
