import { isHubCarerOf, isLiaisonFor, isOrgWide, isStaff, type Viewer } from '../auth/viewer';
import { isNarrowChild } from '../children/child.policy';
import type { Child } from '../children/child.entity';
import type { StabilityScope } from './stability.service';

/**
 * Who reads which placement-stability figures. The figures are counted over the viewer's
 * organisation in SQL (stability.service.ts); these rules decide whose figures a viewer may ask for.
 */

/** Organisation-wide staff any report; the liaison worker and the hub carer their constellation's. */
export function canReadStabilityReport(v: Viewer, scope: StabilityScope): boolean {
  if (isOrgWide(v)) return true;
  return scope.kind === 'CONSTELLATION' && (isLiaisonFor(v, scope.constellationId) || isHubCarerOf(v, scope.constellationId));
}

/** The children behind a report's counts: staff only (and only the children each may see, by the child loader). */
export function canSeeStabilityChildren(v: Viewer | null): boolean {
  return !!v && isStaff(v);
}

/** A child's own stability figures: staff only, never for a child seen only through a sleepover. */
export function canSeeChildStability(v: Viewer | null, c: Child): boolean {
  return !!v && isStaff(v) && !isNarrowChild(c);
}
