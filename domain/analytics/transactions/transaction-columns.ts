import type { ColumnSchema } from '../../imports/index.js';

/**
 * The CSV shapes the transactions import accepts, told apart by their header (names are matched
 * trimmed, case-insensitively, a byte-order mark ignored):
 *
 * - `standard`: `order_id,timestamp,item,quantity,unit_price` and optionally `unit_cost`, `line_id`,
 *   `category`. Prices in major units (12.95). `timestamp` is ISO 8601; without an offset it is read in
 *   the merchant's time zone. A line's identity is `line_id`, else `<order_id>#<n>` (its rank within
 *   its order in the file), so importing the same file again replaces instead of adding.
 * - `maven`: the Maven Analytics restaurant export, `order_details_id,order_id,order_date,order_time,
 *   item_id`: order_details joined to the merchant's items by code when each batch is written
 *   (menu_items.menu_item_id loaded as items' `code`, item_name as `name`, category, price as
 *   `priceCents`; a code without a priced item is rejected naming it); quantity 1, the item's list
 *   price; order_date day first (31/03/2023), order_time 12-hour (6:41:01 PM), both in the merchant's
 *   time zone; identity `order_details_id`. A file already joined (with `item_name` and `price`, and
 *   optionally `category`) needs no items beforehand. Lines without an item are rejected with a reason.
 */
export const TRANSACTION_SHAPES = {
  standard: {
    required: ['order_id', 'timestamp', 'item', 'quantity', 'unit_price'],
    optional: ['unit_cost', 'line_id', 'category'],
  },
  maven: {
    required: ['order_details_id', 'order_id', 'order_date', 'order_time', 'item_id'],
    optional: ['item_name', 'category', 'price', 'menu_item_id'],
  },
} as const;

export type TransactionShape = keyof typeof TRANSACTION_SHAPES;

/** A file is of the Maven shape when it has Maven's line id, else of the standard shape. */
export function shapeOf(present: ReadonlySet<string>): TransactionShape {
  return present.has('order_details_id') ? 'maven' : 'standard';
}

/**
 * The columns of the `transactions` import type (names normalised by the pipeline: trimmed, lower
 * snake case, a byte-order mark dropped): the union of both shapes; a header must be one shape, whole.
 */
export const TRANSACTION_COLUMNS: ColumnSchema = {
  known: [...new Set(Object.values(TRANSACTION_SHAPES).flatMap((s) => [...s.required, ...s.optional]))],
  aliases: {},
  required: [],
  check(present) {
    const shape = shapeOf(present);
    const { required, optional } = TRANSACTION_SHAPES[shape];
    const allowed = new Set<string>([...required, ...optional]);
    const expected = `${required.join(',')}[,${optional.join(',')}]`;
    return [
      ...required
        .filter((c) => !present.has(c))
        .map((c) => ({ path: `header.${c}`, message: `required column "${c}" is missing (${shape} shape: ${expected})` })),
      ...[...present]
        .filter((c) => !allowed.has(c))
        .map((c) => ({ path: `header.${c}`, message: `column "${c}" does not belong to the ${shape} shape (${expected})` })),
    ];
  },
};
