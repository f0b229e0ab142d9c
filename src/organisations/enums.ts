import { registerEnumType } from 'type-graphql';

export enum OrganisationKind {
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
  INDEPENDENT_FOSTERING_AGENCY = 'INDEPENDENT_FOSTERING_AGENCY',
}

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });
