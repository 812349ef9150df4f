/**
 * Spreadsheet cells → the values the catalog's product schema validates. Each reader answers the
 * value, `undefined` for "not given" (an empty cell of a field that has no empty value), or a
 * CellError saying what is wrong with the cell.
 */
export class CellError extends Error {}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;
const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);
const minorUnits = new Map<string, number>();

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, BHD 3); 2 for codes Intl does not know. */
export function minorUnitsOf(currency: string): number {
  let digits = minorUnits.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnits.set(currency, digits);
  }
  return digits;
}

export function decimalCell(cell: string): number | undefined {
  const text = cell.trim();
  if (text === '') return undefined;
  if (!DECIMAL.test(text)) throw new CellError(`"${clip(text)}" is not a number (use a dot for decimals)`);
  return Number(text);
}

export function integerCell(cell: string): number | undefined {
  const text = cell.trim();
  if (text === '') return undefined;
  if (!INTEGER.test(text)) throw new CellError(`"${clip(text)}" is not a whole number`);
  return Number(text);
}

/** A price in major units ("12.50") as integer minor units of `currency` (1250). */
export function priceCell(cell: string, currency: string): number | undefined {
  const value = decimalCell(cell);
  if (value === undefined) return undefined;
  const digits = minorUnitsOf(currency);
  const decimals = cell.trim().split('.')[1]?.length ?? 0;
  if (decimals > digits) throw new CellError(`"${clip(cell.trim())}" has more decimals than ${currency} allows (${digits})`);
  return Math.round(value * 10 ** digits);
}

export function booleanCell(cell: string): boolean | undefined {
  const text = cell.trim().toLowerCase();
  if (text === '') return undefined;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new CellError(`"${clip(text)}" is not true/false (or yes/no, 1/0)`);
}

/** "vegan | gluten-free; halal" → ["vegan", "gluten-free", "halal"]. */
export function listCell(cell: string): string[] {
  return cell
    .split(/[|;,]/)
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

/** Trimmed text, or undefined when empty. */
export function optionalText(cell: string): string | undefined {
  const text = cell.trim();
  return text === '' ? undefined : text;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
