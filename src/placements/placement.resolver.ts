import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Household } from '../households/household.entity';
import { householdViaParent } from '../households/household.loaders';
import type { Ctx } from '../platform/context';
import { runMutation } from '../platform/mutation';
import { PlacementEndReason } from './enums';
import { Placement } from './placement.entity';
import { childOfPlacement } from './placement.loaders';
import { canSeePlacementEnding } from './placement.policy';
import { endPlacement, startPlacement } from './placement.service';
import { EndPlacementInput, PlacementPayload, StartPlacementInput } from './placement.types';

@Resolver(() => Placement)
export class PlacementResolver {
  @FieldResolver(() => Child)
  child(@Root() pl: Placement, @GqlCtx() ctx: Ctx) {
    return childOfPlacement(ctx).load(pl.child.id);
  }

  @FieldResolver(() => Household, { nullable: true, description: "Null when the setting is not one of the organisation's households." })
  household(@Root() pl: Placement, @GqlCtx() ctx: Ctx) {
    return pl.household?.id ? householdViaParent(ctx).load(pl.household.id) : null;
  }

  @FieldResolver(() => PlacementEndReason, { nullable: true, description: 'Null while open, and for carers.' })
  endReason(@Root() pl: Placement, @GqlCtx() ctx: Ctx) {
    return canSeePlacementEnding(ctx.viewer) ? (pl.endReason ?? null) : null;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "True when the ending was not in the child's care plan (a disruption). Null while open, and for carers." })
  unplanned(@Root() pl: Placement, @GqlCtx() ctx: Ctx) {
    return canSeePlacementEnding(ctx.viewer) ? (pl.unplanned ?? null) : null;
  }

  @Mutation(() => PlacementPayload, {
    description: "Checked as on startDate: the household approved then, the approval covering the child's age\nthen and the kind, a place free on every day from startDate.",
  })
  startPlacement(@Arg('input', () => StartPlacementInput) input: StartPlacementInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Placement.start', input, (tx) => startPlacement(tx, input));
  }

  @Mutation(() => PlacementPayload)
  endPlacement(@Arg('input', () => EndPlacementInput) input: EndPlacementInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Placement.end', input, (tx) => endPlacement(tx, input));
  }
}
