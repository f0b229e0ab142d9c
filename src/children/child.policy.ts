import { Child } from './child.entity';

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
