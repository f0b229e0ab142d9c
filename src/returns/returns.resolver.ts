import { Arg, Ctx as GqlCtx, ID, Query, Resolver } from 'type-graphql';
import type { Viewer } from '../auth/viewer';
import { Constellation } from '../constellations/constellation.entity';
import { constellationById } from '../constellations/constellation.loaders';
import type { Ctx } from '../platform/context';
import { findRows } from '../platform/db/rows';
import { badUserInput, forbidden } from '../platform/graphql/errors';
import { viewerOf } from '../platform/graphql/guards';
import { idOf } from '../platform/graphql/ids';
import { DateScalar } from '../platform/graphql/scalars';
import { daysBetween, now, todayLondon } from '../platform/time';
import { StabilityReportType, StabilityScopeKind } from '../stability/stability.types';
import { canReadAllReturns, canReadReturn, canSeeDeregistrationReasons } from './returns.policy';
import { constellationReturns, type ReturnFigures } from './returns.service';
import { ConstellationReturnType } from './returns.types';

/** Five years and a leap day, as for the stability report. */
const MAX_PERIOD_DAYS = 5 * 365 + 1;

export function checkReturnPeriod(from: string, to: string): void {
  if (from > to) throw badUserInput('`to` must not be before `from`.');
  if (daysBetween(from, to) > MAX_PERIOD_DAYS) throw badUserInput('A return covers at most five years.');
}

/** The organisation's constellations by name (then id), for the returns and their export. */
export function constellationsByName(ctx: Ctx, v: Viewer): Promise<Constellation[]> {
  return findRows(ctx.em, Constellation, `select k.* from constellation k where k.organisation_id = $1 order by k.name, k.id`, [v.organisationId]);
}

export function toReturnType(v: Viewer, f: ReturnFigures, constellation: Constellation | null): ConstellationReturnType {
  return Object.assign(new ConstellationReturnType(), {
    constellation,
    from: f.from,
    to: f.to,
    stability: Object.assign(new StabilityReportType(), f.stability, {
      scope: constellation ? StabilityScopeKind.CONSTELLATION : StabilityScopeKind.NO_CONSTELLATION,
      constellation,
    }),
    sleepovers: f.sleepovers,
    sessions: f.sessions,
    support: f.support,
    contact: f.contact,
    retention: { ...f.retention, deregistered: canSeeDeregistrationReasons(v) ? f.retention.deregistered : null },
  });
}

/** Every constellation's return by name, then the comparison group: what the query and the CSV export give. */
export async function allReturns(ctx: Ctx, v: Viewer, from: string, to: string): Promise<ConstellationReturnType[]> {
  const ks = await constellationsByName(ctx, v);
  const figures = await constellationReturns(ctx.em, {
    organisationId: v.organisationId,
    constellationIds: ks.map((k) => k.id),
    comparison: true,
    from,
    to,
    now: now(),
    today: todayLondon(),
  });
  return figures.map((f, i) => toReturnType(v, f, ks[i] ?? null));
}

@Resolver(() => ConstellationReturnType)
export class ConstellationReturnResolver {
  @Query(() => ConstellationReturnType, {
    nullable: true,
    description: "One constellation's return; null when the viewer may not see it (liaison workers and hub carers\nsee their own constellation's, staff every one).",
  })
  async constellationReturn(
    @GqlCtx() ctx: Ctx,
    @Arg('constellationId', () => ID) constellationId: string,
    @Arg('from', () => DateScalar) from: string,
    @Arg('to', () => DateScalar) to: string,
  ): Promise<ConstellationReturnType | null> {
    const v = viewerOf(ctx);
    checkReturnPeriod(from, to);
    const id = idOf('Constellation', constellationId);
    const k = id ? await constellationById(ctx).load(id) : null;
    if (!k || !canReadReturn(v, k.id)) return null;
    const [f] = await constellationReturns(ctx.em, {
      organisationId: v.organisationId,
      constellationIds: [k.id],
      comparison: false,
      from,
      to,
      now: now(),
      today: todayLondon(),
    });
    return toReturnType(v, f, k);
  }

  @Query(() => [ConstellationReturnType], { description: 'Every constellation of the organisation, by name, then the comparison group. Staff only.' })
  constellationReturns(@GqlCtx() ctx: Ctx, @Arg('from', () => DateScalar) from: string, @Arg('to', () => DateScalar) to: string): Promise<ConstellationReturnType[]> {
    const v = viewerOf(ctx);
    if (!canReadAllReturns(v)) throw forbidden('Only organisation-wide staff see every constellation’s return.');
    checkReturnPeriod(from, to);
    return allReturns(ctx, v, from, to);
  }
}
