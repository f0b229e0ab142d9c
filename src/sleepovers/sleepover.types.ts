import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { SleepoverEventKind, SleepoverKind, SleepoverStatus } from './enums';
import { Sleepover } from './sleepover.entity';

/** One night at a hub: plain data, so an idempotent replay can store and return it as it is. */
@ObjectType({ description: 'One night at a hub home: the night of `date`, ending the morning after.' })
export class BedNight {
  @Field(() => DateScalar) date!: string;
  @Field(() => Int) bedsTotal!: number;
  @Field(() => Int) bedsBooked!: number;
  @Field(() => Int) bedsFree!: number;
  @Field(() => Boolean, { description: 'The hub has closed this night (holiday, illness); nothing can be confirmed on it.' })
  blocked!: boolean;
  /** Which hub the night belongs to, and the reason as stored; the resolver decides who reads it. */
  constellationId!: string;
  reason!: string | null;
  /** Beds held by sleepover children that night, for the rooms a hub carer sees. */
  takenBeds!: number[];
}

@InputType()
export class SleepoverFilter {
  @Field(() => [SleepoverStatus], { nullable: true }) status?: SleepoverStatus[] | null;
  @Field(() => DateScalar, { nullable: true, description: 'Sleepovers with at least one night in [from, to).' }) from?: string | null;
  @Field(() => DateScalar, { nullable: true }) to?: string | null;
  @Field(() => ID, { nullable: true }) childId?: string | null;
}

export const { ConnectionType: SleepoverConnection, EdgeType: SleepoverEdge } = connectionTypes('Sleepover', Sleepover, 'Ordered by startDate, then createdAt.');

@InputType()
export class RequestSleepoverInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => [ID], { description: '1 to sleepoverBeds children placed with the same household; all stay or none.' }) childIds!: string[];
  @Field(() => DateScalar) startDate!: string;
  @Field(() => DateScalar) endDate!: string;
  @Field(() => SleepoverKind, { nullable: true, defaultValue: SleepoverKind.PLANNED }) kind?: SleepoverKind | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => String, { nullable: true, description: 'Staff only: book a child of another constellation (cover while its hub is away), with why.' })
  coverReason?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Hub carer, liaison worker or staff: write up a sleepover whose first night is before tonight (as\nthe 08:00 rule defines tonight), up to 7 nights back; it is CONFIRMED at once under the same rules,\nand flagged recordedAfterwards.',
  })
  recordedAfterwards?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Managers only, in an emergency: the hub may take a child outside its terms of approval (age,\nnumber) for up to 6 working days (Care Planning, Placement and Case Review (England) Regulations\n2010, regulation 23), with why. The fostering limit still holds.',
  })
  approvalOverrideReason?: string | null;
}

@InputType()
export class SleepoverDecisionInput {
  @Field(() => ID) sleepoverId!: string;
  @Field(() => [Int], { nullable: true, description: 'Confirm only: the beds to use, one per child; free beds are chosen when omitted.' })
  beds?: number[] | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@ObjectType()
export class SleepoverPayload {
  @Field(() => Sleepover, { nullable: true }) sleepover?: Sleepover | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class HubNightsInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => DateScalar, { description: 'Nights [from, to).' }) from!: string;
  @Field(() => DateScalar) to!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@ObjectType()
export class AvailabilityPayload {
  @Field(() => [BedNight], { nullable: true }) availability?: BedNight[] | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

/**
 * What travels over the pub/sub (in-process or Redis): ids and kinds only. Each subscriber loads
 * what it may see, with a context of its own, when the event reaches it.
 */
export interface SleepoverEventMessage {
  kind: SleepoverEventKind;
  organisationId: string;
  constellationId: string;
  sleepoverId: string | null;
  /** The sleepover's household, so a carer's own sleepovers reach them. */
  householdId: string | null;
  /** The nights whose availability changed, [from, to); null when none did. */
  from: string | null;
  to: string | null;
  at: string;
}

/** The event as the GraphQL layer resolves it for one subscriber. */
@ObjectType({ description: 'Delivered at most once; clients refetch what they show after a reconnect.' })
export class SleepoverEvent {
  @Field(() => SleepoverEventKind) kind!: SleepoverEventKind;
  @Field(() => Date) at!: Date;
  message!: SleepoverEventMessage;
}
