import { Role } from '../auth/roles';
import { isStaff, type Viewer } from '../auth/viewer';

const MANAGE_PLACEMENTS: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];

/** Starting and ending placements: the fostering team. */
export function mayManagePlacements(v: Viewer): boolean {
  return MANAGE_PLACEMENTS.includes(v.role);
}

/**
 * Which fields of a placement the viewer may read. Which placements the viewer reaches at all is
 * decided in SQL (placement.loaders.ts); these rules withhold fields of placements reached.
 */

/** How and why a placement ended (endReason, unplanned) is casework: staff only. */
export function canSeePlacementEnding(v: Viewer | null): boolean {
  return !!v && isStaff(v);
}
