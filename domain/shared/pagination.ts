import { z } from 'zod';
import { AppError } from './app-error.js';
import { text } from './text.js';

/** `?limit=&cursor=` as every list endpoint takes them. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: text().max(512).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** Opaque keyset cursor: the sort key values of the last row served, base64url JSON. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through to the validation error
  }
  throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?(?:Z|[+-](\d\d)(?::?(\d\d))?)?$/;

/**
 * Whether a decoded cursor value is a real timestamp as PostgreSQL prints timestamptz or JavaScript's
 * toISOString writes it: the calendar is checked (no month 13, no 31 February, no hour 99), so a forged
 * value is a 422 here instead of a failed cast in the database.
 */
export function isTimestampText(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = m.slice(1).map((v) => Number(v ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}

/** Whether a decoded cursor value is a PostgreSQL `integer` written as text. */
export function isInt32Text(value: unknown): value is string {
  return typeof value === 'string' && /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2_147_483_647;
}

/** Whether a decoded cursor value is a `double precision` PostgreSQL accepts (finite, neither overflowing nor underflowing). */
export function isFloat8Text(value: unknown): value is string {
  if (typeof value !== 'string' || !/^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(value)) return false;
  const n = Math.abs(Number(value));
  // A non-zero mantissa that reads as 0 underflowed (1e-999): PostgreSQL refuses it.
  if (n === 0) return !/[1-9]/.test(value.split(/e/i)[0]);
  return Number.isFinite(n) && n < 1e300 && n > 1e-300;
}

/** Whether a decoded cursor value is a row id (cursors come from clients, so every part is checked). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
