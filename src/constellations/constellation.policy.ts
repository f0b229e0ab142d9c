import { isLiaisonFor, isManager, type Viewer } from '../auth/viewer';

/**
 * Who changes a constellation. Managers set constellations up and choose their members, hub, beds
 * and liaison worker (isManager); which constellations a viewer reaches at all is decided in SQL
 * (constellationVisible in src/auth/scope.ts).
 */

/** Its name, its status and removing its members: a manager, or the constellation's own liaison worker. */
export function mayManageConstellation(v: Viewer, constellationId: string | null): boolean {
  return isManager(v) || (constellationId !== null && isLiaisonFor(v, constellationId));
}
