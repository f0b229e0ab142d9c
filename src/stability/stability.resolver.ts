import { Arg, Ctx as GqlCtx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Viewer } from '../auth/viewer';
import { Child } from '../children/child.entity';
import { childById } from '../children/child.loaders';
import { Constellation } from '../constellations/constellation.entity';
import { constellationById } from '../constellations/constellation.loaders';
import type { Ctx } from '../platform/context';
import { badUserInput } from '../platform/graphql/errors';
import { viewerOf } from '../platform/graphql/guards';
import { idOf } from '../platform/graphql/ids';
import { DateScalar } from '../platform/graphql/scalars';
import { daysBetween } from '../platform/time';
import { childStabilityById } from './stability.loaders';
import { canReadStabilityReport, canSeeChildStability, canSeeStabilityChildren } from './stability.policy';
import { stabilityReport, type StabilityScope } from './stability.service';
import { ChildStabilityType, StabilityReportType, StabilityScopeKind } from './stability.types';

/** Five years and a leap day: a report longer than that is not a period anyone compares. */
const MAX_PERIOD_DAYS = 5 * 365 + 1;

function checkPeriod(from: string, to: string) {
  if (from > to) throw badUserInput('`to` must not be before `from`.');
  if (daysBetween(from, to) > MAX_PERIOD_DAYS) throw badUserInput('A report covers at most five years.');
}

/** A report the viewer may read (stability.policy#canReadStabilityReport), else null as for an unknown constellation. */
async function report(ctx: Ctx, v: Viewer, scope: StabilityScope, from: string, to: string): Promise<StabilityReportType | null> {
  checkPeriod(from, to);
  let constellation: Constellation | null = null;
  if (scope.kind === 'CONSTELLATION') {
    constellation = await constellationById(ctx).load(scope.constellationId);
    if (!constellation) return null;
  }
  if (!canReadStabilityReport(v, scope)) return null;
  const figures = await stabilityReport(ctx.em, { organisationId: v.organisationId, scope, from, to });
  return Object.assign(new StabilityReportType(), figures, {
    scope: StabilityScopeKind[scope.kind],
    constellation,
  });
}

async function children(ctx: Ctx, ids: string[]): Promise<Child[] | null> {
  if (!canSeeStabilityChildren(ctx.viewer)) return null;
  // Loaded through the scoped loader: a liaison worker sees only the children they may see.
  const found = await childById(ctx).loadMany(ids);
  return found.filter((c): c is Child => c instanceof Child);
}

@Resolver(() => StabilityReportType)
export class StabilityResolver {
  @Query(() => StabilityReportType, { nullable: true, description: 'Organisation-wide when constellationId is null. Null when the viewer may not see it.' })
  stabilityReport(
    @GqlCtx() ctx: Ctx,
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
    @Arg('constellationId', () => ID, { nullable: true }) constellationId?: string | null,
    @Arg('scope', () => StabilityScopeKind, { nullable: true, description: 'NO_CONSTELLATION: households in no constellation (the comparison group). Taken from constellationId when omitted.' })
    scope?: StabilityScopeKind | null,
  ) {
    const v = viewerOf(ctx);
    if (constellationId != null) {
      if (scope && scope !== StabilityScopeKind.CONSTELLATION) throw badUserInput('constellationId goes with the CONSTELLATION scope.');
      const id = idOf('Constellation', constellationId);
      checkPeriod(from, to);
      return id ? report(ctx, v, { kind: 'CONSTELLATION', constellationId: id }, from, to) : null;
    }
    if (scope === StabilityScopeKind.CONSTELLATION) throw badUserInput('The CONSTELLATION scope needs constellationId.');
    return report(ctx, v, scope === StabilityScopeKind.NO_CONSTELLATION ? { kind: 'NO_CONSTELLATION' } : { kind: 'ORGANISATION' }, from, to);
  }

  @FieldResolver(() => [Child], { nullable: true, description: 'Staff only: the children behind childrenWithThreeOrMorePlacements (those the viewer may see).' })
  childrenWithThreeOrMorePlacementsList(@Root() r: StabilityReportType, @GqlCtx() ctx: Ctx) {
    return children(ctx, r.childIdsWithThreeOrMorePlacements);
  }

  @FieldResolver(() => [Child], { nullable: true, description: 'Staff only: the children whose placements ended unplanned in the period (those the viewer may see).' })
  childrenWithUnplannedEndings(@Root() r: StabilityReportType, @GqlCtx() ctx: Ctx) {
    return children(ctx, r.childIdsWithUnplannedEndings);
  }
}

@Resolver(() => Constellation)
export class ConstellationStabilityResolver {
  @FieldResolver(() => StabilityReportType, { nullable: true, description: 'Null when the viewer may not see it (satellite carers).' })
  stability(@Root() k: Constellation, @GqlCtx() ctx: Ctx, @Arg('from', () => DateScalar) from: string, @Arg('to', () => DateScalar) to: string) {
    return report(ctx, viewerOf(ctx), { kind: 'CONSTELLATION', constellationId: k.id }, from, to);
  }
}

@Resolver(() => Child)
export class ChildStabilityResolver {
  @FieldResolver(() => ChildStabilityType, { nullable: true, description: 'Null for carers.' })
  stability(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    return canSeeChildStability(ctx.viewer, c) ? childStabilityById(ctx).load(c.id) : null;
  }
}
