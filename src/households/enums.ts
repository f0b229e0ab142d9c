import { registerEnumType } from 'type-graphql';

export enum HouseholdStatus {
  IN_ASSESSMENT = 'IN_ASSESSMENT',
  TEMPORARILY_APPROVED = 'TEMPORARILY_APPROVED',
  APPROVED = 'APPROVED',
  ON_HOLD = 'ON_HOLD',
  DEREGISTERED = 'DEREGISTERED',
}
export enum DeregistrationReason {
  RETIREMENT = 'RETIREMENT',
  PERSONAL_CIRCUMSTANCES = 'PERSONAL_CIRCUMSTANCES',
  DISSATISFIED_WITH_SERVICE = 'DISSATISFIED_WITH_SERVICE',
  TRANSFERRED_TO_ANOTHER_PROVIDER = 'TRANSFERRED_TO_ANOTHER_PROVIDER',
  BECAME_ADOPTERS_OR_GUARDIANS = 'BECAME_ADOPTERS_OR_GUARDIANS',
  APPROVAL_TERMINATED = 'APPROVAL_TERMINATED',
  OTHER = 'OTHER',
}

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnumType(HouseholdStatus, {
  name: 'HouseholdStatus',
  valuesConfig: { TEMPORARILY_APPROVED: { description: 'Temporary approval of a connected person for a named child (Regulation 24).' } },
});
registerEnumType(DeregistrationReason, { name: 'DeregistrationReason' });
