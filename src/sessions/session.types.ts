import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar, DateTimeScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { PeerSupportSessionEventKind, PeerSupportSessionKind, WeekOfMonth, Weekday } from './enums';
import { SessionRsvp } from './rsvp.entity';
import { PeerSupportSession } from './session.entity';

export const { ConnectionType: PeerSupportSessionConnection, EdgeType: PeerSupportSessionEdge } = connectionTypes('PeerSupportSession', PeerSupportSession, 'Ordered by startsAt.');

@InputType()
export class PeerSupportSessionFilter {
  @Field(() => DateTimeScalar, { nullable: true, description: 'Sessions starting in [from, to).' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
  @Field(() => [PeerSupportSessionKind], { nullable: true }) kind?: PeerSupportSessionKind[] | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeCancelled?: boolean | null;
}

@InputType()
export class SchedulePeerSupportSessionInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => PeerSupportSessionKind) kind!: PeerSupportSessionKind;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateTimeScalar) startsAt!: Date;
  @Field(() => DateTimeScalar) endsAt!: Date;
  @Field(() => String, { nullable: true }) location?: string | null;
  @Field(() => Int, { nullable: true }) capacity?: number | null;
}

@InputType()
export class MonthlyRecurrenceInput {
  @Field(() => WeekOfMonth, { description: 'e.g. SECOND TUESDAY.' }) week!: WeekOfMonth;
  @Field(() => Weekday) weekday!: Weekday;
  @Field(() => String, { description: 'Local start time in Europe/London, HH:MM.' }) startTime!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => DateScalar, { description: 'First month: the series starts on the first matching day on or after this date.' }) firstDate!: string;
  @Field(() => Int, { description: '1 to 24 sessions.' }) count!: number;
}

@InputType()
export class SchedulePeerSupportSeriesInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => PeerSupportSessionKind) kind!: PeerSupportSessionKind;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) location?: string | null;
  @Field(() => Int, { nullable: true }) capacity?: number | null;
  @Field(() => MonthlyRecurrenceInput) recurrence!: MonthlyRecurrenceInput;
}

@InputType()
export class UpdatePeerSupportSessionInput {
  @Field(() => ID) sessionId!: string;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) startsAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) endsAt?: Date | null;
  @Field(() => String, { nullable: true }) location?: string | null;
  @Field(() => Int, { nullable: true, description: 'Raising it promotes the waitlist; lowering it below goingCount is refused.' }) capacity?: number | null;
}

@InputType()
export class CancelPeerSupportSessionInput {
  @Field(() => ID) sessionId!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType()
export class RsvpInput {
  @Field(() => ID) sessionId!: string;
  @Field(() => ID, { nullable: true, description: "The caller's own carer record when omitted; otherwise a carer of the caller's household." }) carerId?: string | null;
  @Field(() => Boolean) going!: boolean;
  @Field(() => Int, { nullable: true, defaultValue: 0 }) childCount?: number | null;
}

@InputType()
export class RecordAttendanceInput {
  @Field(() => ID) sessionId!: string;
  @Field(() => [ID]) attendedCarerIds!: string[];
}

@ObjectType()
export class PeerSupportSessionPayload {
  @Field(() => PeerSupportSession, { nullable: true }) session?: PeerSupportSession | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class PeerSupportSeriesPayload {
  @Field(() => [PeerSupportSession], { nullable: true }) sessions?: PeerSupportSession[] | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class RsvpPayload {
  @Field(() => SessionRsvp, { nullable: true }) rsvp?: SessionRsvp | null;
  @Field(() => PeerSupportSession, { nullable: true }) session?: PeerSupportSession | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'Delivered at most once; clients refetch what they show after a reconnect.' })
export class PeerSupportSessionEvent {
  @Field(() => PeerSupportSessionEventKind) kind!: PeerSupportSessionEventKind;
  @Field(() => PeerSupportSession) session!: PeerSupportSession;
  @Field(() => DateTimeScalar) at!: Date;
}
