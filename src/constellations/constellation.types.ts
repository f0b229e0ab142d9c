import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { Constellation } from './constellation.entity';
import { ConstellationStatus } from './enums';
import { ConstellationMembership } from './membership.entity';

export const { ConnectionType: ConstellationConnection, EdgeType: ConstellationEdge } = connectionTypes('Constellation', Constellation, 'Ordered by name.');
export const { ConnectionType: ConstellationMembershipConnection, EdgeType: ConstellationMembershipEdge } = connectionTypes(
  'ConstellationMembership',
  ConstellationMembership,
  'Ordered by household name.',
);

@InputType()
export class CreateConstellationInput {
  @Field(() => String) name!: string;
  @Field(() => ID) hubHouseholdId!: string;
  @Field(() => ID, { nullable: true }) liaisonWorkerId?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 2 }) sleepoverBeds?: number | null;
  @Field(() => DateScalar, { nullable: true }) launchedOn?: string | null;
  @Field(() => ConstellationStatus, { nullable: true, defaultValue: ConstellationStatus.FORMING }) status?: ConstellationStatus | null;
}

@InputType()
export class UpdateConstellationInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => ConstellationStatus, { nullable: true }) status?: ConstellationStatus | null;
  @Field(() => ID, { nullable: true }) liaisonWorkerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A new hub household from `hubChangedOn` (today when omitted); future confirmed sleepovers move with the hub.' })
  hubHouseholdId?: string | null;
  @Field(() => DateScalar, { nullable: true }) hubChangedOn?: string | null;
  @Field(() => Int, { nullable: true, description: 'Refused when some future night has more confirmed sleepover children than the new number.' })
  sleepoverBeds?: number | null;
}

@InputType()
export class ConstellationMemberInput {
  @Field(() => ID) constellationId!: string;
  @Field(() => ID) householdId!: string;
  @Field(() => DateScalar, { nullable: true, description: 'joinedOn when adding, leftOn when removing; today when omitted.' })
  date?: string | null;
}

@ObjectType()
export class ConstellationPayload {
  @Field(() => Constellation, { nullable: true }) constellation?: Constellation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
