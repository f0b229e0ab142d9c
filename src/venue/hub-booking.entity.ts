import { Entity, Enum, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Constellation } from '../constellations/constellation.entity';
import { TimedConstellationRecord } from '../constellations/constellation-record';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';
import { HubBookingOutcome, HubBookingPurpose, StoredHubBookingStatus } from './enums';

/**
 * Daytime use of a hub home over [startsAt, endsAt). The migration adds the generated `period`
 * tstzrange and EXCLUDE (constellation_id =, period &&) WHERE status = 'CONFIRMED', so two
 * confirmed bookings of one hub never share a moment, whatever races. Fields that depend on the
 * viewer (purpose, children, notes…) and the derived status are resolved in the resolver.
 */
@Entity({ tableName: 'hub_booking' })
@ObjectType('HubBooking', {
  implements: Node,
  description:
    'Daytime use of the hub home over [startsAt, endsAt), within one London day. Carers of households\nwith no child in it see only that the hub is busy: purpose, children, supervisor, requestedBy, notes,\ndecisionReason, outcome and outcomeNotes are null for them.',
})
export class HubBooking extends TimedConstellationRecord {
  /** The database sets these on insert (em.create needs no value for them). */
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Enum({ items: () => HubBookingPurpose })
  purpose!: HubBookingPurpose;

  @Enum({ items: () => StoredHubBookingStatus })
  status!: StoredHubBookingStatus;

  /** The Europe/London day it lies in (its start's), for the day's rules and for counting by day. */
  @Property({ type: 'date' })
  londonDay!: string;

  @Property({ type: 'text', nullable: true })
  supervisor?: string | null;

  @ManyToOne({ entity: () => User, nullable: true })
  requestedBy?: User | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;

  @Enum({ items: () => HubBookingOutcome, nullable: true })
  outcome?: HubBookingOutcome | null;

  @Property({ type: 'text', nullable: true })
  outcomeNotes?: string | null;

  @ManyToOne({ entity: () => User, nullable: true })
  outcomeRecordedBy?: User | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}

/** One child in a booking. */
@Entity({ tableName: 'hub_booking_child' })
export class HubBookingChild {
  @ManyToOne({ entity: () => HubBooking, primary: true })
  booking!: HubBooking;

  @ManyToOne({ entity: () => Child, primary: true, index: true })
  child!: Child;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;
}

/**
 * A hub home's rules for daytime use. Keyed by the constellation and the hub household: the rules
 * belong to the home, so a new hub starts from the defaults rather than inheriting another
 * family's opening hours or its consent to family time.
 */
@Entity({ tableName: 'hub_venue' })
export class HubVenueRules {
  @ManyToOne({ entity: () => Constellation, primary: true })
  constellation!: Constellation;

  @ManyToOne({ entity: () => Household, primary: true })
  household!: Household;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'boolean', default: false })
  familyTimeAllowed!: boolean;

  /** "HH:MM", London time. */
  @Property({ type: 'text' })
  opensAt!: string;

  @Property({ type: 'text' })
  closesAt!: string;

  @ManyToOne({ entity: () => User, nullable: true })
  updatedBy?: User | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
