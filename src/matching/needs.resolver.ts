import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Child } from '../children/child.entity';
import { ChildPayload } from '../children/child.types';
import { Household } from '../households/household.entity';
import { HouseholdPayload } from '../households/household.types';
import type { Ctx } from '../platform/context';
import { runMutation } from '../platform/mutation';
import { mayReadChildNeeds, mayReadHouseholdSkills } from './matching.policy';
import { ChildNeed, HouseholdSkill } from './needs.entity';
import { needsByChild, skillsByHousehold } from './needs.loaders';
import { setChildNeeds, setHouseholdSkills } from './needs.service';
import { SetChildNeedsInput, SetHouseholdSkillsInput } from './needs.types';

@Resolver(() => Child)
export class ChildNeedsResolver {
  @FieldResolver(() => [ChildNeed], { nullable: true, description: 'Needs carers must be able to meet (special category data). Staff only; null for carers.' })
  needs(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return mayReadChildNeeds(ctx.viewer) ? needsByChild(ctx).load(c.id) : null;
  }

  @Mutation(() => ChildPayload)
  setChildNeeds(@Arg('input', () => SetChildNeedsInput) input: SetChildNeedsInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Child.setNeeds', input, (tx) => setChildNeeds(tx, input));
  }
}

@Resolver(() => Household)
export class HouseholdSkillsResolver {
  @FieldResolver(() => [HouseholdSkill], { nullable: true, description: 'Null for carers of other households.' })
  async skills(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return (await mayReadHouseholdSkills(ctx, h)) ? skillsByHousehold(ctx).load(h.id) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Bedrooms available to fostered children; null for carers of other households.' })
  async bedrooms(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return (await mayReadHouseholdSkills(ctx, h)) ? (h.bedrooms ?? null) : null;
  }

  @Mutation(() => HouseholdPayload)
  setHouseholdSkills(@Arg('input', () => SetHouseholdSkillsInput) input: SetHouseholdSkillsInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Household.setSkills', input, (tx) => setHouseholdSkills(tx, input));
  }
}
