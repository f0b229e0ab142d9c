import { registerEnum } from '../platform/graphql/enums';

export enum ConstellationStatus {
  FORMING = 'FORMING',
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  CLOSED = 'CLOSED',
}
export enum MembershipRole {
  HUB = 'HUB',
  SATELLITE = 'SATELLITE',
}

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnum(ConstellationStatus, 'ConstellationStatus', {
  values: {
    FORMING: null,
    ACTIVE: null,
    PAUSED: 'No new sleepovers can be requested; confirmed ones stand.',
    CLOSED: 'Future sleepovers and sessions are cancelled when a constellation closes.',
  },
});
