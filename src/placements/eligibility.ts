import type { EntityManager } from '@mikro-orm/postgresql';
import { Params } from '../platform/db/params';
import { sqlOne } from '../platform/db/sql';
import type { PlacementKind } from './enums';

/**
 * Whether a household can take a child from a date: the rules startPlacement refuses on and the
 * matching call list filters on, written once as SQL so both read exactly the same thing. Each
 * fragment takes SQL expressions (a column, or a `$n` parameter) and is safe to correlate with an
 * outer query over many households.
 */

/**
 * Approved on `date`: approvedOn on or before it, not deregistered by then, and not on hold or in
 * assessment. A DEREGISTERED household was approved until its deregisteredOn.
 */
export function approvedOnSql(h: string, date: string): string {
  return `(${h}.approved_on is not null and ${h}.approved_on <= ${date}::date
    and (${h}.deregistered_on is null or ${h}.deregistered_on > ${date}::date)
    and ${h}.status in ('APPROVED', 'TEMPORARILY_APPROVED', 'DEREGISTERED'))`;
}

/** The approval's age range covers `age` (the child's age on the start date, by ageOn). */
export function ageInApprovalSql(h: string, age: string): string {
  return `coalesce(${age}::int between ${h}.approval_min_age and ${h}.approval_max_age, false)`;
}

export function kindInApprovalSql(h: string, kind: string): string {
  return `coalesce(${kind}::text = any(${h}.approval_kinds), false)`;
}

/** The household is a constellation's hub on `date` (its beds are kept for sleepovers). */
export function hubOnSql(householdId: string, date: string): string {
  return `exists (select 1 from constellation_membership hub_m where hub_m.household_id = ${householdId} and hub_m.role = 'HUB' and hub_m.period @> ${date}::date)`;
}

/**
 * The most children placed with the household on any day from `date` on, leaving out `childId`
 * (whose own placements are the overlap constraint's business). Occupancy only rises on a day a
 * placement starts, so `date` and every later start date are the only days to look at.
 */
export function peakOccupancySql(householdId: string, date: string, childId: string): string {
  return `(select coalesce(max((select count(*) from placement occ where occ.household_id = ${householdId} and occ.period @> peak_d.day and occ.child_id <> ${childId}::uuid)), 0)::int
     from (select ${date}::date as day union select ps.start_date from placement ps where ps.household_id = ${householdId} and ps.start_date > ${date}::date) peak_d)`;
}

export interface Eligibility {
  approved: boolean;
  ageCovered: boolean;
  kindCovered: boolean;
  hub: boolean;
  /** Most children (other than this one) placed there on any day from the start date. */
  peak: number;
}

/** Every check for one household and child in one statement; the caller decides what to refuse first. */
export async function eligibilityOf(em: EntityManager, q: { householdId: string; childId: string; startDate: string; age: number; kind: PlacementKind }): Promise<Eligibility> {
  const p = new Params();
  const id = `${p.add(q.householdId)}::uuid`;
  const date = p.add(q.startDate);
  const row = await sqlOne(
    em,
    `select ${approvedOnSql('h', date)} as approved,
            ${ageInApprovalSql('h', p.add(q.age))} as age_covered,
            ${kindInApprovalSql('h', p.add(q.kind))} as kind_covered,
            ${hubOnSql('h.id', date)} as hub,
            ${peakOccupancySql('h.id', date, p.add(q.childId))} as peak
       from household h where h.id = ${id}`,
    p.values,
  );
  if (!row) throw new Error(`household ${q.householdId} vanished inside its own transaction`);
  return { approved: row.approved, ageCovered: row.age_covered, kindCovered: row.kind_covered, hub: row.hub, peak: row.peak };
}
