/**
 * Wall-clock time in an IANA time zone, without a date library: the zone rules come from the ICU data
 * Node ships (Intl), so daylight-saving changes are applied as the zone database says.
 */

/** A local calendar date and the minutes since local midnight. */
export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** Minutes since local midnight (0–1439). */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the zone is a time zone Node knows (`Europe/Berlin`, `UTC`…). */
export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

/** The local date and time of `at` in the zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** `HH:MM` → minutes since midnight. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** Minutes since midnight → `HH:MM`. */
export function timeOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The date `days` after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The zone's offset from UTC at `at`, in minutes (east positive). */
function offsetMinutes(at: Date, timeZone: string): number {
  const { date, minutes } = localTime(at, timeZone);
  const asUtc = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant when the zone's clocks show `time` on `date`. A time skipped by a spring-forward change
 * is taken as the same distance after the change (02:30 → 03:30 CEST); a time shown twice in the
 * autumn is its first occurrence, as cron schedules run it.
 */
export function instantAt(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutesOf(time) * 60_000;
  const before = offsetMinutes(new Date(wall - 86_400_000 / 2), timeZone);
  const after = offsetMinutes(new Date(wall + 86_400_000 / 2), timeZone);
  // The larger offset gives the earlier instant: the first occurrence of a time shown twice.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const candidate = new Date(wall - offset * 60_000);
    const shown = localTime(candidate, timeZone);
    if (shown.date === date && shown.minutes === minutesOf(time)) return candidate;
  }
  return new Date(wall - before * 60_000); // skipped by the change: read with the offset before it
}
