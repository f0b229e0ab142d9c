import DataLoader from 'dataloader';
import { constellationVisible } from '../auth/scope';
import { Household } from '../households/household.entity';
import { carersAlongside, householdViaParent, primeCarers, primeViaParent } from '../households/household.loaders';
import { constellationScope } from '../auth/viewer';
import { defineLoader, type Ctx } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { afterCursor, keyIn, Params, parentRows } from '../platform/db/params';
import { byKey, byParent, findRows, joinedColumns, mapRow, readJoined } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { registerNodeType } from '../platform/graphql/node-registry';
import { todayLondon } from '../platform/time';
import { Constellation } from './constellation.entity';
import { MembershipRole } from './enums';
import { ConstellationMembership } from './membership.entity';

export const constellationById = defineLoader(
  'constellationById',
  (ctx) =>
    new DataLoader<string, Constellation | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      // Each constellation comes with its hub household (as hubOfConstellation reads it) and the
      // hub's carers, handed to their loaders: a screen that shows a constellation nearly always
      // shows its hub and who runs it.
      const rows = await sql(
        ctx.em,
        `select k.*, ${joinedColumns(ctx.em, Household, 'hub', 'hub')}, carers.* from constellation k
         left join lateral (${HUB_HOUSEHOLD_SQL('k.id', p.add(todayLondon()), p.add(ctx.viewer.organisationId))} limit 1) hub on true
         ${carersAlongside(ctx, 'hub', p)}
         where ${keyIn(p, 'k.id', ids)} and ${constellationVisible(ctx.viewer, 'k', p)}`,
        p.values,
      );
      const hubs = hubOfConstellation(ctx);
      const ks = rows.map((row) => {
        const hub = readJoined(ctx.em, Household, row, 'hub');
        if (hub) primeCarers(ctx, hub.id, row);
        const k = mapRow(ctx.em, Constellation, row);
        hubs.prime(k.id, hub);
        return k;
      });
      return byKey(ids, ks, (k) => k.id);
    }),
);

/**
 * A constellation's hub household: today's HUB membership, else the most recent one, as rows of
 * household in that order (the caller takes the first).
 */
const HUB_HOUSEHOLD_SQL = (constellationId: string, today: string, organisationId: string) =>
  `select h.* from constellation_membership m join household h on h.id = m.household_id
    where m.constellation_id = ${constellationId} and m.role = 'HUB' and h.organisation_id = ${organisationId}
    order by (m.period @> ${today}::date) desc, m.joined_on desc`;

/**
 * The hub household of each constellation: today's HUB membership, else the most recent one.
 * Whoever may see a constellation may see its hub, so this is not scoped again.
 */
export const hubOfConstellation = defineLoader(
  'hubOfConstellation',
  (ctx) =>
    new DataLoader<string, Household | null>(async (ids) => {
      const rows = await sql(ctx.em, `select k.parent_id, x.* from unnest($1::uuid[]) as k(parent_id) cross join lateral (${HUB_HOUSEHOLD_SQL('k.parent_id', '$2', '$3')} limit 1) x`, [
        ids,
        todayLondon(),
        ctx.viewer?.organisationId,
      ]);
      const byParent = new Map(
        rows.map((r) => {
          const { parent_id, ...h } = r;
          return [parent_id as string, mapRow(ctx.em, Household, h)];
        }),
      );
      return ids.map((id) => byParent.get(id) ?? null);
    }),
);

/** The constellation a household belongs to today (as satellite or hub), if the viewer may see it. */
export const constellationOfHousehold = defineLoader(
  'constellationOfHousehold',
  (ctx) =>
    new DataLoader<string, Constellation | null>(async (householdIds) => {
      const p = new Params();
      const rows = await sql(
        ctx.em,
        `select household_id, constellation_id from constellation_membership where ${keyIn(p, 'household_id', householdIds)} and period @> ${p.add(todayLondon())}::date`,
        p.values,
      );
      const cids = rows.map((r) => r.constellation_id as string);
      const ks = await constellationById(ctx).loadMany(cids);
      const byHousehold = new Map<string, Constellation | null>();
      rows.forEach((r, i: number) => byHousehold.set(r.household_id, ks[i] instanceof Error ? null : ks[i]));
      return householdIds.map((h) => byHousehold.get(h) ?? null);
    }),
);

/** Constellations a user is the liaison worker of, visible to the viewer, by name. */
export const liaisonConstellationsOfUser = defineLoader(
  'liaisonConstellationsOfUser',
  (ctx) =>
    new DataLoader<string, Constellation[]>(async (userIds) => {
      if (!ctx.viewer) return userIds.map(() => []);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        Constellation,
        `select k.* from constellation k where ${keyIn(p, 'k.liaison_worker_id', userIds)} and ${constellationVisible(ctx.viewer, 'k', p)} order by k.name, k.id`,
        p.values,
      );
      return userIds.map((u) => rows.filter((k) => k.liaisonWorker?.id === u));
    }),
);

