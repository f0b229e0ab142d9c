import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx as GqlCtx, FieldResolver, Info, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Child } from '../children/child.entity';
import { childById } from '../children/child.loaders';
import { Constellation } from '../constellations/constellation.entity';
import { constellationById } from '../constellations/constellation.loaders';
import { Household } from '../households/household.entity';
import { householdById } from '../households/household.loaders';
import type { Ctx } from '../platform/context';
import { pagedConnection, readPage } from '../platform/graphql/connection';
import { idOf } from '../platform/graphql/ids';
import { runMutation } from '../platform/mutation';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { SupportLogEntry } from './support.entity';
import {
  countKey,
  supportEntryAmending,
  supportEntryById,
  supportLogCountOfConstellation,
  supportLogCountOfHousehold,
  supportLogOfConstellation,
  supportLogOfHousehold,
  type SupportLogWhere,
} from './support.loaders';
import { canReadConstellationLog, canReadHouseholdLog } from './support.policy';
import { recordSupport } from './support.service';
import { RecordSupportInput, SupportLogEntryConnection, SupportLogFilter, SupportLogPayload } from './support.types';

const NO_MATCH = '00000000-0000-0000-0000-000000000000';

function whereOf(filter: SupportLogFilter | null | undefined, allowHousehold: boolean): SupportLogWhere {
  let householdId: string | null = null;
  if (allowHousehold && filter?.householdId != null) {
    // An id of the wrong kind matches nothing rather than everything.
    householdId = idOf('Household', filter.householdId) ?? NO_MATCH;
  }
  return {
    householdId,
    from: filter?.from ? filter.from.toISOString() : null,
    to: filter?.to ? filter.to.toISOString() : null,
    safeguarding: filter?.safeguarding ?? null,
    placementAtRisk: filter?.placementAtRisk ?? null,
    followUpDueOnOrBefore: filter?.followUpDueOnOrBefore ?? null,
  };
}

const KEY = ['timestamptz', 'uuid'] as const;

function page(first: number | undefined, after: string | undefined) {
  const p = readPage({ first, after }, KEY);
  return { p, cursor: p.after as [string, string] | null };
}

const entryKey = (e: SupportLogEntry) => [e.at.toISOString(), e.id];

@Resolver(() => SupportLogEntry)
export class SupportLogEntryResolver {
  @FieldResolver(() => Constellation)
  constellation(@Root() e: SupportLogEntry, @GqlCtx() ctx: Ctx) {
    return constellationById(ctx).load(e.constellation.id);
  }

  @FieldResolver(() => Household)
  household(@Root() e: SupportLogEntry, @GqlCtx() ctx: Ctx) {
    return householdById(ctx).load(e.household.id);
  }

  @FieldResolver(() => Child, { nullable: true, description: 'The child it was about, if one; null when the viewer may not see the child.' })
  child(@Root() e: SupportLogEntry, @GqlCtx() ctx: Ctx) {
    return e.child ? childById(ctx).load(e.child.id) : null;
  }

  @FieldResolver(() => Boolean)
  safeguarding(@Root() e: SupportLogEntry) {
    return e.chainSafeguarding;
  }

  @FieldResolver(() => SupportLogEntry, {
    nullable: true,
    description:
      'The earlier entry this one corrects. A chain of corrections is one entry: lists show its latest\nversion, figures count it once, its readers are those of the latest version, and it counts as\nsafeguarding (hidden from the household) if any version was.',
  })
  amends(@Root() e: SupportLogEntry, @GqlCtx() ctx: Ctx) {
    return e.amends ? supportEntryById(ctx).load(e.amends.id) : null;
  }

  @FieldResolver(() => SupportLogEntry, { nullable: true })
  amendedBy(@Root() e: SupportLogEntry, @GqlCtx() ctx: Ctx) {
    return supportEntryAmending(ctx).load(e.id);
  }

  @FieldResolver(() => User, { nullable: true })
  recordedBy(@Root() e: SupportLogEntry, @GqlCtx() ctx: Ctx) {
    return e.recordedBy ? userById(ctx).load(e.recordedBy.id) : null;
  }

  @Mutation(() => SupportLogPayload, { description: 'Hub carer, liaison worker or staff of the constellation.' })
  recordSupport(@Arg('input', () => RecordSupportInput) input: RecordSupportInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'SupportLogEntry.record', input, (tx) => recordSupport(tx, input));
  }
}

@Resolver(() => Constellation)
export class ConstellationSupportLogResolver {
  @FieldResolver(() => SupportLogEntryConnection, { nullable: true, description: 'Null for satellite carers.' })
  async supportLog(
    @Root() k: Constellation,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => SupportLogFilter, { nullable: true }) filter?: SupportLogFilter,
  ) {
    if (!ctx.viewer || !canReadConstellationLog(ctx.viewer, k.id)) return null;
    const { p, cursor } = page(first, after);
    const where = whereOf(filter, true);
    return pagedConnection(
      p,
      info,
      (withTotal) => supportLogOfConstellation(ctx).load({ parentId: k.id, args: { limit: p.limit, after: cursor, where, withTotal } }),
      entryKey,
      () => supportLogCountOfConstellation(ctx).load(countKey(k.id, where)),
    );
  }
}

@Resolver(() => Household)
export class HouseholdSupportLogResolver {
  @FieldResolver(() => SupportLogEntryConnection, {
    nullable: true,
    description:
      "Support given to this household by its hub carer and liaison worker, newest first. Null when\nthe viewer may not see it; the household's own carers see it without safeguarding entries.",
  })
  async supportLog(
    @Root() h: Household,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    if (!ctx.viewer || !canReadHouseholdLog(ctx.viewer, h.id)) return null;
    const { p, cursor } = page(first, after);
    const where = whereOf(null, false);
    return pagedConnection(
      p,
      info,
      (withTotal) => supportLogOfHousehold(ctx).load({ parentId: h.id, args: { limit: p.limit, after: cursor, where, withTotal } }),
      entryKey,
      () => supportLogCountOfHousehold(ctx).load(countKey(h.id, where)),
    );
  }
}
