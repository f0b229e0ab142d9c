import { isValidDate } from './time';
import { Problems, UserErrorCode } from './graphql/user-errors';

/** Shared input checks so every mutation words the same problem the same way. */
export function requireText(p: Problems, value: string | null | undefined, field: string[], opts: { max?: number; label?: string } = {}): string | null {
  const max = opts.max ?? 200;
  const label = opts.label ?? field[field.length - 1];
  if (value == null) return null;
  const v = value.trim();
  if (v.length === 0) p.add(UserErrorCode.INVALID_INPUT, `${label} must not be empty.`, field);
  else if (v.length > max) p.add(UserErrorCode.INVALID_INPUT, `${label} must be at most ${max} characters.`, field);
  // eslint-disable-next-line no-control-regex -- the control characters are what this pattern looks for
  else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(v)) p.add(UserErrorCode.INVALID_INPUT, `${label} contains control characters.`, field);
  else return v;
  return null;
}

export function optionalText(p: Problems, value: string | null | undefined, field: string[], max = 2000): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const v = value.trim();
  if (v.length > max) {
    p.add(UserErrorCode.INVALID_INPUT, `${field[field.length - 1]} must be at most ${max} characters.`, field);
    return undefined;
  }
  return v.length ? v : null;
}

/** The Date scalar already rejects impossible dates; this keeps dates within a sensible span. */
export function checkDate(p: Problems, value: string | null | undefined, field: string[]): boolean {
  if (value == null) return true;
  if (!isValidDate(value)) {
    p.add(UserErrorCode.INVALID_INPUT, `${field[field.length - 1]} must be a date between 1900 and 2200.`, field);
    return false;
  }
  return true;
}

export const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;
