import { isHubCarerOf, isLiaisonFor, isOrgWide, isStaff, type Viewer } from '../auth/viewer';

/** One constellation's return: organisation-wide staff any; its liaison worker and hub carer their own. */
export function canReadReturn(v: Viewer, constellationId: string): boolean {
  return isOrgWide(v) || isLiaisonFor(v, constellationId) || isHubCarerOf(v, constellationId);
}

/** Every constellation's return and the comparison group: organisation-wide staff, and the exports. */
export function canReadAllReturns(v: Viewer): boolean {
  return isOrgWide(v);
}

/**
 * Deregistrations by reason: staff only. Among the handful of households a hub carer knows, a
 * count by reason would name one.
 */
export function canSeeDeregistrationReasons(v: Viewer): boolean {
  return isStaff(v);
}
