import type { Tx } from './mutation';

/**
 * What follows from a change (DESIGN.md, cascades). The capability that makes the change raises
 * the event inside its transaction; capabilities that hold dependent data (sleepovers, sessions)
 * subscribe and act in the same transaction, so the change and its consequences commit together.
 */
export type CascadeEvent =
  /** A placement ended: the child's active sleepovers from `from` on are no longer valid. */
  | { kind: 'placementEnded'; childId: string; householdId: string | null; from: string; reason: string }
  /** A household left a constellation (or its membership was cut short) from `from`. */
  | { kind: 'membershipEnded'; constellationId: string; householdId: string; from: string; reason: string }
  /** A household was deregistered or put ON_HOLD: no sleepovers or RSVPs from `from`. */
  | { kind: 'householdUnavailable'; householdId: string; from: string; reason: string }
  /** A constellation was PAUSED or CLOSED (or reopened). */
  | { kind: 'constellationStatusChanged'; constellationId: string; status: string; from: string; reason: string }
  /** A constellation's hub household changed from `from`. */
  | { kind: 'hubChanged'; constellationId: string; oldHubHouseholdId: string | null; newHubHouseholdId: string; from: string }
  /**
   * The hub's bed count is about to change. Raised before beds are removed (a handler refuses, by
   * throwing a UserFacingError, when future nights need them, or moves claims onto remaining beds)
   * and after beds are added.
   */
  | { kind: 'sleepoverBedsChanged'; constellationId: string; from: number; to: number }
  /**
   * What a household may look after from `from` changed — its approval or status, or a child was
   * placed with it — and the change is already written. A handler refuses (by throwing a
   * UserFacingError) when what is booked no longer fits; `field` is the input it names.
   */
  | { kind: 'householdCapacityChanged'; householdId: string; from: string; field: string[] };

type Handler = (tx: Tx, event: CascadeEvent) => Promise<void>;
const handlers: Handler[] = [];

/**
 * Registered when a capability's `<module>.cascades.ts` loads; those files are listed in
 * src/app/handlers.ts, as the scheduled reminders are.
 */
export function onCascade(handler: Handler): void {
  handlers.push(handler);
}

export async function cascade(tx: Tx, event: CascadeEvent): Promise<void> {
  for (const h of handlers) await h(tx, event);
}
