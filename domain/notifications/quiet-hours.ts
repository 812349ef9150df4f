import { addDays, instantAt, localTime, minutesOf } from '../shared/time-zones.js';

/** A daily window (local time in `timeZone`) without e-mail, SMS or push; it may span midnight (22:00–07:00). */
export interface QuietHours {
  from: string;
  to: string;
  timeZone: string;
}

/** When a delivery may go out: `now`, or when the quiet hours it falls into end (deferred, never dropped). */
export function deliverAt(now: Date, quiet: QuietHours | null): Date {
  if (!quiet) return now;
  const { date, minutes } = localTime(now, quiet.timeZone);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const spansMidnight = from > to;
  const inside = spansMidnight ? minutes >= from || minutes < to : minutes >= from && minutes < to;
  if (!inside) return now;
  const endDate = spansMidnight && minutes >= from ? addDays(date, 1) : date;
  return instantAt(endDate, quiet.to, quiet.timeZone);
}
