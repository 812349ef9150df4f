/** A parsed cell: the value, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

const MONEY = /^\d{1,9}(\.\d{1,2})?$/;
const QUANTITY = /^-?\d{1,6}(\.\d{1,4})?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAY_FIRST_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_TIME = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?$/i;

/** A price in major units ("12.95", "9") as integer cents, without floating-point rounding. */
export function parseMoneyCents(text: string): Parsed<number> {
  if (!MONEY.test(text)) return bad(`"${clip(text)}" is not an amount like 12.95`);
  const [whole, fraction = ''] = text.split('.');
  return ok(Number(whole) * 100 + Number(fraction.padEnd(2, '0')));
}

/** A non-zero quantity; negative quantities are returns. */
export function parseQuantity(text: string): Parsed<number> {
  if (!QUANTITY.test(text)) return bad(`"${clip(text)}" is not a quantity like 2 or -1`);
  const value = Number(text);
  return value === 0 ? bad('must not be 0') : ok(value);
}

/** An instant or a wall-clock time: ISO 8601 with an offset gives `instant`, without one `local`. */
export function parseTimestamp(text: string): Parsed<{ instant: string | null; local: string | null }> {
  const m = ISO.exec(text);
  if (!m) return bad(`"${clip(text)}" is not an ISO 8601 date and time like 2023-01-31T18:05:00+01:00`);
  const [, y, mo, d, h, mi, s = '00', fraction = '', offset] = m;
  const problem = calendarProblem(+y, +mo, +d) ?? clockProblem(+h, +mi, +s);
  if (problem) return bad(problem);
  const wall = `${y}-${mo}-${d} ${h}:${mi}:${s}${fraction}`;
  return ok(offset ? { instant: `${wall}${offset.toUpperCase() === 'Z' ? '+00:00' : offset}`, local: null } : { instant: null, local: wall });
}

/** A day-first date ("31/03/2023", Maven's order_date) or an ISO date, as YYYY-MM-DD. */
export function parseDayFirstDate(text: string): Parsed<string> {
  const iso = ISO_DATE.exec(text);
  const m = iso ? [text, iso[3], iso[2], iso[1]] : DAY_FIRST_DATE.exec(text);
  if (!m) return bad(`"${clip(text)}" is not a date like 31/03/2023 (day first)`);
  const [day, month, year] = [+m[1], +m[2], +m[3]];
  const problem = calendarProblem(year, month, day);
  return problem ? bad(problem) : ok(`${year}-${pad(month)}-${pad(day)}`);
}

/** A time of day, 12-hour with AM/PM ("6:41:01 PM") or 24-hour, as HH:MM:SS. */
export function parseClockTime(text: string): Parsed<string> {
  const m = CLOCK_TIME.exec(text);
  if (!m) return bad(`"${clip(text)}" is not a time like 6:41:01 PM`);
  let hour = +m[1];
  const [minute, second, half] = [+m[2], +(m[3] ?? 0), m[4]?.toUpperCase()];
  if (half && (hour < 1 || hour > 12)) return bad(`hour ${hour} is not on a 12-hour clock`);
  if (half) hour = (hour % 12) + (half === 'PM' ? 12 : 0);
  const problem = clockProblem(hour, minute, second);
  return problem ? bad(problem) : ok(`${pad(hour)}:${pad(minute)}:${pad(second)}`);
}

function calendarProblem(year: number, month: number, day: number): string | undefined {
  if (year < 1970 || year > 2999) return `year ${year} is out of range`;
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  const days = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : DAYS_IN_MONTH[month - 1];
  return day < 1 || day > days ? `day ${day} does not exist in ${year}-${pad(month)}` : undefined;
}

function clockProblem(hour: number, minute: number, second: number): string | undefined {
  return hour > 23 || minute > 59 || second > 59 ? `${pad(hour)}:${pad(minute)}:${pad(second)} is not a time of day` : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
