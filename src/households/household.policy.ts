import { Role } from '../auth/roles';
import { isCarer, isOrgWide, isStaff, type Viewer } from '../auth/viewer';
import type { Household } from './household.entity';

const MANAGE_HOUSEHOLDS: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];

/** Registering, changing and deregistering households and adding their carers: the fostering team. */
export function mayManageHouseholds(v: Viewer): boolean {
  return MANAGE_HOUSEHOLDS.includes(v.role);
}

/**
 * Which fields of a household the viewer may read. Which households the viewer reaches at all is
 * decided in SQL (householdVisible in src/auth/scope.ts); a household can also be met through
 * something else (a child's care history, a sleepover), and then only its name is everyone's.
 */

/** Staff may read every field; a carer every field of their own household only. */
export function canSeeHouseholdDetails(v: Viewer, h: Household): boolean {
  return isStaff(v) || (isCarer(v) && v.householdId === h.id);
}

/**
 * The household's own fields (status, approval, placements …): organisation-wide staff and its own
 * carers always; a liaison worker only for households of their constellations — one met elsewhere
 * shows its name only. `inViewersScope` asks the scoped household loader, and is asked last.
 */
export async function canReadHouseholdDetails(v: Viewer | null, h: Household, inViewersScope: () => Promise<boolean>): Promise<boolean> {
  if (!v || !canSeeHouseholdDetails(v, h)) return false;
  if (isOrgWide(v) || isCarer(v)) return true;
  return inViewersScope();
}
