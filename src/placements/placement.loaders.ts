import DataLoader from 'dataloader';
import { childVisible } from '../auth/scope';
import { isCarer } from '../auth/viewer';
import { Child } from '../children/child.entity';
import { defineLoader } from '../platform/context';
import { keyIn, Params } from '../platform/db/params';
import { byKey, findRows, groupByKey } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { registerNodeType } from '../platform/graphql/node-registry';
import { todayLondon } from '../platform/time';
import { Placement } from './placement.entity';

/**
 * Placements the viewer may see: those of children they may see; carers only those with
 * households of their own constellation (their own household when in none).
 */
function placementVisible(ctx: Parameters<typeof childVisible>[0], alias: string, p: Params): string {
  const child = `exists (select 1 from child vc where vc.id = ${alias}.child_id and ${childVisible(ctx, 'vc', p)})`;
  if (!isCarer(ctx)) return child;
  return `(${child} and (${alias}.household_id = ${p.add(ctx.householdId)}::uuid or exists (
    select 1 from constellation_membership pm where pm.household_id = ${alias}.household_id and pm.constellation_id = ${p.add(ctx.memberConstellationId)}::uuid)))`;
}

export const placementById = defineLoader(
  'placementById',
  (ctx) =>
    new DataLoader<string, Placement | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      const rows = await findRows(ctx.em, Placement, `select pl.* from placement pl where ${keyIn(p, 'pl.id', ids)} and ${placementVisible(ctx.viewer, 'pl', p)}`, p.values);
      return byKey(ids, rows, (x) => x.id);
    }),
);

/** Placement history per child, oldest first. */
export const placementsByChild = defineLoader(
  'placementsByChild',
  (ctx) =>
    new DataLoader<string, Placement[]>(async (childIds) => {
      if (!ctx.viewer) return childIds.map(() => []);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        Placement,
        `select pl.* from placement pl where ${keyIn(p, 'pl.child_id', childIds)} and ${placementVisible(ctx.viewer, 'pl', p)} order by pl.start_date, pl.id`,
        p.values,
      );
      return groupByKey(childIds, rows, (x) => x.child.id);
    }),
);

export const currentPlacementByChild = defineLoader(
  'currentPlacementByChild',
  (ctx) =>
    new DataLoader<string, Placement | null>(async (childIds) => {
      if (!ctx.viewer) return childIds.map(() => null);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        Placement,
        `select pl.* from placement pl where ${keyIn(p, 'pl.child_id', childIds)} and pl.period @> ${p.add(todayLondon())}::date and ${placementVisible(ctx.viewer, 'pl', p)}`,
        p.values,
      );
      return byKey(childIds, rows, (x) => x.child.id);
    }),
);

/**
 * Placements covering today per household, as the viewer may see them. A household can be
 * reachable where its children are not (a liaison worker reading a former member, or a household
 * met in a care history), so the placements are scoped here too.
 */
export const currentPlacementsByHousehold = defineLoader(
  'currentPlacementsByHousehold',
  (ctx) =>
    new DataLoader<string, Placement[]>(async (householdIds) => {
      if (!ctx.viewer) return householdIds.map(() => []);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        Placement,
        `select pl.* from placement pl
        where ${keyIn(p, 'pl.household_id', householdIds)} and pl.period @> ${p.add(todayLondon())}::date and ${placementVisible(ctx.viewer, 'pl', p)}
        order by pl.start_date, pl.id`,
        p.values,
      );
      return groupByKey(householdIds, rows, (x) => x.household!.id);
    }),
);

/** How many children live in each household today, seen or not (vacancies count every place taken). */
export const currentPlacementCountByHousehold = defineLoader(
  'currentPlacementCountByHousehold',
  (ctx) =>
    new DataLoader<string, number>(async (householdIds) => {
      const rows = await sql(
        ctx.em,
        `select household_id, count(*)::int as n from placement
        where household_id = any($1::uuid[]) and period @> $2::date and organisation_id = $3 group by household_id`,
        [householdIds, todayLondon(), ctx.viewer?.organisationId],
      );
      const m = new Map(rows.map((r) => [r.household_id as string, r.n as number]));
      return householdIds.map((h) => m.get(h) ?? 0);
    }),
);

registerNodeType('Placement', (ctx, id) => placementById(ctx).load(id));

/** The child of a placement the viewer may already see (placement visibility implies the child's). */
export const childOfPlacement = defineLoader(
  'childOfPlacement',
  (ctx) =>
    new DataLoader<string, Child | null>(async (ids) => {
      const p = new Params();
      const rows = await findRows(ctx.em, Child, `select * from child where ${keyIn(p, 'id', ids)} and organisation_id = ${p.add(ctx.viewer?.organisationId)}`, p.values);
      return byKey(ids, rows, (c) => c.id);
    }),
);
