import { DateTime } from 'luxon';
import { ZONE } from '../platform/time';
import { WeekOfMonth, Weekday } from './enums';

const WEEKDAY_NUMBER: Record<Weekday, number> = {
  MONDAY: 1,
  TUESDAY: 2,
  WEDNESDAY: 3,
  THURSDAY: 4,
  FRIDAY: 5,
  SATURDAY: 6,
  SUNDAY: 7,
};
const WEEK_INDEX: Record<Exclude<WeekOfMonth, WeekOfMonth.LAST>, number> = { FIRST: 0, SECOND: 1, THIRD: 2, FOURTH: 3 };

export interface MonthlyRule {
  week: WeekOfMonth;
  weekday: Weekday;
  /** Local start time in Europe/London. */
  hour: number;
  minute: number;
  durationMinutes: number;
  /** YYYY-MM-DD: the series starts on the first matching day on or after it. */
  firstDate: string;
  count: number;
}

/** The matching day of one month, e.g. the second Tuesday or the last Friday, as a London date. */
function matchingDay(year: number, month: number, week: WeekOfMonth, weekday: Weekday): DateTime {
  const want = WEEKDAY_NUMBER[weekday];
  if (week === WeekOfMonth.LAST) {
    const last = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).endOf('month').startOf('day');
    return last.minus({ days: (last.weekday - want + 7) % 7 });
  }
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
  return first.plus({ days: ((want - first.weekday + 7) % 7) + 7 * WEEK_INDEX[week] });
}

/**
 * The instants of a monthly series. Each session starts at the given wall-clock time in
 * Europe/London on its own day, so a series keeps 19:00 on both sides of a clock change (the UTC
 * instant moves, the local time does not). A local time that does not exist on a spring-forward
 * day is moved forward by the gap, as clocks are.
 */
export function monthlyOccurrences(rule: MonthlyRule): { startsAt: Date; endsAt: Date }[] {
  const from = DateTime.fromISO(rule.firstDate, { zone: ZONE });
  let year = from.year;
  let month = from.month;
  const out: { startsAt: Date; endsAt: Date }[] = [];
  while (out.length < rule.count) {
    const day = matchingDay(year, month, rule.week, rule.weekday);
    if (day.toISODate()! >= rule.firstDate) {
      const start = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour: rule.hour, minute: rule.minute }, { zone: ZONE });
      out.push({ startsAt: start.toJSDate(), endsAt: start.plus({ minutes: rule.durationMinutes }).toJSDate() });
    }
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/** "HH:MM", 24-hour clock; null when it is not one. */
export function parseLocalTime(s: string): { hour: number; minute: number } | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}
