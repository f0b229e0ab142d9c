import { isCarer, isManager, isOrgWide, isStaff, type Viewer } from '../auth/viewer';

/**
 * Who reads and records exemptions from the fostering limit. Household.fosteringLimitExemptions is
 * null for carers of other households (as the household's other own fields are); staff see it for
 * every household they may see in full (a liaison worker: their constellations' households).
 */
export function seesExemptions(v: Viewer | null, householdId: string, visibleInFull: () => Promise<boolean>): Promise<boolean> | boolean {
  if (!v) return false;
  if (isCarer(v)) return v.householdId === householdId;
  if (isOrgWide(v)) return true;
  return isStaff(v) && visibleInFull();
}

/** The local authority grants them; the fostering service records them: managers only. */
export function mayRecordExemption(v: Viewer): boolean {
  return isManager(v);
}
