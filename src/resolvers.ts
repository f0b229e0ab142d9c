import type { NonEmptyArray } from 'type-graphql';
// Every resolver class, listed explicitly. Each capability adds its own here.
import { AuthResolver } from './auth/auth.resolver';
import { ChildResolver, ConstellationChildrenResolver } from './children/child.resolver';
import { ConstellationMembershipResolver, ConstellationResolver } from './constellations/constellation.resolver';
import { CarerResolver, HouseholdResolver } from './households/household.resolver';
import { PlacementResolver } from './placements/placement.resolver';
import { NodeResolver } from './platform/graphql/node.resolver';
import { BedNightResolver, ConstellationSleepoversResolver, SleepoverEventResolver, SleepoverResolver } from './sleepovers/sleepover.resolver';
import { UserResolver } from './users/user.resolver';

export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  AuthResolver,
  UserResolver,
  HouseholdResolver,
  CarerResolver,
  ConstellationResolver,
  ConstellationMembershipResolver,
  ConstellationChildrenResolver,
  ChildResolver,
  PlacementResolver,
  SleepoverResolver,
  SleepoverEventResolver,
  BedNightResolver,
  ConstellationSleepoversResolver,
];
