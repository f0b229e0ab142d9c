import { hubConstellationOf, isCarer, isHubCarerOf, isLiaisonFor, isOrgWide, type Viewer } from '../auth/viewer';
import type { Params } from '../platform/db/params';
import { todayLondon } from '../platform/time';

/**
 * Who reads and writes the support log (DESIGN.md, "Support log").
 *
 * Writers: the constellation's hub carer, its liaison worker, and organisation-wide staff.
 * Readers, judged on a chain's latest version:
 * - organisation-wide staff: every entry of the organisation;
 * - a liaison worker: every entry of their constellations (withdrawn ones too);
 * - the hub carer: the entries of their constellation about its member households today, never
 *   a withdrawn one ("no carer sees it") — a household that has left is out of the hub's sight,
 *   as everywhere else;
 * - a household's own carers: the entries about their household, never a safeguarding chain
 *   (it may be about them) nor a withdrawn one.
 */

export function canRecordSupport(v: Viewer, constellationId: string): boolean {
  return isOrgWide(v) || isLiaisonFor(v, constellationId) || isHubCarerOf(v, constellationId);
}

/** The CSV export of a constellation's log: organisation-wide staff and the constellation's liaison worker. */
export function canExportSupportLog(v: Viewer, constellationId: string | null): boolean {
  return isOrgWide(v) || (constellationId !== null && isLiaisonFor(v, constellationId));
}

/** Constellation.supportLog is null for everyone else (satellite carers among them). */
export function canReadConstellationLog(v: Viewer, constellationId: string): boolean {
  return canRecordSupport(v, constellationId);
}

/**
 * Household.supportLog is null for carers of other households (the hub carer aside); staff reach
 * a household only when they may see it at all, which the household loader has decided already.
 */
export function canReadHouseholdLog(v: Viewer, householdId: string): boolean {
  if (!isCarer(v)) return true;
  return v.householdId === householdId || hubConstellationOf(v) !== null;
}

/**
 * The condition on a chain's latest version `alias` under which the viewer may read the chain.
 * Only the branches that can hold for this viewer are written (a carer is no liaison worker), and
 * the hub's member households are one list the statement reads once rather than a lookup for
 * every entry: a hub carer's follow-ups due are a few hundred entries.
 */
export function entryVisible(v: Viewer, alias: string, p: Params): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}::uuid`;
  if (isOrgWide(v)) return org;
  const hub = hubConstellationOf(v);
  const branches: string[] = [];
  if (v.liaisonConstellationIds.length) branches.push(`${alias}.constellation_id = any(${p.add(v.liaisonConstellationIds)}::uuid[])`);
  if (hub) {
    const k = p.add(hub);
    branches.push(`(${alias}.constellation_id = ${k}::uuid and not ${alias}.recorded_in_error
        and ${alias}.household_id in (select sm.household_id from constellation_membership sm
                                       where sm.constellation_id = ${k}::uuid and sm.period @> ${p.add(todayLondon())}::date))`);
  }
  if (v.householdId) branches.push(`(${alias}.household_id = ${p.add(v.householdId)}::uuid and not ${alias}.chain_safeguarding and not ${alias}.recorded_in_error)`);
  return branches.length ? `(${org} and (${branches.join('\n    or ')}))` : 'false';
}

/** The latest version of the chain `alias` belongs to is `latest` (joined by the caller). */
export const LATEST = (alias: string) => `not exists (select 1 from support_log_entry nx where nx.amends_id = ${alias}.id)`;

/**
 * LATEST for entries of the constellations that `inConstellations` picks (a condition on
 * `nx.constellation_id`): their corrections are read once through the amended index and hashed,
 * where NOT EXISTS probes the log once per entry — a few hundred probes for a hub's follow-ups
 * due. A correction stays in its entry's constellation (the chain trigger), and the list holds no
 * null, so NOT IN means what it says.
 */
export const latestAmong = (alias: string, inConstellations: string) => `${alias}.id not in (select nx.amends_id from support_log_entry nx where ${inConstellations} and nx.amends_id is not null)`;