/** The constellation whose hub household a user cares in, today. */
export const hubConstellationOfUser = defineLoader(
  'hubConstellationOfUser',
  (ctx) =>
    new DataLoader<string, Constellation | null>(async (userIds) => {
      // The viewer's own hub is known from the viewer (today's membership, read for authorisation).
      const v = ctx.viewer;
      const others = userIds.filter((u) => u !== v?.userId);
      const rows: { user_id: string; constellation_id: string }[] = others.length
        ? await sql(
            ctx.em,
            `select c.user_id, m.constellation_id from carer c
             join constellation_membership m on m.household_id = c.household_id and m.role = 'HUB' and m.period @> $2::date
            where c.user_id = any($1::uuid[])`,
            [others, todayLondon()],
          )
        : [];
      if (v && others.length < userIds.length && v.memberRole === MembershipRole.HUB && v.memberConstellationId) rows.push({ user_id: v.userId, constellation_id: v.memberConstellationId });
      const ks = await constellationById(ctx).loadMany(rows.map((r) => r.constellation_id));
      const byUser = new Map<string, Constellation | null>();
      rows.forEach((r, i: number) => byUser.set(r.user_id, ks[i] instanceof Error ? null : ks[i]));
      return userIds.map((u) => byUser.get(u) ?? null);
    }),
);

export interface MembersArgs {
  limit: number;
  after: [string, string] | null;
  includeFormer: boolean;
}

/**
 * The constellations among `ids` whose members the viewer may list. A constellation can be reached
 * without being visible (the hub hosting a carer's child as cover, through the sleepover), and
 * that shows where the child stays, not who else belongs there.
 */
function listableConstellations(ctx: Ctx, ids: readonly string[]): string[] {
  const scope = ctx.viewer ? constellationScope(ctx.viewer) : [];
  return scope === null ? [...ids] : ids.filter((id) => scope.includes(id));
}

/** Satellite memberships per constellation, by household name, one statement for every constellation asked. */
export const membersOfConstellation = defineLoader('membersOfConstellation', (ctx) =>
  pagedLoader<MembersArgs, ConstellationMembership & { householdName: string }>(async (allIds, args) => {
    const ids = listableConstellations(ctx, allIds);
    if (!ids.length) return new Map();
    const p = new Params();
    const rows = await sql(
      ctx.em,
      `select k.parent_id, x.* from ${parentRows(p, ids, 'k')} cross join lateral (
         select m.*, h.name as household_name, ${joinedColumns(ctx.em, Household, 'h', 'household')}, carers.*
           from constellation_membership m join household h on h.id = m.household_id
           ${carersAlongside(ctx, 'h', p)}
          where m.constellation_id = k.parent_id and m.role = 'SATELLITE'
            ${args.includeFormer ? '' : `and m.period @> ${p.add(todayLondon())}::date`}
            ${afterCursor(p, '(h.name, m.id)', args.after, ['text', 'uuid'])}
          order by h.name, m.id limit ${p.add(args.limit + 1)}) x`,
      p.values,
    );
    const households = householdViaParent(ctx);
    return byParent(rows, (m) => {
      const h = readJoined(ctx.em, Household, m, 'household');
      primeViaParent(ctx, households, h);
      if (h) primeCarers(ctx, h.id, m);
      return Object.assign(mapRow(ctx.em, ConstellationMembership, m), { householdName: m.household_name as string });
    });
  }),
);

/** Satellite counts per constellation; the key is `${constellationId}|${includeFormer}`. */
export const memberCountOfConstellation = defineLoader(
  'memberCountOfConstellation',
  (ctx) =>
    new DataLoader<string, number>(async (keys) => {
      const ids = listableConstellations(ctx, [...new Set(keys.map((k) => k.split('|')[0]))]);
      const rows = await sql(
        ctx.em,
        `select constellation_id, count(*)::int as all_n, (count(*) filter (where period @> $2::date))::int as current_n
         from constellation_membership where constellation_id = any($1::uuid[]) and role = 'SATELLITE'
        group by constellation_id`,
        [ids, todayLondon()],
      );
      const m = new Map(rows.map((r) => [r.constellation_id as string, r]));
      return keys.map((k) => {
        const [id, includeFormer] = k.split('|');
        const r = m.get(id);
        return r ? (includeFormer === 'true' ? r.all_n : r.current_n) : 0;
      });
    }),
);

registerNodeType('Constellation', (ctx, id) => constellationById(ctx).load(id));
