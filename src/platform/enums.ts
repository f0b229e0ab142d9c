import { registerEnumType } from 'type-graphql';

// The contract's enums, in one place so entities, services and resolvers share one definition.

export enum Role {
  ADMIN = 'ADMIN',
  FOSTERING_MANAGER = 'FOSTERING_MANAGER',
  SUPERVISING_SOCIAL_WORKER = 'SUPERVISING_SOCIAL_WORKER',
  LIAISON_WORKER = 'LIAISON_WORKER',
  CARER = 'CARER',
}
export enum OrganisationKind {
  LOCAL_AUTHORITY = 'LOCAL_AUTHORITY',
  INDEPENDENT_FOSTERING_AGENCY = 'INDEPENDENT_FOSTERING_AGENCY',
}
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
export enum PlacementKind {
  EMERGENCY = 'EMERGENCY',
  SHORT_TERM = 'SHORT_TERM',
  LONG_TERM = 'LONG_TERM',
  RESPITE = 'RESPITE',
  PARENT_AND_CHILD = 'PARENT_AND_CHILD',
  REMAND = 'REMAND',
}
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
export enum PlacementEndReason {
  CARPL = 'CARPL',
  PLACE = 'PLACE',
  CREQB = 'CREQB',
  CREQO = 'CREQO',
  CHILD = 'CHILD',
  LAREQ = 'LAREQ',
  STAND = 'STAND',
  CLOSE = 'CLOSE',
  ALLEG = 'ALLEG',
  APPRR = 'APPRR',
  CUSTOD = 'CUSTOD',
  LEFT_CARE = 'LEFT_CARE',
  OTHER = 'OTHER',
}
export enum PlacementSetting {
  FOSTER_HOUSEHOLD = 'FOSTER_HOUSEHOLD',
  OTHER_FOSTERING_PROVIDER = 'OTHER_FOSTERING_PROVIDER',
  RESIDENTIAL = 'RESIDENTIAL',
  SECURE = 'SECURE',
  SUPPORTED_ACCOMMODATION = 'SUPPORTED_ACCOMMODATION',
  WITH_PARENTS = 'WITH_PARENTS',
  HOSPITAL = 'HOSPITAL',
  OTHER = 'OTHER',
}

registerEnumType(Role, { name: 'Role' });
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });
registerEnumType(HouseholdStatus, { name: 'HouseholdStatus' });
registerEnumType(DeregistrationReason, { name: 'DeregistrationReason' });
registerEnumType(PlacementKind, { name: 'PlacementKind' });
registerEnumType(ConstellationStatus, { name: 'ConstellationStatus' });
registerEnumType(PlacementEndReason, { name: 'PlacementEndReason' });
registerEnumType(PlacementSetting, { name: 'PlacementSetting' });

export const STAFF_ROLES: readonly Role[] = [
  Role.ADMIN,
  Role.FOSTERING_MANAGER,
  Role.SUPERVISING_SOCIAL_WORKER,
  Role.LIAISON_WORKER,
];
/** Staff who read across the whole organisation (a liaison worker sees only their constellations). */
export const ORG_WIDE_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];
export const MANAGER_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER];
