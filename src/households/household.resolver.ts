import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Constellation } from '../constellations/constellation.entity';
import { constellationOfHousehold } from '../constellations/constellation.loaders';
import type { Ctx } from '../platform/context';
import { viewerOf } from '../platform/graphql/guards';
import { DateScalar } from '../platform/graphql/scalars';
import { runMutation } from '../platform/mutation';
import { Placement } from '../placements/placement.entity';
import { currentPlacementCountByHousehold, currentPlacementsByHousehold } from '../placements/placement.loaders';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { Carer } from './carer.entity';
import { DeregistrationReason, HouseholdStatus } from './enums';
import { Household } from './household.entity';
import { carersByHousehold, householdById, householdViaParent } from './household.loaders';
import { canReadHouseholdDetails } from './household.policy';
import { addCarer, createHousehold, deregisterHousehold, listHouseholds, updateHousehold } from './household.service';
import { AddCarerInput, Approval, CreateHouseholdInput, DeregisterHouseholdInput, HouseholdConnection, HouseholdFilter, HouseholdPayload, UpdateHouseholdInput } from './household.types';

/** household.policy#canReadHouseholdDetails, asking the scoped loader for a liaison worker. */
function mayReadDetails(ctx: Ctx, h: Household): Promise<boolean> {
  return canReadHouseholdDetails(ctx.viewer, h, async () => (await householdById(ctx).load(h.id)) !== null);
}

/** Fields the viewer may not read resolve to null; the rest of the household still resolves. */
async function detail<T>(ctx: Ctx, h: Household, value: () => T | Promise<T>): Promise<T | null> {
  return (await mayReadDetails(ctx, h)) ? value() : null;
}

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => HouseholdConnection)
  households(
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => HouseholdFilter, { nullable: true }) filter?: HouseholdFilter,
  ) {
    return listHouseholds(ctx, viewerOf(ctx), { first, after, filter });
  }

  @FieldResolver(() => HouseholdStatus, { nullable: true })
  status(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return detail(ctx, h, () => h.status);
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Family and friends (connected) carers, approved for named children.' })
  isKinship(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return detail(ctx, h, () => h.isKinship);
  }

  @FieldResolver(() => Approval, { nullable: true })
  approval(@Root() h: Household, @GqlCtx() ctx: Ctx): Promise<Approval | null> | null {
    if (h.approvalMinAge == null) return null;
    return detail(ctx, h, () => ({ minAge: h.approvalMinAge!, maxAge: h.approvalMaxAge!, maxChildren: h.approvalMaxChildren!, kinds: h.approvalKinds ?? [] }));
  }

  @FieldResolver(() => DateScalar, { nullable: true })
  approvedOn(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return detail(ctx, h, () => h.approvedOn ?? null);
  }

  @FieldResolver(() => DateScalar, { nullable: true })
  deregisteredOn(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return detail(ctx, h, () => h.deregisteredOn ?? null);
  }

  @FieldResolver(() => DeregistrationReason, { nullable: true })
  deregistrationReason(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return detail(ctx, h, () => h.deregistrationReason ?? null);
  }

  @FieldResolver(() => [Carer])
  carers(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return carersByHousehold(ctx).load(h.id);
  }

  @FieldResolver(() => User, { nullable: true })
  supervisingSocialWorker(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    const id = h.supervisingSocialWorker?.id;
    return id ? detail(ctx, h, () => userById(ctx).load(id)) : null;
  }

  @FieldResolver(() => Constellation, { nullable: true, description: 'The constellation this household belongs to today, as a satellite or as the hub.' })
  constellation(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return constellationOfHousehold(ctx).load(h.id);
  }

  @FieldResolver(() => [Placement], { nullable: true })
  currentPlacements(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return detail(ctx, h, () => currentPlacementsByHousehold(ctx).load(h.id));
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Approved places not taken today: approval.maxChildren minus current placements, never below 0.' })
  async vacancies(@Root() h: Household, @GqlCtx() ctx: Ctx): Promise<number | null> {
    if (!(await mayReadDetails(ctx, h))) return null;
    if (h.approvalMaxChildren == null || h.status !== HouseholdStatus.APPROVED) return h.approvalMaxChildren == null ? null : 0;
    return Math.max(0, h.approvalMaxChildren - (await currentPlacementCountByHousehold(ctx).load(h.id)));
  }

  @Mutation(() => HouseholdPayload)
  createHousehold(@Arg('input', () => CreateHouseholdInput) input: CreateHouseholdInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Household.create', input, (tx) => createHousehold(tx, input));
  }

  @Mutation(() => HouseholdPayload)
  updateHousehold(@Arg('input', () => UpdateHouseholdInput) input: UpdateHouseholdInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Household.update', input, (tx) => updateHousehold(tx, input));
  }

  @Mutation(() => HouseholdPayload)
  deregisterHousehold(@Arg('input', () => DeregisterHouseholdInput) input: DeregisterHouseholdInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Household.deregister', input, (tx) => deregisterHousehold(tx, input));
  }

  @Mutation(() => HouseholdPayload)
  addCarer(@Arg('input', () => AddCarerInput) input: AddCarerInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Household.addCarer', input, (tx) => addCarer(tx, input));
  }
}

@Resolver(() => Carer)
export class CarerResolver {
  /** A carer is only ever reached through something the viewer may see, so its household is too (field privacy still applies). */
  @FieldResolver(() => Household)
  household(@Root() c: Carer, @GqlCtx() ctx: Ctx) {
    return householdViaParent(ctx).load(c.household.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'The login of this carer, where they have one.' })
  user(@Root() c: Carer, @GqlCtx() ctx: Ctx) {
    return c.user?.id ? userById(ctx).load(c.user.id) : null;
  }
}
