import DataLoader from 'dataloader';
import { childVisible, Params } from '../auth/scope';
import { isCarer } from '../auth/viewer';
import { defineLoader } from '../platform/context';
import { byKey, findRows, groupByKey } from '../platform/db/rows';
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

export const placementById = defineLoader('placementById', (ctx) =>
  new DataLoader<string, Placement | null>(async (ids) => {
    if (!ctx.viewer) return ids.map(() => null);
    const p = new Params();
    const rows = await findRows(ctx.em, Placement, `select pl.* from placement pl where pl.id = any(${p.add(ids)}::uuid[]) and ${placementVisible(ctx.viewer, 'pl', p)}`, p.values);
    return byKey(ids, rows, (x) => x.id);
  }),
);

/** Placement history per child, oldest first. */
export const placementsByChild = defineLoader('placementsByChild', (ctx) =>
  new DataLoader<string, Placement[]>(async (childIds) => {
    if (!ctx.viewer) return childIds.map(() => []);
    const p = new Params();
    const rows = await findRows(
      ctx.em,
      Placement,
      `select pl.* from placement pl where pl.child_id = any(${p.add(childIds)}::uuid[]) and ${placementVisible(ctx.viewer, 'pl', p)} order by pl.start_date, pl.id`,
      p.values,
    );
    return groupByKey(childIds, rows, (x) => x.child.id);
  }),
);

export const currentPlacementByChild = defineLoader('currentPlacementByChild', (ctx) =>
  new DataLoader<string, Placement | null>(async (childIds) => {
    if (!ctx.viewer) return childIds.map(() => null);
    const p = new Params();
    const rows = await findRows(
      ctx.em,
      Placement,
      `select pl.* from placement pl where pl.child_id = any(${p.add(childIds)}::uuid[]) and pl.period @> ${p.add(todayLondon())}::date and ${placementVisible(ctx.viewer, 'pl', p)}`,
      p.values,
    );
    return byKey(childIds, rows, (x) => x.child.id);
  }),
);

/** Placements covering today per household (the caller has already checked it may see them). */
export const currentPlacementsByHousehold = defineLoader('currentPlacementsByHousehold', (ctx) =>
  new DataLoader<string, Placement[]>(async (householdIds) => {
    const rows = await findRows(
      ctx.em,
      Placement,
      `select pl.* from placement pl where pl.household_id = any($1::uuid[]) and pl.period @> $2::date and pl.organisation_id = $3 order by pl.start_date, pl.id`,
      [householdIds, todayLondon(), ctx.viewer?.organisationId],
    );
    return groupByKey(householdIds, rows, (x) => x.household!.id);
  }),
);

registerNodeType('Placement', (ctx, id) => placementById(ctx).load(id));
