import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Constellation } from '../constellations/constellation.entity';
import { Household } from '../households/household.entity';
import { householdViaParent } from '../households/household.loaders';
import type { Ctx } from '../platform/context';
import { readPage, toConnection } from '../platform/graphql/connection';
import { viewerOf } from '../platform/graphql/guards';
import { toGlobalId } from '../platform/graphql/ids';
import { DateScalar } from '../platform/graphql/scalars';
import { runMutation } from '../platform/mutation';
import { daysBetween, todayLondon } from '../platform/time';
import { User } from '../users/user.entity';
import { SleepoverStatus, StoredSleepoverStatus } from './enums';
import { blockHubNights, checkAvailabilityRange, unblockHubNights } from './hub-nights.service';
import { Sleepover } from './sleepover.entity';
import { sleepoverEventStream } from './sleepover.events';
import {
  availabilityOfConstellation,
  childrenOfSleepover,
  constellationOfSleepover,
  requesterOfSleepover,
  sleepoverById,
  sleepoverCountOfConstellation,
  sleepoversOfConstellation,
  type SleepoverPageArgs,
} from './sleepover.loaders';
import { childrenOfSleepoverFor, hostingConstellationFor, isSeenThroughCover, seesBlockedReason, seesSleepoverDetails } from './sleepover.policy';
import { readSleepoverKey } from './sleepover.scope';
import { cancelSleepover, confirmSleepover, declineSleepover, listSleepovers, requestSleepover } from './sleepover.service';
import {
  AvailabilityPayload,
  BedNight,
  HubNightsInput,
  RequestSleepoverInput,
  SleepoverConnection,
  SleepoverDecisionInput,
  SleepoverEvent,
  SleepoverFilter,
  SleepoverPayload,
} from './sleepover.types';

/** Requested or confirmed, and its last night not yet past. */
const isOpen = (s: Sleepover) => (s.status === StoredSleepoverStatus.REQUESTED || s.status === StoredSleepoverStatus.CONFIRMED) && s.endDate > todayLondon();

const details = (ctx: Ctx, s: Sleepover) => seesSleepoverDetails(ctx.viewer, s.constellation.id, s.household.id);

