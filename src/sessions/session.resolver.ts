import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { Constellation } from '../constellations/constellation.entity';
import { constellationById } from '../constellations/constellation.loaders';
import { Carer } from '../households/carer.entity';
import type { Ctx } from '../platform/context';
import { badUserInput, forbidden } from '../platform/graphql/errors';
import { readPage, toConnection } from '../platform/graphql/connection';
import { viewerOf } from '../platform/graphql/guards';
import { toGlobalId } from '../platform/graphql/ids';
import { runMutation } from '../platform/mutation';
import { SessionRsvp } from './rsvp.entity';
import { PeerSupportSession } from './session.entity';
import { sessionEventStream, type SessionEventMessage } from './session.events';
import { rsvpsBySession, sessionById, sessionCountOfConstellation, sessionsOfConstellation, type RsvpView, type SessionsArgs } from './session.loaders';
import { cancelSession, recordAttendance, rsvp, scheduleSeries, scheduleSession, updateSession } from './session.service';
import {
  CancelPeerSupportSessionInput,
  PeerSupportSeriesPayload,
  PeerSupportSessionConnection,
  PeerSupportSessionEvent,
  PeerSupportSessionFilter,
  PeerSupportSessionPayload,
  RecordAttendanceInput,
  RsvpInput,
  RsvpPayload,
  SchedulePeerSupportSeriesInput,
  SchedulePeerSupportSessionInput,
  UpdatePeerSupportSessionInput,
} from './session.types';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@Resolver(() => PeerSupportSession)
export class PeerSupportSessionResolver {
  @FieldResolver(() => Constellation)
  constellation(@Root() s: PeerSupportSession, @GqlCtx() ctx: Ctx) {
    return constellationById(ctx).load(s.constellation.id);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Set when the session belongs to a repeating series.' })
  seriesId(@Root() s: PeerSupportSession) {
    return s.seriesId ? toGlobalId('PeerSupportSeries', s.seriesId) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Places left; null when there is no limit.' })
  placesLeft(@Root() s: PeerSupportSession) {
    return s.capacity == null ? null : Math.max(0, s.capacity - s.goingCount);
  }

  @FieldResolver(() => [SessionRsvp], {
    description: "Everyone's RSVPs for the people running the constellation (its hub carer, its liaison worker, organisation-wide staff); other carers see their own household's only.",
  })
  rsvps(@Root() s: PeerSupportSession, @GqlCtx() ctx: Ctx) {
    return rsvpsBySession(ctx).load(s.id);
  }

  @FieldResolver(() => [SessionRsvp], { description: "The viewer's own household's RSVPs (carers), empty for staff." })
  async viewerRsvps(@Root() s: PeerSupportSession, @GqlCtx() ctx: Ctx) {
    const household = ctx.viewer?.householdId;
    if (!household) return [];
    return (await rsvpsBySession(ctx).load(s.id)).filter((r) => r.carerHouseholdId === household);
  }

  @Mutation(() => PeerSupportSessionPayload)
  schedulePeerSupportSession(@Arg('input', () => SchedulePeerSupportSessionInput) input: SchedulePeerSupportSessionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'PeerSupportSession.schedule', input, (tx) => scheduleSession(tx, input));
  }

  @Mutation(() => PeerSupportSeriesPayload)
  schedulePeerSupportSeries(@Arg('input', () => SchedulePeerSupportSeriesInput) input: SchedulePeerSupportSeriesInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'PeerSupportSession.scheduleSeries', input, (tx) => scheduleSeries(tx, input));
  }

  @Mutation(() => PeerSupportSessionPayload)
  updatePeerSupportSession(@Arg('input', () => UpdatePeerSupportSessionInput) input: UpdatePeerSupportSessionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'PeerSupportSession.update', input, (tx) => updateSession(tx, input));
  }

  @Mutation(() => PeerSupportSessionPayload)
  cancelPeerSupportSession(@Arg('input', () => CancelPeerSupportSessionInput) input: CancelPeerSupportSessionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'PeerSupportSession.cancel', input, (tx) => cancelSession(tx, input));
  }

  @Mutation(() => RsvpPayload, { description: 'GOING while places are left, WAITLISTED after; going: false frees the place for the waitlist.' })
  rsvpPeerSupportSession(@Arg('input', () => RsvpInput) input: RsvpInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'PeerSupportSession.rsvp', input, (tx) => rsvp(tx, input));
  }

  @Mutation(() => PeerSupportSessionPayload)
  recordAttendance(@Arg('input', () => RecordAttendanceInput) input: RecordAttendanceInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'PeerSupportSession.recordAttendance', input, (tx) => recordAttendance(tx, input));
  }

  @Subscription(() => PeerSupportSessionEvent, {
    description: 'Scheduling, changes, cancellations and RSVP changes of sessions the viewer may see.',
    subscribe: ({ args, context }) => {
      const ctx = context as Ctx;
      return sessionEventStream(ctx, viewerOf(ctx), args.constellationId as string | null | undefined);
    },
  })
  async peerSupportSessionChanged(
    @Root() m: SessionEventMessage,
    @GqlCtx() ctx: Ctx,
    @Arg('constellationId', () => ID, { nullable: true }) _constellationId?: string,
  ): Promise<PeerSupportSessionEvent> {
    // ctx is fresh for this event (see the HTTP layer), so this reads the session as it is now.
    const session = await sessionById(ctx).load(m.sessionId);
    if (!session) throw forbidden('The session is no longer visible to you.');
    return { kind: m.kind, session, at: new Date(m.at) };
  }
}

@Resolver(() => SessionRsvp)
export class SessionRsvpResolver {
  /** Mapped with the RSVP (same statement), so listing RSVPs costs no statement per carer. */
  @FieldResolver(() => Carer)
  carer(@Root() r: RsvpView) {
    return r.carer;
  }
}

@Resolver(() => Constellation)
export class ConstellationSessionsResolver {
  @FieldResolver(() => PeerSupportSessionConnection)
  async sessions(
    @Root() k: Constellation,
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => PeerSupportSessionFilter, { nullable: true }) filter?: PeerSupportSessionFilter,
  ) {
    const page = readPage({ first, after }, ['timestamptz', 'uuid']);
    const cursor = page.after as [string, string] | null;
    if (cursor && !(typeof cursor[0] === 'string' && !Number.isNaN(Date.parse(cursor[0])) && typeof cursor[1] === 'string' && UUID_RE.test(cursor[1]))) {
      throw badUserInput('after is not a cursor of this list.');
    }
    const where = {
      from: filter?.from ? filter.from.toISOString() : null,
      to: filter?.to ? filter.to.toISOString() : null,
      kinds: filter?.kind?.length ? [...filter.kind].sort() : null,
      includeCancelled: filter?.includeCancelled ?? false,
    };
    const args: SessionsArgs = { limit: page.limit, after: cursor, ...where };
    const rows = await sessionsOfConstellation(ctx).load({ parentId: k.id, args });
    return toConnection(
      rows,
      page,
      (s) => [s.startsAt.toISOString(), s.id],
      (s) => s,
      () => sessionCountOfConstellation(ctx).load(`${k.id}|${JSON.stringify(where)}`),
    );
  }
}
