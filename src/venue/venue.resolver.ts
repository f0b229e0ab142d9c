import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx as GqlCtx, FieldResolver, ID, Info, Int, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Constellation } from '../constellations/constellation.entity';
import { ConstellationPayload } from '../constellations/constellation.types';
import type { Ctx } from '../platform/context';
import { pagedConnection, readPage, toConnection } from '../platform/graphql/connection';
import { viewerOf } from '../platform/graphql/guards';
import { runMutation } from '../platform/mutation';
import { now } from '../platform/time';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { HubBookingOutcome, HubBookingPurpose, HubBookingStatus, StoredHubBookingStatus } from './enums';
import { HubBooking } from './hub-booking.entity';
import { hubBookingEventStream } from './venue.events';
import {
  bookingCountOfChild,
  bookingCountOfConstellation,
  bookingDetailsById,
  bookingsOfChild,
  bookingsOfConstellation,
  childrenOfBooking,
  constellationOfBooking,
  venueOfConstellation,
  type ShownBooking,
} from './venue.loaders';
import { cancelHubBooking, confirmHubBooking, declineHubBooking, recordHubBookingOutcome, requestHubBooking, updateHubVenue } from './venue.service';
import {
  HubBookingConnection,
  HubBookingDecisionInput,
  HubBookingEvent,
  HubBookingFilter,
  HubBookingPayload,
  HubVenue,
  RecordHubBookingOutcomeInput,
  RequestHubBookingInput,
  UpdateHubVenueInput,
} from './venue.types';

const BY_START_THEN_ID = ['timestamptz', 'uuid'] as const;

/**
 * Whether the viewer sees what the booking is: decided in the SQL that read it, or — for a
 * booking handed back by a mutation — by one more scoped read, batched across the response.
 */
async function details(ctx: Ctx, b: ShownBooking): Promise<boolean> {
  if (b.seesDetails !== undefined) return b.seesDetails;
  return bookingDetailsById(ctx).load(b.id);
}

@Resolver(() => HubBooking)
export class HubBookingResolver {
  @FieldResolver(() => Constellation)
  constellation(@Root() b: HubBooking, @GqlCtx() ctx: Ctx) {
    return constellationOfBooking(ctx).load(b.constellation.id);
  }

  @FieldResolver(() => HubBookingPurpose, { nullable: true })
  async purpose(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) ? b.purpose : null;
  }

  @FieldResolver(() => HubBookingStatus)
  status(@Root() b: HubBooking): HubBookingStatus {
    if (b.status === StoredHubBookingStatus.CONFIRMED && b.endsAt.getTime() <= now().getTime()) return HubBookingStatus.COMPLETED;
    return b.status as unknown as HubBookingStatus;
  }

  @FieldResolver(() => [Child], { nullable: true, description: "The children in it that the viewer may see (a carer sees their own household's)." })
  async children(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    if (!(await details(ctx, b))) return null;
    return (await childrenOfBooking(ctx).load(b.id)).filter((r) => r.shown).map((r) => r.child);
  }

  @FieldResolver(() => Int)
  async childCount(@Root() b: HubBooking, @GqlCtx() ctx: Ctx) {
    return (await childrenOfBooking(ctx).load(b.id)).length;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who supervises family time (required for FAMILY_TIME).' })
  async supervisor(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) ? (b.supervisor ?? null) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  async requestedBy(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) && b.requestedBy?.id ? userById(ctx).load(b.requestedBy.id) : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async notes(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) ? (b.notes ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async decisionReason(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) ? (b.decisionReason ?? null) : null;
  }

  @FieldResolver(() => HubBookingOutcome, { nullable: true, description: 'Recorded after the booking by the hub carer, the liaison worker or staff.' })
  async outcome(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) ? (b.outcome ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async outcomeNotes(@Root() b: ShownBooking, @GqlCtx() ctx: Ctx) {
    return (await details(ctx, b)) ? (b.outcomeNotes ?? null) : null;
  }

  @Mutation(() => ConstellationPayload, { description: 'Hub carer or liaison worker.' })
  updateHubVenue(@Arg('input', () => UpdateHubVenueInput) input: UpdateHubVenueInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.updateVenue', input, (tx) => updateHubVenue(tx, input));
  }

  @Mutation(() => HubBookingPayload, {
    description:
      "FAMILY_TIME: staff only, with a supervisor, where the hub allows it. DAY_CARE: also a carer for\ntheir own household's children. Requested by the hub carer, the liaison worker or a manager, it is\nCONFIRMED at once if the hub is free; otherwise REQUESTED until the hub carer decides.",
  })
  requestHubBooking(@Arg('input', () => RequestHubBookingInput) input: RequestHubBookingInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'HubBooking.request', input, (tx) => requestHubBooking(tx, input));
  }

  @Mutation(() => HubBookingPayload, { description: 'OVERLAP when another confirmed booking holds any of the time, however many confirmations race.' })
  confirmHubBooking(@Arg('input', () => HubBookingDecisionInput) input: HubBookingDecisionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'HubBooking.confirm', input, (tx) => confirmHubBooking(tx, input));
  }

  @Mutation(() => HubBookingPayload)
  declineHubBooking(@Arg('input', () => HubBookingDecisionInput) input: HubBookingDecisionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'HubBooking.decline', input, (tx) => declineHubBooking(tx, input));
  }

  @Mutation(() => HubBookingPayload)
  cancelHubBooking(@Arg('input', () => HubBookingDecisionInput) input: HubBookingDecisionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'HubBooking.cancel', input, (tx) => cancelHubBooking(tx, input));
  }

  @Mutation(() => HubBookingPayload)
  recordHubBookingOutcome(@Arg('input', () => RecordHubBookingOutcomeInput) input: RecordHubBookingOutcomeInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'HubBooking.recordOutcome', input, (tx) => recordHubBookingOutcome(tx, input));
  }

  @Subscription(() => HubBookingEvent, {
    description: 'Hub bookings of one constellation, or of every one the viewer may see, as the subscriber may see them.',
    subscribe: ({ args, context }) => {
      const ctx = context as Ctx;
      return hubBookingEventStream(ctx, viewerOf(ctx), args.constellationId);
    },
  })
  hubBookingChanged(@Root() event: HubBookingEvent, @Arg('constellationId', () => ID, { nullable: true }) _constellationId?: string): HubBookingEvent {
    return event;
  }
}

