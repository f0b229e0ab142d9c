import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { PlacementEndReason, PlacementKind, PlacementSetting } from './enums';
import { Placement } from './placement.entity';

@InputType()
export class StartPlacementInput {
  @Field(() => ID) childId!: string;
  @Field(() => ID, { nullable: true, description: 'Required when setting is FOSTER_HOUSEHOLD.' }) householdId?: string | null;
  @Field(() => PlacementSetting, { nullable: true, defaultValue: PlacementSetting.FOSTER_HOUSEHOLD }) setting?: PlacementSetting | null;
  @Field(() => String, { nullable: true }) providerName?: string | null;
  @Field(() => PlacementKind) kind!: PlacementKind;
  @Field(() => DateScalar) startDate!: string;
  @Field(() => String, { nullable: true, description: 'Placing with a hub household is refused unless a manager gives a reason here.' })
  hubOverrideReason?: string | null;
}

@InputType()
export class EndPlacementInput {
  @Field(() => ID) placementId!: string;
  @Field(() => DateScalar, { description: 'The day the child moved on.' }) endDate!: string;
  @Field(() => PlacementEndReason) reason!: PlacementEndReason;
  @Field(() => Boolean) unplanned!: boolean;
}

@ObjectType()
export class PlacementPayload {
  @Field(() => Placement, { nullable: true }) placement?: Placement | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
