/**
 * The CSV shapes the transactions import accepts, told apart by their header (names are matched
 * trimmed, case-insensitively, a byte-order mark ignored):
 *
 * - `standard`: `order_id,timestamp,item,quantity,unit_price` and optionally `unit_cost`, `line_id`,
 *   `category`. Prices in major units (12.95). `timestamp` is ISO 8601; without an offset it is read in
 *   the merchant's time zone. A line's identity is `line_id`, else `<order_id>#<n>` (its rank within
 *   its order in the file), so importing the same file again replaces instead of adding.
 * - `maven`: the Maven Analytics restaurant export, `order_details_id,order_id,order_date,order_time,
 *   item_id`: order_details joined to the merchant's items by code (menu_items.menu_item_id loaded as
 *   items' `code`, item_name as `name`, category, price as `priceCents`); quantity 1, the item's list
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

export type HeaderCheck = { ok: true; shape: TransactionShape; columns: string[] } | { ok: false; message: string };

/** A header cell as matched: trimmed, lower-case, without a byte-order mark. */
export function normalizeColumn(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

/** Which shape a header is, or what is wrong with it (missing columns of the closest shape, unknown ones). */
export function readHeader(header: readonly string[]): HeaderCheck {
  const columns = header.map(normalizeColumn);
  const shape: TransactionShape = columns.includes('order_details_id') ? 'maven' : 'standard';
  const { required, optional } = TRANSACTION_SHAPES[shape];
  const allowed = new Set<string>([...required, ...optional]);
  const missing = required.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !allowed.has(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  const problems = [
    missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
    repeated.length ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length === 0) return { ok: true, shape, columns };
  return { ok: false, message: `Not a transactions CSV (${shape} shape: ${required.join(',')}[,${optional.join(',')}]): ${problems.join('; ')}` };
}
