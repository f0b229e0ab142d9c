import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Household } from '../households/household.entity';
import { householdViaParent } from '../households/household.loaders';
import type { Ctx } from '../platform/context';
import { BY_NAME_THEN_ID, readPage, toConnection } from '../platform/graphql/connection';
import { viewerOf } from '../platform/graphql/guards';
import { runMutation } from '../platform/mutation';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { Constellation } from './constellation.entity';
import { hubOfConstellation, memberCountOfConstellation, membersOfConstellation, type MembersArgs } from './constellation.loaders';
import { addConstellationMember, createConstellation, listConstellations, removeConstellationMember, updateConstellation } from './constellation.service';
import { ConstellationConnection, ConstellationMemberInput, ConstellationMembershipConnection, ConstellationPayload, CreateConstellationInput, UpdateConstellationInput } from './constellation.types';
import { ConstellationMembership } from './membership.entity';
import { isSeenThroughCover } from '../sleepovers/sleepover.policy';

@Resolver(() => Constellation)
export class ConstellationResolver {
  @Query(() => ConstellationConnection)
  constellations(@GqlCtx() ctx: Ctx, @Arg('first', () => Int, { nullable: true }) first?: number, @Arg('after', () => String, { nullable: true }) after?: string) {
    return listConstellations(ctx, viewerOf(ctx), { first, after });
  }

  @FieldResolver(() => Household, { description: "The hub home. Its carers keep beds for sleepovers and run the constellation's peer support." })
  async hub(@Root() k: Constellation, @GqlCtx() ctx: Ctx) {
    return hubOfConstellation(ctx).load(k.id);
  }

  @FieldResolver(() => User, { nullable: true })
  liaisonWorker(@Root() k: Constellation, @GqlCtx() ctx: Ctx) {
    // A carer's child staying here as cover is no reason to hand them this constellation's staff contacts.
    if (isSeenThroughCover(k)) return null;
    return k.liaisonWorker?.id ? userById(ctx).load(k.liaisonWorker.id) : null;
  }

  @FieldResolver(() => ConstellationMembershipConnection, { description: 'Satellite households; current members unless includeFormer is true.' })
  async members(
    @Root() k: Constellation,
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('includeFormer', () => Boolean, { nullable: true, defaultValue: false }) includeFormer?: boolean,
  ) {
    const page = readPage({ first, after }, BY_NAME_THEN_ID);
    const args: MembersArgs = { limit: page.limit, after: page.after as [string, string] | null, includeFormer: includeFormer ?? false };
    const rows = await membersOfConstellation(ctx).load({ parentId: k.id, args });
    return toConnection(
      rows,
      page,
      (m) => [m.householdName, m.id],
      (m) => m,
      () => memberCountOfConstellation(ctx).load(`${k.id}|${args.includeFormer}`),
    );
  }

  @Mutation(() => ConstellationPayload)
  createConstellation(@Arg('input', () => CreateConstellationInput) input: CreateConstellationInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.create', input, (tx) => createConstellation(tx, input));
  }

  @Mutation(() => ConstellationPayload)
  updateConstellation(@Arg('input', () => UpdateConstellationInput) input: UpdateConstellationInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.update', input, (tx) => updateConstellation(tx, input));
  }

  @Mutation(() => ConstellationPayload)
  addConstellationMember(@Arg('input', () => ConstellationMemberInput) input: ConstellationMemberInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.addMember', input, (tx) => addConstellationMember(tx, input));
  }

  @Mutation(() => ConstellationPayload)
  removeConstellationMember(@Arg('input', () => ConstellationMemberInput) input: ConstellationMemberInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.removeMember', input, (tx) => removeConstellationMember(tx, input));
  }
}

@Resolver(() => ConstellationMembership)
export class ConstellationMembershipResolver {
  /** Members of a visible constellation are visible (the constellation scope already applied). */
  @FieldResolver(() => Household)
  async household(@Root() m: ConstellationMembership, @GqlCtx() ctx: Ctx) {
    return householdViaParent(ctx).load(m.household.id);
  }
}
