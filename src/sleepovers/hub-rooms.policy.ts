import { hubConstellationOf, isStaff, runsConstellation, type Viewer } from '../auth/viewer';

/**
 * The hub's rooms night by night (which beds are free in which room) are for the people who place
 * children in them: staff and the hub carer; satellite carers see bed counts only.
 */
export function seesRoomNights(v: Viewer | null, constellationId: string): boolean {
  return !!v && (isStaff(v) || hubConstellationOf(v) === constellationId);
}

/** Setting the rooms: the hub carer, the liaison worker or a manager. */
export function maySetRooms(v: Viewer, constellationId: string): boolean {
  return runsConstellation(v, constellationId);
}