@Resolver(() => Sleepover)
export class SleepoverResolver {
  @Query(() => SleepoverConnection, {
    description: "Sleepovers the viewer may see: a carer's own household's, a hub carer's and liaison\nworker's constellation's, every one for managers.",
  })
  sleepovers(
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => SleepoverFilter, { nullable: true }) filter?: SleepoverFilter,
  ) {
    return listSleepovers(ctx, viewerOf(ctx), { first, after, filter });
  }

  @FieldResolver(() => Constellation)
  async constellation(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    return hostingConstellationFor(ctx.viewer, await constellationOfSleepover(ctx).load(s.constellation.id));
  }

  @FieldResolver(() => [Child], { nullable: true, description: 'Null when the viewer may not see them (carers of other households).' })
  async children(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    if (!details(ctx, s)) return null;
    return childrenOfSleepoverFor(ctx.viewer, { constellationId: s.constellation.id, open: isOpen(s) }, await childrenOfSleepover(ctx).load(s.id));
  }

  @FieldResolver(() => Int)
  async childCount(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    return (await childrenOfSleepover(ctx).load(s.id)).length;
  }

  @FieldResolver(() => Household, { nullable: true, description: 'The household the children are placed with; null when the viewer may not see it.' })
  household(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    return details(ctx, s) ? householdViaParent(ctx).load(s.household.id) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null when the viewer may not see it.' })
  requestedBy(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    return details(ctx, s) && s.requestedBy?.id ? requesterOfSleepover(ctx).load(s.requestedBy.id) : null;
  }

  @FieldResolver(() => SleepoverStatus)
  status(@Root() s: Sleepover): SleepoverStatus {
    if (s.status === StoredSleepoverStatus.CONFIRMED && s.endDate <= todayLondon()) return SleepoverStatus.COMPLETED;
    return s.status as unknown as SleepoverStatus;
  }

  @FieldResolver(() => Int)
  nights(@Root() s: Sleepover): number {
    return daysBetween(s.startDate, s.endDate);
  }

  @FieldResolver(() => [Int], { nullable: true, description: 'Bed numbers 1..sleepoverBeds, one per child, set when confirmed.' })
  async beds(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    if (s.status !== StoredSleepoverStatus.CONFIRMED) return null;
    return (await childrenOfSleepover(ctx).load(s.id)).map((r) => r.bed);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Null when the viewer may not see it.' })
  notes(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    return details(ctx, s) ? (s.notes ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was declined or cancelled (automatic cancellations say why too).' })
  decisionReason(@Root() s: Sleepover, @GqlCtx() ctx: Ctx) {
    return details(ctx, s) ? (s.decisionReason ?? null) : null;
  }

  @Mutation(() => SleepoverPayload, {
    description:
      "A carer's request (PLANNED or EMERGENCY) is REQUESTED until the hub carer or liaison worker\ndecides; EMERGENCY ones are flagged to them at once. When the hub carer, the liaison worker or a\nmanager requests, it is CONFIRMED at once if a bed is free for every child on every night, and\notherwise fails with NO_BED_AVAILABLE.",
  })
  requestSleepover(@Arg('input', () => RequestSleepoverInput) input: RequestSleepoverInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Sleepover.request', input, (tx) => requestSleepover(tx, input));
  }

  @Mutation(() => SleepoverPayload, {
    description: 'Assigns a bed free on every night to each child; NO_BED_AVAILABLE when there are not enough,\nhowever many confirmations race.',
  })
  confirmSleepover(@Arg('input', () => SleepoverDecisionInput) input: SleepoverDecisionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Sleepover.confirm', input, (tx) => confirmSleepover(tx, input));
  }

  @Mutation(() => SleepoverPayload)
  declineSleepover(@Arg('input', () => SleepoverDecisionInput) input: SleepoverDecisionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Sleepover.decline', input, (tx) => declineSleepover(tx, input));
  }

  @Mutation(() => SleepoverPayload)
  cancelSleepover(@Arg('input', () => SleepoverDecisionInput) input: SleepoverDecisionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Sleepover.cancel', input, (tx) => cancelSleepover(tx, input));
  }

  @Mutation(() => AvailabilityPayload, { description: "Closes the hub's nights; refused where a confirmed sleepover holds a bed." })
  blockHubNights(@Arg('input', () => HubNightsInput) input: HubNightsInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.blockNights', input, (tx) => blockHubNights(tx, input));
  }

  @Mutation(() => AvailabilityPayload)
  unblockHubNights(@Arg('input', () => HubNightsInput) input: HubNightsInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Constellation.unblockNights', input, (tx) => unblockHubNights(tx, input));
  }

  @Subscription(() => SleepoverEvent, {
    description: 'Sleepover and night changes of one constellation, or of every constellation the viewer may see\nwhen constellationId is null, each as the subscriber may see it.',
    subscribe: ({ args, context }) => {
      const ctx = context as Ctx;
      return sleepoverEventStream(ctx, viewerOf(ctx), args.constellationId);
    },
  })
  sleepoverChanged(@Root() event: SleepoverEvent, @Arg('constellationId', () => ID, { nullable: true }) _constellationId?: string): SleepoverEvent {
    return event;
  }
}

@Resolver(() => SleepoverEvent)
export class SleepoverEventResolver {
  @FieldResolver(() => Constellation)
  async constellation(@Root() e: SleepoverEvent, @GqlCtx() ctx: Ctx) {
    return hostingConstellationFor(ctx.viewer, await constellationOfSleepover(ctx).load(e.message.constellationId));
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Null for NIGHTS_* events.' })
  sleepoverId(@Root() e: SleepoverEvent) {
    return e.message.sleepoverId ? toGlobalId('Sleepover', e.message.sleepoverId) : null;
  }

  @FieldResolver(() => Sleepover, { nullable: true, description: 'The sleepover as the subscriber may see it; null for NIGHTS_* events.' })
  sleepover(@Root() e: SleepoverEvent, @GqlCtx() ctx: Ctx) {
    return e.message.sleepoverId ? sleepoverById(ctx).load(e.message.sleepoverId) : null;
  }

  @FieldResolver(() => [BedNight], { description: 'The nights whose availability changed, after the change.' })
  async nights(@Root() e: SleepoverEvent, @GqlCtx() ctx: Ctx) {
    const { constellationId, from, to } = e.message;
    return from && to ? availabilityOfConstellation(ctx).load({ parentId: constellationId, args: { from, to } }) : [];
  }
}

@Resolver(() => BedNight)
export class BedNightResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Null when the viewer may not see it (satellite carers).' })
  blockedReason(@Root() n: BedNight, @GqlCtx() ctx: Ctx) {
    return seesBlockedReason(ctx.viewer, n.constellationId) ? (n.reason ?? null) : null;
  }
}

@Resolver(() => Constellation)
export class ConstellationSleepoversResolver {
  @FieldResolver(() => [BedNight], { description: 'Bed use night by night over [from, to), at most 366 nights.' })
  availability(@Root() k: Constellation, @GqlCtx() ctx: Ctx, @Arg('from', () => DateScalar) from: string, @Arg('to', () => DateScalar) to: string) {
    checkAvailabilityRange(from, to);
    if (isSeenThroughCover(k)) return [];
    return availabilityOfConstellation(ctx).load({ parentId: k.id, args: { from, to } });
  }

  @FieldResolver(() => SleepoverConnection)
  async sleepovers(
    @Root() k: Constellation,
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => SleepoverFilter, { nullable: true }) filter?: SleepoverFilter,
  ) {
    const page = readPage({ first, after });
    const args: SleepoverPageArgs = { limit: page.limit, after: readSleepoverKey(page.after), filter: filter ?? null };
    const rows = await sleepoversOfConstellation(ctx).load({ parentId: k.id, args });
    return toConnection(
      rows,
      page,
      (s) => s.listKey,
      (s) => s,
      async () => (await sleepoverCountOfConstellation(ctx).load({ parentId: k.id, args: args.filter }))[0] ?? 0,
    );
  }
}
