import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar, DateTimeScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { SupportLogEntry } from './support.entity';
import { SupportChannel, SupportTopic } from './support.enums';

export const { ConnectionType: SupportLogEntryConnection, EdgeType: SupportLogEntryEdge } = connectionTypes('SupportLogEntry', SupportLogEntry, 'Newest first.');

@InputType()
export class SupportLogFilter {
  @Field(() => ID, { nullable: true }) householdId?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Entries with `at` in [from, to).' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
  @Field(() => Boolean, { nullable: true }) safeguarding?: boolean | null;
  @Field(() => Boolean, { nullable: true }) placementAtRisk?: boolean | null;
  @Field(() => DateScalar, { nullable: true, description: 'Entries whose follow-up is due on or before this date.' }) followUpDueOnOrBefore?: string | null;
}

@InputType()
export class RecordSupportInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => ID) householdId!: string;
  @Field(() => ID, { nullable: true }) childId?: string | null;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => SupportChannel) channel!: SupportChannel;
  @Field(() => Boolean, { nullable: true, description: 'Derived from `at` when omitted (bank holidays only when given).' }) outOfHours?: boolean | null;
  @Field(() => [SupportTopic]) topics!: SupportTopic[];
  @Field(() => String) summary!: string;
  @Field(() => String, { nullable: true }) action?: string | null;
  @Field(() => DateScalar, { nullable: true }) followUpOn?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) placementAtRisk?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) wouldHaveEnded?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) wouldHaveResigned?: boolean | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) safeguarding?: boolean | null;
  @Field(() => String, { nullable: true }) escalatedTo?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) escalatedAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The earlier entry this one corrects (the latest version of its chain).' }) amendsId?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'With amendsId: the entry was made in error and is withdrawn.' }) recordedInError?: boolean | null;
}

@ObjectType()
export class SupportLogPayload {
  @Field(() => SupportLogEntry, { nullable: true }) entry?: SupportLogEntry | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
