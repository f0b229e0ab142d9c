import { registerEnumType } from 'type-graphql';

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
registerEnumType(ConstellationStatus, {
  name: 'ConstellationStatus',
  valuesConfig: {
    PAUSED: { description: 'No new sleepovers can be requested; confirmed ones stand.' },
    CLOSED: { description: 'Future sleepovers and sessions are cancelled when a constellation closes.' },
  },
});
