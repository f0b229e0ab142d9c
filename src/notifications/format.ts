import { DateTime } from 'luxon';
import { ZONE } from '../platform/time';

/** "Sunday 29 March" for a YYYY-MM-DD London date. */
export function longDate(date: string): string {
  return DateTime.fromISO(date, { zone: ZONE }).toFormat('cccc d LLLL');
}

/** "Amy", "Amy and Ava", "Amy, Ava and Ben". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
