import { DateTime } from 'luxon';

/** Calendar dates are Europe/London dates carried as YYYY-MM-DD strings (DESIGN.md, Time). */
export const ZONE = 'Europe/London';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in YYYY-MM-DD form (rejects 2015-02-30) within years 1900..2200. */
export function isValidDate(s: unknown): s is string {
  return isCalendarDate(s) && s >= '1900-01-01' && s <= '2200-12-31';
}

/** A real calendar date in YYYY-MM-DD form, any year (the Date scalar's check; services narrow the span). */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Overridable clock so tests can pin "now"; production reads the system clock. */
let nowFn: () => Date = () => new Date();
export function setClock(fn: (() => Date) | null): void {
  nowFn = fn ?? (() => new Date());
}
export function now(): Date {
  return nowFn();
}

/** Today in Europe/London, whatever the server's time zone. */
export function todayLondon(at: Date = now()): string {
  // London's offset is a whole number of hours, so the date cannot change within a UTC minute:
  // one zone conversion per minute instead of one per query (luxon's is not cheap).
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute !== todayCache.minute) todayCache = { minute, date: DateTime.fromJSDate(at, { zone: ZONE }).toISODate()! };
  return todayCache.date;
}
let todayCache = { minute: NaN, date: '' };

/** Whole-day arithmetic on YYYY-MM-DD strings without time zones getting involved. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const t = Date.UTC(y, m - 1, d) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = from.split('-').map(Number);
  const [y2, m2, d2] = to.split('-').map(Number);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/**
 * Age on a date by UK law: a birthday is reached at the start of its anniversary, and a
 * 29 February birthday falls on 1 March in common years.
 */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  let age = y - by;
  let birthdayMonth = bm;
  let birthdayDay = bd;
  if (bm === 2 && bd === 29 && !isLeap(y)) {
    birthdayMonth = 3;
    birthdayDay = 1;
  }
  if (m < birthdayMonth || (m === birthdayMonth && d < birthdayDay)) age -= 1;
  return age;
}
