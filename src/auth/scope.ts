import { MembershipRole } from '../constellations/enums';
import type { Params } from '../platform/db/params';
import { todayLondon } from '../platform/time';
import { Role } from './roles';
import { isOrgWide, type Viewer } from './viewer';

/**
 * Households the viewer may see, as a SQL condition on `alias`: organisation-wide staff all of the
 * organisation's; a liaison worker those ever in their constellations; a carer their own and the
 * households in their constellation today.
 */
export function householdVisible(v: Viewer, alias: string, p: Params): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}`;
  if (isOrgWide(v)) return org;
  const today = p.add(todayLondon());
  return `(${org} and (
    ${alias}.id = ${p.add(v.householdId)}::uuid
    or exists (select 1 from constellation_membership vm where vm.household_id = ${alias}.id and vm.constellation_id = any(${p.add(v.liaisonConstellationIds)}::uuid[]))
    or exists (select 1 from constellation_membership vm where vm.household_id = ${alias}.id and vm.constellation_id = ${p.add(v.memberConstellationId)}::uuid and vm.period @> ${today}::date)))`;
}

/** Constellations the viewer may see, as a SQL condition on `alias`. */
export function constellationVisible(v: Viewer, alias: string, p: Params): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}`;
  if (isOrgWide(v)) return org;
  const ids = [...new Set([...(v.memberConstellationId ? [v.memberConstellationId] : []), ...v.liaisonConstellationIds])];
  return `(${org} and ${alias}.id = any(${p.add(ids)}::uuid[]))`;
}

/**
 * Children the viewer may see, as a SQL condition on `alias`: organisation-wide staff all; a
 * liaison worker the children placed today with their constellations' households; a hub carer
 * those placed today in their constellation; a carer those placed today with their household.
 */
export function childVisible(v: Viewer, alias: string, p: Params): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}`;
  if (isOrgWide(v)) return org;
  const today = p.add(todayLondon());
  const hubOf = v.memberRole === MembershipRole.HUB ? v.memberConstellationId : null;
  const constellations = [...v.liaisonConstellationIds, ...(hubOf ? [hubOf] : [])];
  return `(${org} and exists (
      select 1 from placement vp
       where vp.child_id = ${alias}.id and vp.period @> ${today}::date
         and (vp.household_id = ${p.add(v.householdId)}::uuid
              or exists (select 1 from constellation_membership vm
                          where vm.household_id = vp.household_id and vm.period @> ${today}::date
                            and vm.constellation_id = any(${p.add(constellations)}::uuid[])))))`;
}

/**
 * Users the viewer may see, as a SQL condition on `alias`: organisation-wide staff all of the
 * organisation's; everyone else the staff, themselves, and the logins of carers in households
 * whose carers they may see — a carer their own household's, a liaison worker those of their
 * constellations' households (not every carer of the organisation).
 */
export function userVisible(v: Viewer, alias: string, p: Params): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}`;
  if (isOrgWide(v)) return org;
  const carers = v.role === Role.CARER ? `vc.household_id = ${p.add(v.householdId)}::uuid` : householdVisible(v, 'vh', p);
  return `(${org} and (${alias}.role <> 'CARER' or ${alias}.id = ${p.add(v.userId)}::uuid or exists (
    select 1 from carer vc join household vh on vh.id = vc.household_id where vc.user_id = ${alias}.id and ${carers})))`;
}
