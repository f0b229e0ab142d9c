import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Constellation } from '../constellations/constellation.entity';
import type { Ctx } from '../platform/context';
import { BY_NAME_THEN_ID, readPage, toConnection } from '../platform/graphql/connection';
import { viewerOf } from '../platform/graphql/guards';
import { DateScalar } from '../platform/graphql/scalars';
import { runMutation } from '../platform/mutation';
import { ageOn, todayLondon } from '../platform/time';
import { Placement } from '../placements/placement.entity';
import { currentPlacementByChild, placementsByChild } from '../placements/placement.loaders';
import { Child } from './child.entity';
import { canSeeChildIdentifiers, canSeeSleepoverNotes, isNarrowChild } from './child.policy';
import { childrenOfConstellation, openSleepoverAtViewersHub, siblingsByChild, type ChildrenPageArgs } from './child.loaders';
import { listChildren, registerChild, updateChild } from './child.service';
import { ChildConnection, ChildFilter, ChildPayload, RegisterChildInput, UpdateChildInput } from './child.types';

@Resolver(() => Child)
export class ChildResolver {
  @Query(() => ChildConnection)
  children(
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => ChildFilter, { nullable: true }) filter?: ChildFilter,
  ) {
    return listChildren(ctx, viewerOf(ctx), { first, after, filter });
  }

  @FieldResolver(() => String, { nullable: true, description: "The organisation's own case reference. Null for carers." })
  reference(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return canSeeChildIdentifiers(ctx.viewer, c) ? c.reference : null;
  }

  @FieldResolver(() => DateScalar, { nullable: true, description: 'Null for carers, who see `age`.' })
  dateOfBirth(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return canSeeChildIdentifiers(ctx.viewer, c) ? c.dateOfBirth : null;
  }

  @FieldResolver(() => Int, { description: 'Age today, by UK law (a 29 February birthday falls on 1 March in common years).' })
  age(@Root() c: Child) {
    return ageOn(c.dateOfBirth, todayLondon());
  }

  @FieldResolver(() => [Child])
  siblings(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return isNarrowChild(c) ? [] : siblingsByChild(ctx).load(c.id);
  }

  @FieldResolver(() => String, { nullable: true })
  async sleepoverNotes(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    // Seen through an open sleepover the viewer hosts: the notes are what the host needs (child.policy).
    if (isNarrowChild(c)) return c.sleepoverNotes ?? null;
    const v = ctx.viewer;
    const ok = await canSeeSleepoverNotes(
      v,
      async () => !!v?.householdId && (await currentPlacementByChild(ctx).load(c.id))?.household?.id === v.householdId,
      () => openSleepoverAtViewersHub(ctx).load(c.id),
    );
    return ok ? (c.sleepoverNotes ?? null) : null;
  }

  @FieldResolver(() => [Placement], { description: 'Placement history, oldest first. Carers see only placements with households of their constellation.' })
  placements(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return isNarrowChild(c) ? [] : placementsByChild(ctx).load(c.id);
  }

  @FieldResolver(() => Placement, { nullable: true })
  currentPlacement(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return isNarrowChild(c) ? null : currentPlacementByChild(ctx).load(c.id);
  }

  @Mutation(() => ChildPayload)
  registerChild(@Arg('input', () => RegisterChildInput) input: RegisterChildInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Child.register', input, (tx) => registerChild(tx, input));
  }

  @Mutation(() => ChildPayload)
  updateChild(@Arg('input', () => UpdateChildInput) input: UpdateChildInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Child.update', input, (tx) => updateChild(tx, input));
  }
}

@Resolver(() => Constellation)
export class ConstellationChildrenResolver {
  @FieldResolver(() => ChildConnection, { description: "Children placed today with this constellation's satellite households, as the viewer may see them." })
  async children(@Root() k: Constellation, @GqlCtx() ctx: Ctx, @Arg('first', () => Int, { nullable: true }) first?: number, @Arg('after', () => String, { nullable: true }) after?: string) {
    const page = readPage({ first, after }, BY_NAME_THEN_ID);
    const args: ChildrenPageArgs = { limit: page.limit, after: page.after as [string, string] | null };
    const rows = await childrenOfConstellation(ctx).load({ parentId: k.id, args });
    return toConnection(
      rows,
      page,
      (c) => [c.firstName, c.id],
      (c) => c,
      async () => {
        const all = await childrenOfConstellation(ctx).load({ parentId: k.id, args: { limit: 100_000, after: null } });
        return all.length;
      },
    );
  }
}
