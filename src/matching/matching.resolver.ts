import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Household } from '../households/household.entity';
import { householdById } from '../households/household.loaders';
import { PlacementKind } from '../placements/enums';
import type { Ctx } from '../platform/context';
import { DateScalar } from '../platform/graphql/scalars';
import { placementMatches } from './matching.service';
import { PlacementMatch } from './matching.types';

@Resolver(() => PlacementMatch)
export class MatchingResolver {
  @Query(() => [PlacementMatch], { description: 'Households to call about the child from startDate, best first. Staff only.' })
  placementMatches(
    @GqlCtx() ctx: Ctx,
    @Arg('childId', () => ID) childId: string,
    @Arg('startDate', () => DateScalar) startDate: string,
    @Arg('kind', () => PlacementKind) kind: PlacementKind,
    @Arg('first', () => Int, { nullable: true, defaultValue: 10 }) first?: number | null,
  ) {
    return placementMatches(ctx, { childId, startDate, kind, first });
  }

  @FieldResolver(() => Household)
  household(@Root() m: PlacementMatch, @GqlCtx() ctx: Ctx) {
    return householdById(ctx).load(m.householdId);
  }
}
