import { hubConstellationOf, isCarer, isOrgWide, type Viewer } from '../auth/viewer';
import type { Params } from '../platform/db/params';
import { badUserInput } from '../platform/graphql/errors';
import { idOf } from '../platform/graphql/ids';
import { isValidDate, todayLondon } from '../platform/time';
import { SleepoverStatus } from './enums';
import type { SleepoverFilter } from './sleepover.types';

/**
 * Sleepovers the viewer may see, as a SQL condition on `alias`: organisation-wide staff all of the
 * organisation's; a liaison worker their constellations'; a hub carer their constellation's; a
 * carer their own household's. With `othersBooked`, a satellite carer also sees the other
 * households' confirmed sleepovers in their constellation — only as booked nights (see
 * seesSleepoverDetails in sleepover.policy.ts) — which is how Constellation.sleepovers and node(id:) show them.
 */
export function sleepoverVisible(v: Viewer, alias: string, p: Params, opts: { othersBooked: boolean }): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}`;
  if (isOrgWide(v)) return org;
  const any: string[] = [];
  if (v.liaisonConstellationIds.length) any.push(`${alias}.constellation_id = any(${p.add(v.liaisonConstellationIds)}::uuid[])`);
  if (v.householdId) any.push(`${alias}.household_id = ${p.add(v.householdId)}::uuid`);
  const hub = hubConstellationOf(v);
  if (hub) any.push(`${alias}.constellation_id = ${p.add(hub)}::uuid`);
  else if (opts.othersBooked && v.memberConstellationId) {
    any.push(`(${alias}.constellation_id = ${p.add(v.memberConstellationId)}::uuid and ${alias}.status = 'CONFIRMED')`);
  }
  return any.length ? `(${org} and (${any.join(' or ')}))` : 'false';
}

/** COMPLETED is never stored: a confirmed sleepover whose last night is past reads as COMPLETED. */
export function statusSql(alias: string, p: Params): string {
  return `(case when ${alias}.status = 'CONFIRMED' and ${alias}.end_date <= ${p.add(todayLondon())}::date then 'COMPLETED' else ${alias}.status end)`;
}

/** SleepoverFilter as SQL conditions on `alias`. Dates and ids are checked here; bad ones are BAD_USER_INPUT. */
export function filterConditions(v: Viewer, alias: string, p: Params, f: SleepoverFilter | null | undefined): string[] {
  if (!f) return [];
  const out: string[] = [];
  if (f.status?.length) {
    const statuses = f.status.filter((s) => Object.values(SleepoverStatus).includes(s));
    // The stored statuses asked for (COMPLETED is stored as CONFIRMED) are what lets the
    // (constellation, status, start date) index find the few waiting requests among the many.
    // Written into the SQL, not passed as a value: the statement is prepared once and may run on
    // a generic plan, which would not know how few rows a status picks (3.6 ms against 0.14 ms
    // for the hub's waiting requests). Only enum values get here, so the texts are few and safe.
    const stored = [...new Set(statuses.map((s) => (s === SleepoverStatus.COMPLETED ? 'CONFIRMED' : s)))].sort();
    out.push(stored.length ? `${alias}.status in (${stored.map((s) => `'${s}'`).join(', ')})` : 'false');
    // A stored CONFIRMED reads as CONFIRMED or COMPLETED by its end date: only when one of the two
    // is asked for and not the other does the date decide. Otherwise the stored status says it
    // all, and leaving the date's test out lets PostgreSQL keep one plan for the statement.
    const asksConfirmed = statuses.includes(SleepoverStatus.CONFIRMED);
    if (asksConfirmed !== statuses.includes(SleepoverStatus.COMPLETED)) out.push(`${statusSql(alias, p)} = any(${p.add(statuses)}::text[])`);
  }
  if (f.from != null || f.to != null) {
    if ((f.from != null && !isValidDate(f.from)) || (f.to != null && !isValidDate(f.to))) throw badUserInput('filter dates must be real dates.');
    if (f.from != null && f.to != null && f.from > f.to) throw badUserInput('filter.from must not be after filter.to.');
    out.push(`${alias}.nights && daterange(${p.add(f.from ?? null)}::date, ${p.add(f.to ?? null)}::date, '[)')`);
  }
  if (f.childId != null) {
    const childId = idOf('Child', f.childId);
    if (!childId) return ['false'];
    out.push(`exists (select 1 from sleepover_child fc where fc.sleepover_id = ${alias}.id and fc.child_id = ${p.add(childId)}::uuid)`);
    // Whom another household's sleepover is for is not the viewer's to know, so not theirs to search by either.
    if (isCarer(v) && !hubConstellationOf(v)) out.push(`${alias}.household_id = ${p.add(v.householdId)}::uuid`);
  }
  return out;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

/** The list order (startDate, createdAt, id) as a cursor key; createdAt kept to the microsecond. */
export type SleepoverKey = [string, string, string];
export const CREATED_KEY_SQL = (alias: string) => `to_char(${alias}.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

export function readSleepoverKey(after: unknown[] | null): SleepoverKey | null {
  if (!after) return null;
  const [d, c, id] = after;
  if (after.length !== 3 || !isValidDate(d) || typeof c !== 'string' || !TS_RE.test(c) || typeof id !== 'string' || !UUID_RE.test(id)) {
    throw badUserInput('after is not a cursor of this list.');
  }
  return [d, c, id];
}

/** Keyset condition for rows after `key` in (startDate, createdAt, id) order. */
export function afterKeySql(alias: string, p: Params, key: SleepoverKey | null): string {
  if (!key) return 'true';
  return `(${alias}.start_date, ${alias}.created_at, ${alias}.id) > (${p.add(key[0])}::date, ${p.add(key[1])}::timestamp at time zone 'UTC', ${p.add(key[2])}::uuid)`;
}
