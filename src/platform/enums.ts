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

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnumType(Role, {
  name: 'Role',
  description:
    "What a login may do. Hub and liaison rights are not roles: a CARER of a constellation's hub\nhousehold is its hub carer, and the staff user named as a constellation's liaison worker is its\nliaison worker, whatever their role.",
  valuesConfig: {
    ADMIN: { description: "Runs the organisation's account: users, settings, everything below." },
    FOSTERING_MANAGER: { description: 'Fostering team: households, children, placements and matching across the organisation.' },
    SUPERVISING_SOCIAL_WORKER: { description: 'Supervises fostering households; reads across the organisation, manages placements.' },
    LIAISON_WORKER: { description: 'Mockingbird liaison worker; sees the constellations they are assigned to.' },
    CARER: { description: 'A carer in a fostering household (a satellite, or the hub).' },
  },
});
registerEnumType(OrganisationKind, { name: 'OrganisationKind' });
registerEnumType(HouseholdStatus, {
  name: 'HouseholdStatus',
  valuesConfig: { TEMPORARILY_APPROVED: { description: 'Temporary approval of a connected person for a named child (Regulation 24).' } },
});
registerEnumType(DeregistrationReason, { name: 'DeregistrationReason' });
registerEnumType(PlacementKind, {
  name: 'PlacementKind',
  description: 'What a household is approved for, and what a child needs a placement for.',
  valuesConfig: { RESPITE: { description: "A temporary stay away from the child's placement (short breaks, a carer's holiday): never a\nplacement of its own; a return to the same carers afterwards continues the same placement." } },
});
registerEnumType(ConstellationStatus, {
  name: 'ConstellationStatus',
  valuesConfig: {
    PAUSED: { description: 'No new sleepovers can be requested; confirmed ones stand.' },
    CLOSED: { description: 'Future sleepovers and sessions are cancelled when a constellation closes.' },
  },
});
registerEnumType(PlacementEndReason, {
  name: 'PlacementEndReason',
  description: 'Why a placement ended: the reason-for-placement-change codes of the SSDA903 return.',
  valuesConfig: {
    CARPL: { description: 'Change to, or implementation of, the care plan.' },
    PLACE: { description: 'Change in the status of the placement only; same carer.' },
    CREQB: { description: "Carer requests the placement end because of the child's behaviour." },
    CREQO: { description: 'Carer requests the placement end for other reasons.' },
    CHILD: { description: 'Child requests the placement end.' },
    LAREQ: { description: 'Responsible authority requests the placement end.' },
    STAND: { description: 'Concerns about the standard of care.' },
    CLOSE: { description: 'Carer resigned or the provision closed.' },
    ALLEG: { description: 'Allegation (s47).' },
    APPRR: { description: "Carer's approval removed." },
    CUSTOD: { description: 'Custody.' },
    LEFT_CARE: { description: 'The child left care (returned home, adoption, special guardianship, independence).' },
  },
});
registerEnumType(PlacementSetting, {
  name: 'PlacementSetting',
  description:
    "Where a child lives: with one of the organisation's fostering households, or elsewhere (so that\ncare histories and stability figures are complete).",
});

export const STAFF_ROLES: readonly Role[] = [
  Role.ADMIN,
  Role.FOSTERING_MANAGER,
  Role.SUPERVISING_SOCIAL_WORKER,
  Role.LIAISON_WORKER,
];
/** Staff who read across the whole organisation (a liaison worker sees only their constellations). */
export const ORG_WIDE_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];
export const MANAGER_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER];
