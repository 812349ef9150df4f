import type { LocalityOutput } from '../localities/index.js';
import { instantAt, localTime } from '../shared/time-zones.js';

/** Whether a set's day takes orders at a moment: not yet (a later day), open, or closed (cut-off passed). */
export interface OrderingWindow {
  state: 'upcoming' | 'open' | 'closed';
  closesAt: Date;
}

/** The ordering window of `date` in the locality at `now` (its cut-off read in its own time zone). */
export function orderingWindow(locality: Pick<LocalityOutput, 'timeZone' | 'orderCutoff'>, date: string, now: Date): OrderingWindow {
  const closesAt = instantAt(date, locality.orderCutoff, locality.timeZone);
  if (now.getTime() >= closesAt.getTime()) return { state: 'closed', closesAt };
  return { state: date > localTime(now, locality.timeZone).date ? 'upcoming' : 'open', closesAt };
}
