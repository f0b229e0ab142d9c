// Every MikroORM entity, listed explicitly (no file globbing: the same list works under ts-node,
// ts-jest and compiled JavaScript). Each capability adds its own entities here.
import { AuditEvent } from '../audit/audit-event.entity';
import { Child } from '../children/child.entity';
import { ChildSibling } from '../children/sibling.entity';
import { Constellation } from '../constellations/constellation.entity';
import { HubBed } from '../constellations/hub-bed.entity';
import { ConstellationMembership } from '../constellations/membership.entity';
import { Carer } from '../households/carer.entity';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Placement } from '../placements/placement.entity';
import { BedClaim } from '../sleepovers/bed-claim.entity';
import { SleepoverChild } from '../sleepovers/sleepover-child.entity';
import { Sleepover } from '../sleepovers/sleepover.entity';
import { IdempotencyKey } from '../platform/idempotency/idempotency-key.entity';
import { User } from '../users/user.entity';
import { PeerSupportSession } from '../sessions/session.entity';
import { SessionRsvp } from '../sessions/rsvp.entity';
import { CalendarFeed } from '../calendar/calendar-feed.entity';
import { Notification, NotificationDelivery, NotificationPreference, PushSubscription } from '../notifications/notification.entity';
import { ChildNeed, HouseholdSkill } from '../matching/needs.entity';
import { HubBooking, HubBookingChild, HubVenueRules } from '../venue/hub-booking.entity';
import { SleepoverConsent } from '../sleepovers/consent.entity';
import { FosteringLimitExemption, FosteringLimitExemptionChild } from '../sleepovers/fostering-limit-exemption.entity';
import { HubRoomRow } from '../constellations/hub-room.entity';
import { SupportLogEntry } from '../support/support.entity';
import { TrustedDocument } from '../documents/trusted-document.entity';

export const entities = [
  Organisation,
  User,
  Household,
  Carer,
  Constellation,
  HubBed,
  ConstellationMembership,
  Child,
  ChildSibling,
  Placement,
  AuditEvent,
  Sleepover,
  SleepoverChild,
  BedClaim,
  IdempotencyKey,
  PeerSupportSession,
  SessionRsvp,
  CalendarFeed,
  Notification,
  NotificationDelivery,
  NotificationPreference,
  PushSubscription,
  ChildNeed,
  HouseholdSkill,
  HubBooking,
  HubBookingChild,
  HubVenueRules,
  SleepoverConsent,
  FosteringLimitExemption,
  FosteringLimitExemptionChild,
  HubRoomRow,
  SupportLogEntry,
  TrustedDocument,
];
