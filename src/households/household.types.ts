import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PlacementKind } from '../placements/enums';
import { connectionTypes } from '../platform/graphql/connection';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { DeregistrationReason, HouseholdStatus } from './enums';
import { Household } from './household.entity';

@ObjectType()
export class Approval {
  @Field(() => Int) minAge!: number;
  @Field(() => Int) maxAge!: number;
  @Field(() => Int, { description: 'How many children may live in the household at once.' }) maxChildren!: number;
  @Field(() => [PlacementKind]) kinds!: PlacementKind[];
}

@InputType()
export class HouseholdFilter {
  @Field(() => [HouseholdStatus], { nullable: true }) status?: HouseholdStatus[] | null;
  @Field(() => ID, { nullable: true }) constellationId?: string | null;
  @Field(() => Boolean, { nullable: true }) hasVacancy?: boolean | null;
  @Field(() => String, { nullable: true, description: "Case-insensitive match on the household's or a carer's name." })
  search?: string | null;
}

export const { ConnectionType: HouseholdConnection, EdgeType: HouseholdEdge } = connectionTypes('Household', Household, 'Ordered by name.');

@InputType()
export class ApprovalInput {
  @Field(() => Int) minAge!: number;
  @Field(() => Int) maxAge!: number;
  @Field(() => Int) maxChildren!: number;
  @Field(() => [PlacementKind]) kinds!: PlacementKind[];
}

@InputType()
export class CreateHouseholdInput {
  @Field(() => String) name!: string;
  @Field(() => String) postcodeDistrict!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) isKinship?: boolean | null;
  @Field(() => HouseholdStatus, { nullable: true, defaultValue: HouseholdStatus.IN_ASSESSMENT }) status?: HouseholdStatus | null;
  @Field(() => ApprovalInput, { nullable: true }) approval?: ApprovalInput | null;
  @Field(() => DateScalar, { nullable: true }) approvedOn?: string | null;
  @Field(() => ID, { nullable: true }) supervisingSocialWorkerId?: string | null;
  @Field(() => [String], { nullable: true, defaultValue: [] }) carerNames?: string[] | null;
}

@InputType()
export class UpdateHouseholdInput {
  @Field(() => ID) householdId!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) postcodeDistrict?: string | null;
  @Field(() => HouseholdStatus, { nullable: true }) status?: HouseholdStatus | null;
  @Field(() => ApprovalInput, { nullable: true }) approval?: ApprovalInput | null;
  @Field(() => DateScalar, { nullable: true }) approvedOn?: string | null;
  @Field(() => ID, { nullable: true }) supervisingSocialWorkerId?: string | null;
}

@InputType()
export class DeregisterHouseholdInput {
  @Field(() => ID) householdId!: string;
  @Field(() => DateScalar) deregisteredOn!: string;
  @Field(() => DeregistrationReason) reason!: DeregistrationReason;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class AddCarerInput {
  @Field(() => ID) householdId!: string;
  @Field(() => String) name!: string;
}

@ObjectType()
export class HouseholdPayload {
  @Field(() => Household, { nullable: true }) household?: Household | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
