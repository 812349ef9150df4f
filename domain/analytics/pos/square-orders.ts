import { z } from 'zod';
import type { LineModifier, TransactionRecord } from '../transactions/transaction-rows.js';

const Money = z.looseObject({ amount: z.number().int(), currency: z.string().optional() });
const Modifier = z.looseObject({
  uid: z.string().optional(),
  name: z.string().optional(),
  base_price_money: Money.optional(),
  quantity: z.string().optional(),
});
const LineItem = z.looseObject({
  uid: z.string().optional(),
  name: z.string().optional(),
  quantity: z.string(),
  catalog_object_id: z.string().optional(),
  base_price_money: Money.optional(),
  modifiers: z.array(Modifier).optional(),
});
const ReturnLineItem = LineItem.extend({ return_modifiers: z.array(Modifier).optional() });
const SquareOrder = z.looseObject({
  id: z.string().min(1),
  closed_at: z.iso.datetime({ offset: true }),
  line_items: z.array(LineItem).optional(),
  returns: z.array(z.looseObject({ uid: z.string().optional(), return_line_items: z.array(ReturnLineItem).optional() })).optional(),
});
/** What the sync reads of a SearchOrders answer (Square sends much more). */
export const SearchOrdersResponse = z.looseObject({ orders: z.array(SquareOrder).optional(), cursor: z.string().min(1).optional() });
export type SearchOrdersResponse = z.output<typeof SearchOrdersResponse>;
type SquareOrder = z.output<typeof SquareOrder>;
type LineItem = z.output<typeof LineItem>;

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Square orders as transaction lines. A sale line is `<order id>:<line uid>`; its unit price is the
 * base price plus its modifiers (each `base_price_money × quantity`), the modifiers kept for reference.
 * Returns (itemized or custom-amount refunds, which Square records as return orders) are negative lines
 * `<order id>:return:<uid>`. Lines with a zero or unreadable quantity are skipped.
 */
export function squareOrderLines(orders: readonly SquareOrder[]): TransactionRecord[] {
  return orders
    .flatMap((order) => [
      ...(order.line_items ?? []).map((li, i) => toLine(order, li, li.uid ?? String(i), 1, li.modifiers)),
      ...(order.returns ?? []).flatMap((ret, r) =>
        (ret.return_line_items ?? []).map((li, i) => toLine(order, li, `return:${li.uid ?? `${r}.${i}`}`, -1, li.return_modifiers)),
      ),
    ])
    .filter((line): line is TransactionRecord => line !== null);
}

function toLine(order: SquareOrder, li: LineItem, uid: string, sign: 1 | -1, modifiers: LineItem['modifiers']): TransactionRecord | null {
  if (!DECIMAL.test(li.quantity) || Number(li.quantity) === 0) return null;
  const mods: LineModifier[] = (modifiers ?? []).map((m) => ({
    name: m.name ?? 'Modifier',
    priceCents: m.base_price_money?.amount ?? 0,
    quantity: m.quantity && DECIMAL.test(m.quantity) ? Number(m.quantity) : 1,
  }));
  return {
    sourceLineId: `${order.id}:${uid}`,
    orderId: order.id,
    closedAt: order.closed_at,
    closedLocal: null,
    item: (li.name?.trim() || 'Custom amount').slice(0, 200),
    category: null,
    quantity: sign * Math.abs(Number(li.quantity)),
    unitPriceCents: Math.max(0, Math.round((li.base_price_money?.amount ?? 0) + mods.reduce((sum, m) => sum + m.priceCents * m.quantity, 0))),
    unitCostCents: null,
    modifiers: mods.length ? mods : null,
  };
}
