import { Role } from '../auth/roles';
import { hubConstellationOf, isStaff, type Viewer } from '../auth/viewer';
import { Child } from './child.entity';

const MANAGE_CHILDREN: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];

/** Registering children and changing them: the fostering team. */
export function mayManageChildren(v: Viewer): boolean {
  return MANAGE_CHILDREN.includes(v.role);
}

/**
 * Which fields of a child the viewer may read. Which children the viewer reaches at all is decided
 * in SQL (childVisible in src/auth/scope.ts); these rules withhold fields of children reached.
 */

/**
 * A child seen through a sleepover by someone who may not see the child elsewhere (the hosting
 * hub's carer and liaison worker, while the sleepover is open): first name, age and
 * sleepoverNotes, nothing more. Such a child is a separate object carrying only those facts,
 * so a field that forgets to ask still has nothing else to show.
 */
const narrowChildren = new WeakSet<object>();

export function narrowChild(c: Child): Child {
  const narrow = Object.assign(Object.create(Child.prototype) as Child, {
    id: c.id,
    firstName: c.firstName,
    // Kept for `age`; the dateOfBirth field itself answers null for a narrow child.
    dateOfBirth: c.dateOfBirth,
    sleepoverNotes: c.sleepoverNotes ?? null,
  });
  narrowChildren.add(narrow);
  return narrow;
}

/** True for a child seen only through a sleepover: every field but firstName, age and sleepoverNotes is withheld. */
export function isNarrowChild(c: Child): boolean {
  return narrowChildren.has(c);
}

/** The case reference and date of birth: staff only (carers see `age`), never through a sleepover. */
export function canSeeChildIdentifiers(v: Viewer | null, c: Child): boolean {
  return !!v && isStaff(v) && !isNarrowChild(c);
}

/**
 * Staff, the child's own carers, and the hub carer while the child has an open sleepover at their
 * hub. The two questions needing the database are asked only when the cheaper answers are no.
 */
export async function canSeeSleepoverNotes(v: Viewer | null, placedWithViewer: () => Promise<boolean>, openSleepoverAtViewersHub: () => Promise<boolean>): Promise<boolean> {
  if (!v) return false;
  if (isStaff(v)) return true;
  if (await placedWithViewer()) return true;
  return hubConstellationOf(v) !== null && (await openSleepoverAtViewersHub());
}
