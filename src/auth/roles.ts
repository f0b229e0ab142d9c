import { registerEnum } from '../platform/graphql/enums';

export enum Role {
  ADMIN = 'ADMIN',
  FOSTERING_MANAGER = 'FOSTERING_MANAGER',
  SUPERVISING_SOCIAL_WORKER = 'SUPERVISING_SOCIAL_WORKER',
  LIAISON_WORKER = 'LIAISON_WORKER',
  CARER = 'CARER',
}

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnum(Role, 'Role', {
  description:
    "What a login may do. Hub and liaison rights are not roles: a CARER of a constellation's hub\nhousehold is its hub carer, and the staff user named as a constellation's liaison worker is its\nliaison worker, whatever their role.",
  values: {
    ADMIN: "Runs the organisation's account: users, settings, everything below.",
    FOSTERING_MANAGER: 'Fostering team: households, children, placements and matching across the organisation.',
    SUPERVISING_SOCIAL_WORKER: 'Supervises fostering households; reads across the organisation, manages placements.',
    LIAISON_WORKER: 'Mockingbird liaison worker; sees the constellations they are assigned to.',
    CARER: 'A carer in a fostering household (a satellite, or the hub).',
  },
});

export const STAFF_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER, Role.LIAISON_WORKER];
/** Staff who read across the whole organisation (a liaison worker sees only their constellations). */
export const ORG_WIDE_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];
export const MANAGER_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER];
