import { hubConstellationOf, isCarer, isHubCarerOf, isLiaisonFor, isOrgWide, isStaff, runsConstellation, type Viewer } from '../auth/viewer';
import type { Params } from '../platform/db/params';
import { HubBookingPurpose } from './enums';

/**
 * Who sees and does what with the hub as a venue. The SQL fragments here are how every read of
 * hub_booking is scoped (deny by default); the predicates are what the services check before a
 * change. Resolvers never decide visibility themselves: they read what the SQL worked out.
 */

/** The children of booking `alias` placed with `householdParam` on the booking's day. */
const ownChildSql = (alias: string, householdParam: string) =>
  `exists (select 1 from hub_booking_child vbc join placement vp on vp.child_id = vbc.child_id
            where vbc.booking_id = ${alias}.id and vp.household_id = ${householdParam}::uuid and vp.period @> ${alias}.london_day)`;

/**
 * Bookings the viewer may see at all, as a SQL condition on `alias` (a hub_booking row):
 * organisation-wide staff every one of the organisation; a liaison worker their constellations';
 * a hub carer their hub's; a carer those with a child placed with their household that day (at
 * any hub); and a satellite carer their constellation's confirmed ones, as "the hub is busy"
 * (see bookingDetailsSql).
 */
export function bookingVisible(v: Viewer, alias: string, p: Params): string {
  const org = `${alias}.organisation_id = ${p.add(v.organisationId)}`;
  if (isOrgWide(v)) return org;
  const any: string[] = [];
  if (v.liaisonConstellationIds.length) any.push(`${alias}.constellation_id = any(${p.add(v.liaisonConstellationIds)}::uuid[])`);
  const hub = hubConstellationOf(v);
  if (hub) any.push(`${alias}.constellation_id = ${p.add(hub)}::uuid`);
  else if (v.memberConstellationId) any.push(`(${alias}.constellation_id = ${p.add(v.memberConstellationId)}::uuid and ${alias}.status = 'CONFIRMED')`);
  if (v.householdId) any.push(ownChildSql(alias, p.add(v.householdId)));
  return any.length ? `(${org} and (${any.join(' or ')}))` : 'false';
}

/**
 * Whether the viewer sees what a booking is (purpose, children, supervisor, requester, notes,
 * reasons, outcome), as a SQL boolean on `alias`, for rows bookingVisible lets through: staff
 * and the hub carer always; a carer when a child of their household is in it. Everyone else
 * who sees it sees only that the hub is busy.
 */
export function bookingDetailsSql(v: Viewer, alias: string, p: Params): string {
  if (isStaff(v)) return 'true';
  const any: string[] = [];
  const hub = hubConstellationOf(v);
  if (hub) any.push(`${alias}.constellation_id = ${p.add(hub)}::uuid`);
  if (v.householdId) any.push(ownChildSql(alias, p.add(v.householdId)));
  return any.length ? `(${any.join(' or ')})` : 'false';
}

/**
 * Which children of a booking the viewer is shown, as a SQL boolean on the booking `alias` and
 * the child `childAlias`: staff and the hub carer see them all; a carer only those placed with
 * their own household on the booking's day.
 */
export function bookingChildShownSql(v: Viewer, alias: string, childAlias: string, p: Params): string {
  if (isStaff(v)) return 'true';
  const any: string[] = [];
  const hub = hubConstellationOf(v);
  if (hub) any.push(`${alias}.constellation_id = ${p.add(hub)}::uuid`);
  if (v.householdId) {
    any.push(`exists (select 1 from placement vp where vp.child_id = ${childAlias}.id and vp.household_id = ${p.add(v.householdId)}::uuid and vp.period @> ${alias}.london_day)`);
  }
  return any.length ? `(${any.join(' or ')})` : 'false';
}

/** Opening hours and family time: the hub carer's home, so theirs to set, or the liaison worker's. */
export function mayEditVenue(v: Viewer, constellationId: string): boolean {
  return isHubCarerOf(v, constellationId) || isLiaisonFor(v, constellationId);
}

/**
 * Who may book the hub for what (the constellation is one the viewer may see). FAMILY_TIME: staff
 * only. SIBLING_CONTACT: staff, or the hub carer. DAY_CARE: also a satellite carer of the
 * constellation (for their own household's children, checked with the children). MEETING and
 * OTHER: staff and the hub carer.
 */
export function mayBook(v: Viewer, purpose: HubBookingPurpose, constellationId: string): boolean {
  if (isStaff(v)) return true;
  if (purpose === HubBookingPurpose.FAMILY_TIME) return false;
  if (isHubCarerOf(v, constellationId)) return true;
  return purpose === HubBookingPurpose.DAY_CARE && isCarer(v) && v.memberConstellationId === constellationId;
}

/** Children a carer (not the hub carer) may book are their own household's; everyone else's are checked by scope. */
export function booksOwnChildrenOnly(v: Viewer, constellationId: string): boolean {
  return isCarer(v) && !isHubCarerOf(v, constellationId);
}

/** Booked by the hub carer, the liaison worker or a manager, a booking is confirmed at once (or refused). */
export function confirmsAtOnce(v: Viewer, constellationId: string): boolean {
  return runsConstellation(v, constellationId);
}

/** Confirming and declining: the hub carer (it is their home), the liaison worker, a manager. */
export function mayDecide(v: Viewer, constellationId: string): boolean {
  return runsConstellation(v, constellationId);
}

/** Cancelling: whoever asked for it, or those who decide. */
export function mayCancel(v: Viewer, constellationId: string, requestedById: string | null | undefined): boolean {
  return requestedById === v.userId || mayDecide(v, constellationId);
}

/** Recording what happened: the hub carer, the liaison worker, staff. */
export function mayRecordOutcome(v: Viewer, constellationId: string): boolean {
  return isStaff(v) || isHubCarerOf(v, constellationId);
}

/** What travels with a booking event, for deciding who receives it without a query. */
export interface BookingAudience {
  organisationId: string;
  constellationId: string;
  /** Households with a child in the booking on its day: their carers always hear of it. */
  householdIds: string[];
  /** Whether the hub's busy time changed (a confirmation, or a confirmed booking cancelled). */
  busyChanged: boolean;
}

/**
 * Whether a subscriber receives a booking event (the booking itself is then loaded with the
 * subscriber's own scope, and dropped if they may not see it). Carers hear of their own
 * children's bookings anywhere; otherwise the constellation must be in the viewer's scope; staff
 * and its hub carer get everything; a satellite carer only changes to when the hub is busy.
 */
export function deliversBookingEvent(v: Viewer, m: BookingAudience, scope: string[] | null): boolean {
  if (m.organisationId !== v.organisationId) return false;
  if (v.householdId && m.householdIds.includes(v.householdId)) return true;
  if (scope !== null && !scope.includes(m.constellationId)) return false;
  if (isStaff(v) || hubConstellationOf(v) === m.constellationId) return true;
  return m.busyChanged;
}
