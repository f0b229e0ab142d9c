import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import { Constellation } from '../constellations/constellation.entity';
import { hubConstellationOfUser, liaisonConstellationsOfUser } from '../constellations/constellation.loaders';
import { Household } from '../households/household.entity';
import { householdOfUser } from '../households/household.loaders';
import { Organisation } from '../organisations/organisation.entity';
import { organisationById } from '../organisations/organisation.loaders';
import type { Ctx } from '../platform/context';
import { viewerOf } from '../platform/graphql/guards';
import { runMutation } from '../platform/mutation';
import { userById } from './user.loaders';
import { User } from './user.entity';
import { canSeeEmail } from './user.policy';
import { createUser, deactivateUser, listUsers } from './user.service';
import { CreateUserInput, DeactivateUserInput, UserConnection, UserFilter, UserPayload } from './user.types';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { nullable: true })
  me(@GqlCtx() ctx: Ctx) {
    return ctx.viewer ? userById(ctx).load(ctx.viewer.userId) : null;
  }

  @Query(() => UserConnection, { description: 'Staff only.' })
  users(
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => UserFilter, { nullable: true }) filter?: UserFilter,
  ) {
    return listUsers(ctx, viewerOf(ctx), { first, after, filter });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when the viewer may not see it (carers see only staff addresses and their own).' })
  email(@Root() user: User, @GqlCtx() ctx: Ctx): string | null {
    return canSeeEmail(ctx.viewer, user) ? user.email : null;
  }

  @FieldResolver(() => Organisation)
  organisation(@Root() user: User, @GqlCtx() ctx: Ctx) {
    return organisationById(ctx).load(user.organisation.id);
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household this user cares in (carers only).' })
  household(@Root() user: User, @GqlCtx() ctx: Ctx) {
    return user.role === Role.CARER ? householdOfUser(ctx).load(user.id) : null;
  }

  @FieldResolver(() => Constellation, { nullable: true, description: 'The constellation whose hub household this user cares in.' })
  hubOf(@Root() user: User, @GqlCtx() ctx: Ctx) {
    return user.role === Role.CARER ? hubConstellationOfUser(ctx).load(user.id) : null;
  }

  @FieldResolver(() => [Constellation], { description: 'Constellations this user is the liaison worker of.' })
  liaisonFor(@Root() user: User, @GqlCtx() ctx: Ctx) {
    return liaisonConstellationsOfUser(ctx).load(user.id);
  }

  @Mutation(() => UserPayload)
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'User.create', { ...input, password: '[redacted]' }, (tx) => createUser(tx, input));
  }

  @Mutation(() => UserPayload, { description: 'The user can no longer log in; their tokens, sockets and calendar feed stop working at once.' })
  deactivateUser(@Arg('input', () => DeactivateUserInput) input: DeactivateUserInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'User.deactivate', input, (tx) => deactivateUser(tx, input.userId));
  }
}
