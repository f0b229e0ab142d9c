import { registerEnum } from '../platform/graphql/enums';

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
registerEnum(HouseholdStatus, 'HouseholdStatus', {
  values: {
    IN_ASSESSMENT: null,
    TEMPORARILY_APPROVED: 'Temporary approval of a connected person for a named child (Regulation 24).',
    APPROVED: null,
    ON_HOLD: null,
    DEREGISTERED: null,
  },
});
registerEnum(DeregistrationReason, 'DeregistrationReason');
