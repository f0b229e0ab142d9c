import { registerEnum } from '../platform/graphql/enums';

export enum OrganisationKind {
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
  INDEPENDENT_FOSTERING_AGENCY = 'INDEPENDENT_FOSTERING_AGENCY',
}

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnum(OrganisationKind, 'OrganisationKind');