@Resolver(() => HubBookingEvent)
export class HubBookingEventResolver {
  @FieldResolver(() => HubBooking)
  booking(@Root() e: HubBookingEvent) {
    return e.booking;
  }
}

@Resolver(() => Constellation)
export class ConstellationVenueResolver {
  @FieldResolver(() => HubVenue, { description: "The hub home's rules for daytime use." })
  venue(@Root() k: Constellation, @GqlCtx() ctx: Ctx) {
    return venueOfConstellation(ctx).load(k.id);
  }

  @FieldResolver(() => HubBookingConnection, { description: 'Daytime bookings of the hub home, by startsAt; each as the viewer may see it.' })
  async hubBookings(
    @Root() k: Constellation,
    @GqlCtx() ctx: Ctx,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => HubBookingFilter, { nullable: true }) filter?: HubBookingFilter,
  ) {
    const page = readPage({ first, after }, BY_START_THEN_ID);
    const cursor = page.after as [string, string] | null;
    return pagedConnection(
      page,
      info,
      (withTotal) => bookingsOfConstellation(ctx).load({ parentId: k.id, args: { limit: page.limit, after: cursor, filter: filter ?? null, withTotal } }),
      (b) => b.listKey!,
      async () => (await bookingCountOfConstellation(ctx).load({ parentId: k.id, args: filter ?? null }))[0] ?? 0,
    );
  }
}

@Resolver(() => Child)
export class ChildHubBookingsResolver {
  @FieldResolver(() => HubBookingConnection, { description: 'Bookings of the hub this child is part of, newest first, as the viewer may see them.' })
  async hubBookings(@Root() c: Child, @GqlCtx() ctx: Ctx, @Arg('first', () => Int, { nullable: true }) first?: number, @Arg('after', () => String, { nullable: true }) after?: string) {
    const page = readPage({ first, after }, BY_START_THEN_ID);
    const args = { limit: page.limit, after: page.after as [string, string] | null };
    const rows = await bookingsOfChild(ctx).load({ parentId: c.id, args });
    return toConnection(
      rows,
      page,
      (b) => b.listKey!,
      (b) => b,
      async () => (await bookingCountOfChild(ctx).load({ parentId: c.id, args: null }))[0] ?? 0,
    );
  }
}
