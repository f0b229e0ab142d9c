import { Ctx as GqlCtx, Mutation, Resolver } from 'type-graphql';
import { Ctx } from '../platform/context';
import { runMutation } from '../platform/mutation';
import { issueCalendarFeed, revokeCalendarFeed } from './calendar.service';
import { CalendarFeedPayload, RevokePayload } from './calendar.types';

@Resolver()
export class CalendarResolver {
  /**
   * The URL is a secret: it must not sit in the idempotency store in clear, so this mutation runs
   * without the Idempotency-Key. A repeat issues another URL and kills the previous one, which the
   * client never received, so the client still ends up with exactly one working URL.
   */
  @Mutation(() => CalendarFeedPayload)
  issueCalendarFeed(@GqlCtx() ctx: Ctx) {
    return runMutation(withoutIdempotency(ctx), 'CalendarFeed.issue', {}, (tx) => issueCalendarFeed(tx));
  }

  @Mutation(() => RevokePayload)
  async revokeCalendarFeed(@GqlCtx() ctx: Ctx) {
    const r = await runMutation(ctx, 'CalendarFeed.revoke', {}, (tx) => revokeCalendarFeed(tx));
    return { revoked: r.revoked ?? false, userErrors: r.userErrors };
  }
}

function withoutIdempotency(ctx: Ctx): Ctx {
  return ctx.idempotencyKey ? new Ctx(ctx.app, ctx.em, ctx.viewer, ctx.requestId, ctx.log, null, ctx.clientAddress, ctx.origin) : ctx;
}
