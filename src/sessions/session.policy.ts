import { isCarer, type Viewer } from '../auth/viewer';

/**
 * Who answers for whom about peer support sessions. Which sessions a viewer reaches at all is
 * decided in SQL (constellationVisible in src/auth/scope.ts, through the session's constellation);
 * scheduling, changing, cancelling and recording attendance are for those who run the
 * constellation (runsConstellation in src/auth/viewer.ts).
 */

/** RSVPs are carers' to give: staff do not RSVP. */
export function mayRsvp(v: Viewer): boolean {
  return isCarer(v) && !!v.householdId;
}

/** A carer answers for the carers of their own household only. */
export function answersFor(v: Viewer, carerHouseholdId: string): boolean {
  return carerHouseholdId === v.householdId;
}
