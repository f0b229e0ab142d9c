import { constellationScope, hubConstellationOf, isCarer, isHubCarerOf, isLiaisonFor, isStaff, runsConstellation, type Viewer } from '../auth/viewer';
import { narrowChild } from '../children/child.policy';
import type { Child } from '../children/child.entity';
import type { Constellation } from '../constellations/constellation.entity';

/**
 * Who asks for and cancels sleepovers, and who sees what through one beyond who sees the sleepover
 * itself (sleepover.scope.ts). Confirming and declining are for those who run the constellation
 * (runsConstellation in src/auth/viewer.ts).
 */

/**
 * Whose children the viewer may ask a sleepover for, among the children and constellations they may
 * see at all: a carer (other than the constellation's hub carer) for their own household's only.
 */
export function mayRequestFor(v: Viewer, constellationId: string, householdId: string): boolean {
  return !isCarer(v) || isHubCarerOf(v, constellationId) || householdId === v.householdId;
}

/** Writing a sleepover up afterwards: the hub carer, the liaison worker or staff; never satellite carers. */
export function mayWriteUp(v: Viewer, constellationId: string): boolean {
  return runsConstellation(v, constellationId) || isStaff(v);
}

/** Cancelling: whoever asked for it, or the hub carer, the liaison worker or a manager. */
export function mayCancelSleepover(v: Viewer, constellationId: string, requestedById: string | null | undefined): boolean {
  return requestedById === v.userId || runsConstellation(v, constellationId);
}

/**
 * Whether the viewer sees who a sleepover is for (children, household, requester, notes, decision
 * reason): staff who may see it at all, the hub carer hosting it, and the carers of its household.
 * Anyone else who can see it (a satellite carer of the same constellation) sees only the booked nights.
 */
export function seesSleepoverDetails(v: Viewer | null, constellationId: string, householdId: string): boolean {
  if (!v) return false;
  return isStaff(v) || hubConstellationOf(v) === constellationId || (v.householdId !== null && v.householdId === householdId);
}

/** Why the hub's nights are closed is the hub's business: staff and its hub carer, not its satellite carers. */
export function seesBlockedReason(v: Viewer | null, constellationId: string): boolean {
  return !!v && (isStaff(v) || hubConstellationOf(v) === constellationId);
}

/**
 * The children of a sleepover, as this viewer may see them. A child is shown as the child is
 * shown anywhere else (the viewer may see the child: childVisible). Besides that, the hub carer
 * and the liaison worker of the hosting constellation may know, while the sleepover is open
 * (requested or confirmed, last night not past), the first name, age and sleepoverNotes of the
 * children they host — a cover sleepover brings them children of another constellation, whose
 * reference, date of birth and stability are not theirs to read. Anyone else is shown nothing.
 */
export function childrenOfSleepoverFor(v: Viewer | null, sleepover: { constellationId: string; open: boolean }, children: { child: Child; viewerSeesChild: boolean }[]): Child[] {
  if (!v) return [];
  const hosts = sleepover.open && (isHubCarerOf(v, sleepover.constellationId) || isLiaisonFor(v, sleepover.constellationId));
  const out: Child[] = [];
  for (const { child, viewerSeesChild } of children) {
    if (viewerSeesChild) out.push(child);
    else if (hosts) out.push(narrowChild(child));
  }
  return out;
}

/**
 * The hosting constellation of a sleepover, for a viewer outside it (a carer whose child stays
 * at another constellation's hub as cover): where the child goes — its name, its hub — and not
 * the hub's night-by-night availability or its liaison worker's contact details.
 */
const seenThroughCover = new WeakSet<object>();

export function hostingConstellationFor(v: Viewer | null, k: Constellation | null): Constellation | null {
  if (!v || !k) return k;
  const scope = constellationScope(v);
  if (scope === null || scope.includes(k.id)) return k;
  const limited = Object.assign(Object.create(Object.getPrototypeOf(k)) as Constellation, k);
  seenThroughCover.add(limited);
  return limited;
}

/** True for a constellation seen only as the host of the viewer's cover sleepover. */
export function isSeenThroughCover(k: Constellation): boolean {
  return seenThroughCover.has(k);
}
