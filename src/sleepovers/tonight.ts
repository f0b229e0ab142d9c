import { DateTime } from 'luxon';
import { addDays, now, todayLondon, ZONE } from '../platform/time';

/** Until 08:00 London time the night that began the evening before is still tonight. */
export const NIGHT_ENDS_AT_HOUR = 8;

/** The date of tonight's night in Europe/London (yesterday's date before 08:00), across clock changes. */
export function tonightLondon(at: Date = now()): string {
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  const today = todayLondon(at);
  return local.hour < NIGHT_ENDS_AT_HOUR ? addDays(today, -1) : today;
}

/** Monday to Friday among the days [from, to): the span a manager's emergency override may cover. */
export function workingDaysIn(from: string, to: string): number {
  let n = 0;
  for (let d = from; d < to; d = addDays(d, 1)) {
    const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) n++;
  }
  return n;
}
