import type { NonEmptyArray } from 'type-graphql';
import type { ResolverClass } from '../platform/graphql/schema';
// Every resolver class, listed explicitly. Each capability adds its own here.
import { AuditResolver } from '../audit/audit.resolver';
import { AuthResolver } from '../auth/auth.resolver';
import { ChildResolver, ConstellationChildrenResolver } from '../children/child.resolver';
import { ConstellationMembershipResolver, ConstellationResolver } from '../constellations/constellation.resolver';
import { CarerResolver, HouseholdResolver } from '../households/household.resolver';
import { PlacementHistoryResolver } from '../placements/history.resolver';
import { PlacementResolver } from '../placements/placement.resolver';
import { NotificationResolver, UserNotificationsResolver } from '../notifications/notification.resolver';
import { MatchingResolver } from '../matching/matching.resolver';
import { NodeResolver } from '../platform/graphql/node.resolver';
import { ChildStabilityResolver, ConstellationStabilityResolver, StabilityResolver } from '../stability/stability.resolver';
import { BedNightResolver, ConstellationSleepoversResolver, SleepoverEventResolver, SleepoverResolver } from '../sleepovers/sleepover.resolver';
import { UserResolver } from '../users/user.resolver';
import { ConstellationSessionsResolver, PeerSupportSessionResolver, SessionRsvpResolver } from '../sessions/session.resolver';
import { CalendarResolver } from '../calendar/calendar.resolver';
import { ChildNeedsResolver, HouseholdSkillsResolver } from '../matching/needs.resolver';
import { ChildHubBookingsResolver, ConstellationVenueResolver, HubBookingEventResolver, HubBookingResolver } from '../venue/venue.resolver';
import { ChildConsentResolver, SleepoverConsentResolver } from '../sleepovers/consent.resolver';
import { FosteringLimitExemptionResolver, HouseholdExemptionsResolver } from '../sleepovers/fostering-limit.resolver';
import { BedNightRoomsResolver, ConstellationRoomsResolver } from '../sleepovers/hub-rooms.resolver';
import { ConstellationSupportLogResolver, HouseholdSupportLogResolver, SupportLogEntryResolver } from '../support/support.resolver';
import { ConstellationReturnResolver } from '../returns/returns.resolver';

export const resolvers: NonEmptyArray<ResolverClass> = [
  NodeResolver,
  AuthResolver,
  UserResolver,
  HouseholdResolver,
  CarerResolver,
  ConstellationResolver,
  ConstellationMembershipResolver,
  ConstellationChildrenResolver,
  ChildResolver,
  PlacementResolver,
  AuditResolver,
  PeerSupportSessionResolver,
  SessionRsvpResolver,
  ConstellationSessionsResolver,
  CalendarResolver,
  NotificationResolver,
  UserNotificationsResolver,
  MatchingResolver,
  PlacementHistoryResolver,
  SleepoverResolver,
  SleepoverEventResolver,
  BedNightResolver,
  ConstellationSleepoversResolver,
  StabilityResolver,
  ConstellationStabilityResolver,
  ChildStabilityResolver,
  ChildNeedsResolver,
  HouseholdSkillsResolver,
  HubBookingResolver,
  HubBookingEventResolver,
  ConstellationVenueResolver,
  ChildHubBookingsResolver,
  SleepoverConsentResolver,
  ChildConsentResolver,
  FosteringLimitExemptionResolver,
  HouseholdExemptionsResolver,
  ConstellationRoomsResolver,
  BedNightRoomsResolver,
  SupportLogEntryResolver,
  ConstellationSupportLogResolver,
  HouseholdSupportLogResolver,
  ConstellationReturnResolver,
];
