import { isCarer, isOrgWide, isStaff, type Viewer } from '../auth/viewer';
import type { Household } from '../households/household.entity';
import { householdById } from '../households/household.loaders';
import type { Ctx } from '../platform/context';

/**
 * Who sees what of needs, skills and matches. Needs are special category data (health,
 * disability, religion): staff only, never carers — not even the child's own.
 */

/** Child.needs: staff (the child itself is already one the viewer may see). */
export function mayReadChildNeeds(v: Viewer | null | undefined): boolean {
  return !!v && isStaff(v);
}

/** setChildNeeds and setHouseholdSkills: staff, on children and households their scope reaches. */
export function mayWriteNeedsAndSkills(v: Viewer): boolean {
  return isStaff(v);
}

/** placementMatches: staff. */
export function mayMatch(v: Viewer): boolean {
  return isStaff(v);
}

/**
 * Household.skills and Household.bedrooms: as the household's other own fields — organisation-wide
 * staff, its own carers, and a liaison worker for households of their constellations (one met
 * elsewhere, in a child's history, shows its name only); null for carers of other households.
 */
export async function mayReadHouseholdSkills(ctx: Ctx, h: Household): Promise<boolean> {
  const v = ctx.viewer;
  if (!v) return false;
  if (isCarer(v)) return v.householdId === h.id;
  if (!isStaff(v)) return false;
  if (isOrgWide(v)) return true;
  return (await householdById(ctx).load(h.id)) !== null;
}
