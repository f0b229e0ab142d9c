import { refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Constellation } from './constellation.entity';
import { ConstellationStatus } from './enums';

/**
 * PAUSED and CLOSED constellations take nothing new at the hub (sleepovers, bookings); what is
 * already confirmed stands until a cascade says otherwise.
 */
export function refuseUnlessTakingNew(k: Constellation, what: string, field: string[]): void {
  if (k.status === ConstellationStatus.PAUSED) refuse(UserErrorCode.INVALID_STATE, `${k.name} is paused: it takes no new ${what}.`, field);
  if (k.status === ConstellationStatus.CLOSED) refuse(UserErrorCode.INVALID_STATE, `${k.name} is closed.`, field);
}
