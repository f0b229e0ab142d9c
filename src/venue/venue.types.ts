import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { HubBookingEventKind, HubBookingOutcome, HubBookingPurpose, HubBookingStatus } from './enums';
import { HubBooking } from './hub-booking.entity';
import type { BookingAudience } from './venue.policy';

@ObjectType('HubVenue', { description: "The hub home's own rules for daytime use, set by its hub carer (or the liaison worker)." })
export class HubVenue {
  @Field(() => Boolean, { description: "Birth-family time at the hub shows the family the hub's address: only when the hub carer allows it." })
  familyTimeAllowed!: boolean;
  @Field(() => String, { description: 'Opening hours, London time, "HH:MM".' })
  opensAt!: string;
  @Field(() => String)
  closesAt!: string;
}

@InputType()
export class HubBookingFilter {
  @Field(() => [HubBookingStatus], { nullable: true }) status?: HubBookingStatus[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Bookings overlapping [from, to).' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
  @Field(() => [HubBookingPurpose], { nullable: true }) purpose?: HubBookingPurpose[] | null;
}

export const { ConnectionType: HubBookingConnection, EdgeType: HubBookingEdge } = connectionTypes('HubBooking', HubBooking);

@InputType()
export class UpdateHubVenueInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => Boolean, { nullable: true }) familyTimeAllowed?: boolean | null;
  @Field(() => String, { nullable: true }) opensAt?: string | null;
  @Field(() => String, { nullable: true }) closesAt?: string | null;
}

@InputType()
export class RequestHubBookingInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => HubBookingPurpose) purpose!: HubBookingPurpose;
  @Field(() => DateTimeScalar) startsAt!: Date;
  @Field(() => DateTimeScalar) endsAt!: Date;
  @Field(() => [ID], {
    description: 'At least one, except for MEETING and OTHER; for SIBLING_CONTACT two or more siblings of each other,\nfrom any household of the organisation.',
  })
  childIds!: string[];
  @Field(() => String, { nullable: true }) supervisor?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class HubBookingDecisionInput {
  @Field(() => ID) bookingId!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType()
export class RecordHubBookingOutcomeInput {
  @Field(() => ID) bookingId!: string;
  @Field(() => HubBookingOutcome) outcome!: HubBookingOutcome;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@ObjectType()
export class HubBookingPayload {
  @Field(() => HubBooking, { nullable: true }) booking?: HubBooking | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

/** What travels over the pub/sub (in-process or Redis): ids and kinds only; each subscriber loads what it may see. */
export interface HubBookingEventMessage extends BookingAudience {
  kind: HubBookingEventKind;
  bookingId: string;
  at: string;
}

@ObjectType({ description: 'Delivered at most once; clients refetch what they show after a reconnect.' })
export class HubBookingEvent {
  @Field(() => HubBookingEventKind) kind!: HubBookingEventKind;
  @Field(() => DateTimeScalar) at!: Date;
  message!: HubBookingEventMessage;
  /** The booking as this subscriber may see it, loaded when deciding to deliver. */
  booking!: HubBooking;
}
