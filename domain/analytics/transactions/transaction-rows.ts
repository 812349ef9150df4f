import { parseClockTime, parseDayFirstDate, parseMoneyCents, parseQuantity, parseTimestamp, type Parsed } from './csv-values.js';
import type { TransactionShape } from './transaction-columns.js';

/** A POS modifier folded into a line's unit price (kept for reference). */
export interface LineModifier {
  name: string;
  priceCents: number;
  quantity: number;
}

/** One valid transaction line, as staged. Exactly one of `closedAt` (an instant) or `closedLocal` (wall-clock time) is set. */
export interface TransactionRecord {
  sourceLineId: string;
  orderId: string;
  closedAt: string | null;
  closedLocal: string | null;
  item: string;
  category: string | null;
  quantity: number;
  unitPriceCents: number;
  unitCostCents: number | null;
  modifiers: LineModifier[] | null;
}

/**
 * One valid line of a CSV file, as staged. A Maven line that gives only its `item_id` names its item by
 * `itemCode` (item and price null): the merchant's items resolve it when the line is written.
 */
export interface ImportedLine extends Omit<TransactionRecord, 'item' | 'unitPriceCents' | 'modifiers'> {
  item: string | null;
  itemCode: string | null;
  unitPriceCents: number | null;
}

/** A CSV row keyed by normalized column name (see transaction-columns.ts). */
export type CsvRow = Readonly<Record<string, string | undefined>>;
export type RowOutcome = { ok: true; record: ImportedLine } | { ok: false; reason: string };

const MAX_TEXT = 200;
const MISSING = new Set(['', 'null', 'NULL', 'NA', 'N/A']);

/** Validates the rows of one file, in file order; keeps the per-order line counter that names lines without a line_id. */
export interface TransactionRowValidator {
  validate(row: CsvRow): RowOutcome;
  /** The row's key for the error report (line id, order details id, or order id). */
  keyOf(row: CsvRow): string;
}

/** The validator for a file of `shape`. */
export function rowValidator(shape: TransactionShape): TransactionRowValidator {
  return shape === 'maven' ? new MavenRows() : new StandardRows();
}

class StandardRows implements TransactionRowValidator {
  private readonly linesPerOrder = new Map<string, number>();
  /** An order's lines share their timestamp: the last one read is kept. */
  private readonly timestamps = new LastValue(parseTimestamp);

  keyOf(row: CsvRow): string {
    return cell(row, 'line_id') || cell(row, 'order_id');
  }

  validate(row: CsvRow): RowOutcome {
    const orderId = cell(row, 'order_id');
    const item = cell(row, 'item');
    if (!orderId) return reject('order_id: missing');
    if (item === '') return reject('item: missing (a line without an item sells nothing)');
    const tooLong = longest(row, ['order_id', 'item', 'line_id', 'category']);
    if (tooLong) return reject(`${tooLong}: longer than ${MAX_TEXT} characters`);
    const at = field('timestamp', this.timestamps.of(cell(row, 'timestamp')));
    const quantity = field('quantity', parseQuantity(cell(row, 'quantity')));
    const price = field('unit_price', parseMoneyCents(cell(row, 'unit_price')));
    const cost = cell(row, 'unit_cost') ? field('unit_cost', parseMoneyCents(cell(row, 'unit_cost'))) : ok(null);
    const problem = firstProblem([at, quantity, price, cost]);
    if (problem || !at.ok || !quantity.ok || !price.ok || !cost.ok) return reject(problem ?? 'invalid row');
    return accept({
      sourceLineId: cell(row, 'line_id') || this.nextLineId(orderId),
      orderId,
      closedAt: at.value.instant,
      closedLocal: at.value.local,
      item,
      itemCode: null,
      category: cell(row, 'category') || null,
      quantity: quantity.value,
      unitPriceCents: price.value,
      unitCostCents: cost.value,
    });
  }

  private nextLineId(orderId: string): string {
    const n = (this.linesPerOrder.get(orderId) ?? 0) + 1;
    this.linesPerOrder.set(orderId, n);
    return `${orderId}#${n}`;
  }
}

class MavenRows implements TransactionRowValidator {
  private readonly dates = new LastValue(parseDayFirstDate);
  private readonly times = new LastValue(parseClockTime);
  keyOf(row: CsvRow): string {
    return cell(row, 'order_details_id');
  }

  validate(row: CsvRow): RowOutcome {
    const lineId = cell(row, 'order_details_id');
    const orderId = cell(row, 'order_id');
    if (!lineId) return reject('order_details_id: missing');
    if (!orderId) return reject('order_id: missing');
    const tooLong = longest(row, ['order_details_id', 'order_id', 'item_id', 'item_name', 'category']);
    if (tooLong) return reject(`${tooLong}: longer than ${MAX_TEXT} characters`);
    const date = field('order_date', this.dates.of(cell(row, 'order_date')));
    const time = field('order_time', this.times.of(cell(row, 'order_time')));
    const item = this.item(row);
    const problem = firstProblem([date, time, item]);
    if (problem || !date.ok || !time.ok || !item.ok) return reject(problem ?? 'invalid row');
    return accept({
      sourceLineId: lineId,
      orderId,
      closedAt: null,
      closedLocal: `${date.value} ${time.value}`,
      ...item.value,
      category: cell(row, 'category') || null,
      quantity: 1,
      unitCostCents: null,
    });
  }

  /** The line's item: from the row when it is already joined (item_name, price), else its code, resolved when written. */
  private item(row: CsvRow): Parsed<Pick<ImportedLine, 'item' | 'itemCode' | 'unitPriceCents'>> {
    const code = cell(row, 'item_id');
    if (code === '') return { ok: false, problem: 'item_id: missing (the line names no menu item)' };
    const name = cell(row, 'item_name');
    if (!name) return ok({ item: null, itemCode: code, unitPriceCents: null });
    const price = field('price', parseMoneyCents(cell(row, 'price')));
    return price.ok ? ok({ item: name, itemCode: null, unitPriceCents: price.value }) : price;
  }
}

/** A parser that remembers its last input: consecutive lines of an order repeat their time. */
class LastValue<T> {
  private text: string | undefined;
  private value!: Parsed<T>;

  constructor(private readonly parse: (text: string) => Parsed<T>) {}

  of(text: string): Parsed<T> {
    if (text !== this.text) {
      this.text = text;
      this.value = this.parse(text);
    }
    return this.value;
  }
}

/** A cell trimmed; the usual spellings of "no value" read as empty. */
function cell(row: CsvRow, column: string): string {
  const value = row[column]?.trim() ?? '';
  return MISSING.has(value) ? '' : value;
}

function longest(row: CsvRow, columns: string[]): string | undefined {
  return columns.find((c) => (row[c]?.length ?? 0) > MAX_TEXT);
}

function field<T>(column: string, parsed: Parsed<T>): Parsed<T> {
  return parsed.ok ? parsed : { ok: false, problem: `${column}: ${parsed.problem}` };
}

function firstProblem(values: Array<Parsed<unknown>>): string | undefined {
  for (const v of values) if (!v.ok) return v.problem;
  return undefined;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const accept = (record: ImportedLine): RowOutcome => ({ ok: true, record });
const reject = (reason: string): RowOutcome => ({ ok: false, reason });
