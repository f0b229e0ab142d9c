import { Role } from '../auth/roles';
import { hubConstellationOf, isManager, isStaff, type Viewer } from '../auth/viewer';

/**
 * Who may read a child's sleepover consents and what is in them (DESIGN.md, Consent: "the hub
 * carer and the child's carers see the conditions"). Plain functions over facts the loaders read;
 * the resolvers call them.
 */
export interface ConsentAudience {
  /** The child is placed today with the viewer's household. */
  ownCarer: boolean;
  /** The viewer is the hub carer of the child's constellation, or of a hub hosting the child on an open sleepover. */
  hubCarer: boolean;
}

/** Whether the viewer's audience facts must be read at all (staff see everything, others who are not carers nothing). */
export const needsAudience = (v: Viewer | null) => !!v && !isStaff(v) && !!v.householdId;

/** Child.sleepoverConsent(s): staff, the child's own carers, and the hub carer concerned. */
export function seesConsents(v: Viewer | null, a: ConsentAudience | null): boolean {
  if (!v) return false;
  if (isStaff(v)) return true;
  return !!a && (a.ownCarer || a.hubCarer);
}

/** SleepoverConsent.notWith names other children: staff and the hub carer only, not the child's own carers. */
export function seesNotWith(v: Viewer | null, a: ConsentAudience | null): boolean {
  if (!v) return false;
  if (isStaff(v)) return true;
  return !!a && a.hubCarer && hubConstellationOf(v) !== null;
}

/**
 * Recording or withdrawing a consent: a supervising social worker, a manager, or the liaison worker
 * of the child's constellation (`liaisonOfChild`: the viewer is the liaison worker of a
 * constellation the child's household is a satellite of today).
 */
export function mayRecordConsent(v: Viewer, liaisonOfChild: boolean): boolean {
  return v.role === Role.SUPERVISING_SOCIAL_WORKER || isManager(v) || liaisonOfChild;
}
