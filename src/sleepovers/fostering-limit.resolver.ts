import DataLoader from 'dataloader';
import { Arg, Ctx as GqlCtx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Viewer } from '../auth/viewer';
import { Child } from '../children/child.entity';
import { childById } from '../children/child.loaders';
import { Household } from '../households/household.entity';
import { householdById } from '../households/household.loaders';
import { defineLoader, type Ctx } from '../platform/context';
import { findRows } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { registerNodeType } from '../platform/graphql/node-registry';
import { runMutation } from '../platform/mutation';
import { withAffected } from './repack';
import { User } from '../users/user.entity';
import { userById } from '../users/user.loaders';
import { FosteringLimitExemption } from './fostering-limit-exemption.entity';
import { seesExemptions } from './fostering-limit.policy';
import { endFosteringLimitExemption, grantFosteringLimitExemption } from './fostering-limit.service';
import { EndFosteringLimitExemptionInput, FosteringLimitExemptionPayload, GrantFosteringLimitExemptionInput } from './fostering-limit.types';

/** Each household's exemptions, newest first, in one statement for every household. */
const exemptionsOfHousehold = defineLoader(
  'exemptionsOfHousehold',
  (ctx) =>
    new DataLoader<string, FosteringLimitExemption[]>(async (ids) => {
      const rows = await findRows(
        ctx.em,
        FosteringLimitExemption,
        `select * from fostering_limit_exemption where household_id = any($1::uuid[]) and organisation_id = $2 order by from_date desc, created_at desc, id desc`,
        [ids, ctx.viewer?.organisationId],
      );
      return ids.map((id) => rows.filter((e) => e.household.id === id));
    }),
);

const namedChildrenOfExemption = defineLoader(
  'namedChildrenOfExemption',
  (ctx) =>
    new DataLoader<string, string[]>(async (ids) => {
      const rows = await sql(ctx.em, `select exemption_id, child_id from fostering_limit_exemption_child where exemption_id = any($1::uuid[]) order by child_id`, [ids]);
      return ids.map((id) => rows.filter((r) => r.exemption_id === id).map((r) => r.child_id as string));
    }),
);

const exemptionById = defineLoader(
  'exemptionById',
  (ctx) =>
    new DataLoader<string, FosteringLimitExemption | null>(async (ids) => {
      const rows = await findRows(ctx.em, FosteringLimitExemption, `select * from fostering_limit_exemption where id = any($1::uuid[]) and organisation_id = $2`, [ids, ctx.viewer?.organisationId]);
      return ids.map((id) => rows.find((e) => e.id === id) ?? null);
    }),
);

const mayRead = (ctx: Ctx, v: Viewer | null, householdId: string) => seesExemptions(v, householdId, async () => (await householdById(ctx).load(householdId)) !== null);

registerNodeType('FosteringLimitExemption', async (ctx, id, v) => {
  const e = await exemptionById(ctx).load(id);
  return e && (await mayRead(ctx, v, e.household.id)) ? e : null;
});

@Resolver(() => FosteringLimitExemption)
export class FosteringLimitExemptionResolver {
  @FieldResolver(() => [Child], { description: 'The named children it is for (as the viewer may see them).' })
  async children(@Root() e: FosteringLimitExemption, @GqlCtx() ctx: Ctx) {
    const found = await childById(ctx).loadMany(await namedChildrenOfExemption(ctx).load(e.id));
    return found.filter((c): c is Child => !!c && !(c instanceof Error));
  }

  @FieldResolver(() => Int)
  async namedChildCount(@Root() e: FosteringLimitExemption, @GqlCtx() ctx: Ctx) {
    return (await namedChildrenOfExemption(ctx).load(e.id)).length;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Recorded by.' })
  grantedBy(@Root() e: FosteringLimitExemption, @GqlCtx() ctx: Ctx) {
    return e.grantedBy?.id ? userById(ctx).load(e.grantedBy.id) : null;
  }

  @Mutation(() => FosteringLimitExemptionPayload)
  grantFosteringLimitExemption(@Arg('input', () => GrantFosteringLimitExemptionInput) input: GrantFosteringLimitExemptionInput, @GqlCtx() ctx: Ctx) {
    return withAffected(runMutation(ctx, 'Household.grantFosteringLimitExemption', input, (tx) => grantFosteringLimitExemption(tx, input)));
  }

  @Mutation(() => FosteringLimitExemptionPayload)
  endFosteringLimitExemption(@Arg('input', () => EndFosteringLimitExemptionInput) input: EndFosteringLimitExemptionInput, @GqlCtx() ctx: Ctx) {
    return withAffected(runMutation(ctx, 'Household.endFosteringLimitExemption', input, (tx) => endFosteringLimitExemption(tx, input)));
  }
}

@Resolver(() => Household)
export class HouseholdExemptionsResolver {
  @FieldResolver(() => [FosteringLimitExemption], { nullable: true, description: 'Exemptions from the fostering limit, newest first; null for carers of other households.' })
  async fosteringLimitExemptions(@Root() h: Household, @GqlCtx() ctx: Ctx) {
    return (await mayRead(ctx, ctx.viewer, h.id)) ? exemptionsOfHousehold(ctx).load(h.id) : null;
  }
}
