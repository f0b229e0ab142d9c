import { Field, ID, InputType, Int } from 'type-graphql';
import { NeedArea } from './needs.entity';

@InputType()
export class ChildNeedInput {
  @Field(() => NeedArea) area!: NeedArea;
  @Field(() => String, { nullable: true }) detail?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) essential?: boolean | null;
}

@InputType({ description: "Replaces the child's needs. Staff only." })
export class SetChildNeedsInput {
  @Field(() => ID) childId!: string;
  @Field(() => [ChildNeedInput]) needs!: ChildNeedInput[];
}

@InputType()
export class HouseholdSkillInput {
  @Field(() => NeedArea) area!: NeedArea;
  @Field(() => String, { nullable: true }) detail?: string | null;
}

@InputType({ description: "Replaces the household's skills; bedrooms unchanged when omitted. Staff only." })
export class SetHouseholdSkillsInput {
  @Field(() => ID) householdId!: string;
  @Field(() => [HouseholdSkillInput]) skills!: HouseholdSkillInput[];
  @Field(() => Int, { nullable: true }) bedrooms?: number | null;
}
