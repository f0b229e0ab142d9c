import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Child } from '../children/child.entity';
import { childById } from '../children/child.loaders';
import type { Ctx } from '../platform/context';
import { readPage, toConnection } from '../platform/graphql/connection';
import { runMutation } from '../platform/mutation';
import { withAffected } from './repack';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { SleepoverConsent } from './consent.entity';
import { consentAudienceOfChild, consentCountOfChild, consentsOfChild, standingConsentOfChild, type ConsentPageArgs } from './consent.loaders';
import { seesConsents, seesNotWith } from './consent.policy';
import { recordSleepoverConsent, withdrawSleepoverConsent } from './consent.service';
import { RecordSleepoverConsentInput, SleepoverConsentConnection, SleepoverConsentPayload, WithdrawSleepoverConsentInput } from './consent.types';

const CONSENT_KEY = ['date', 'timestamptz', 'uuid'] as const;

async function mayRead(ctx: Ctx, childId: string): Promise<boolean> {
  return seesConsents(ctx.viewer, await consentAudienceOfChild(ctx).load(childId));
}

@Resolver(() => SleepoverConsent)
export class SleepoverConsentResolver {
  @FieldResolver(() => [Child], { nullable: true, description: 'Children this child must never share a room with; null for viewers other than staff and the hub carer.' })
  async notWith(@Root() c: SleepoverConsent, @GqlCtx() ctx: Ctx) {
    if (!seesNotWith(ctx.viewer, await consentAudienceOfChild(ctx).load(c.child.id))) return null;
    const found = await childById(ctx).loadMany(c.notWithIds ?? []);
    return found.filter((x): x is Child => !!x && !(x instanceof Error));
  }

  @FieldResolver(() => User, { nullable: true })
  recordedBy(@Root() c: SleepoverConsent, @GqlCtx() ctx: Ctx) {
    return c.recordedBy?.id ? userById(ctx).load(c.recordedBy.id) : null;
  }

  @Mutation(() => SleepoverConsentPayload)
  recordSleepoverConsent(@Arg('input', () => RecordSleepoverConsentInput) input: RecordSleepoverConsentInput, @GqlCtx() ctx: Ctx) {
    return withAffected(runMutation(ctx, 'Child.recordSleepoverConsent', input, (tx) => recordSleepoverConsent(tx, input)));
  }

  @Mutation(() => SleepoverConsentPayload)
  withdrawSleepoverConsent(@Arg('input', () => WithdrawSleepoverConsentInput) input: WithdrawSleepoverConsentInput, @GqlCtx() ctx: Ctx) {
    return withAffected(runMutation(ctx, 'Child.withdrawSleepoverConsent', input, (tx) => withdrawSleepoverConsent(tx, input)));
  }
}

@Resolver(() => Child)
export class ChildConsentResolver {
  @FieldResolver(() => SleepoverConsent, {
    nullable: true,
    description:
      "The consent that stands tonight; null when none stands, or for viewers other than staff, the\nchild's own carers, and the hub carer of the child's constellation (or of a hub hosting the child on\nan open sleepover).",
  })
  async sleepoverConsent(@Root() c: Child, @GqlCtx() ctx: Ctx) {
    if (!(await mayRead(ctx, c.id))) return null;
    return standingConsentOfChild(ctx).load(c.id);
  }

  @FieldResolver(() => SleepoverConsentConnection, {
    nullable: true,
    description:
      'Every consent recorded for the child, newest first (the same viewers); a new consent supersedes\nthe one before it from its givenOn, and nights are judged by the consent that stood on them.',
  })
  async sleepoverConsents(@Root() c: Child, @GqlCtx() ctx: Ctx, @Arg('first', () => Int, { nullable: true }) first?: number, @Arg('after', () => String, { nullable: true }) after?: string) {
    const page = readPage({ first, after }, CONSENT_KEY);
    if (!(await mayRead(ctx, c.id))) return null;
    const args: ConsentPageArgs = { limit: page.limit, after: page.after as ConsentPageArgs['after'] };
    const rows = await consentsOfChild(ctx).load({ parentId: c.id, args });
    return toConnection(
      rows,
      page,
      (r) => r.listKey,
      (r) => r,
      () => consentCountOfChild(ctx).load(c.id),
    );
  }
}
