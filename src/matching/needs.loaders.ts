import DataLoader from 'dataloader';
import { defineLoader } from '../platform/context';
import { groupByKey } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { viewerOf } from '../platform/graphql/guards';
import { ChildNeed, HouseholdSkill, type NeedArea } from './needs.entity';

type Row = { owner: string; area: NeedArea; detail: string | null; essential?: boolean };

function group<T>(ids: readonly string[], rows: Row[], make: (r: Row) => T): T[][] {
  return groupByKey(ids, rows, (r) => r.owner).map((list) => list.map(make));
}

/**
 * A child's needs, in the order staff gave them. The callers decide who may read them
 * (matching.policy.ts); the organisation condition is a second fence.
 */
export const needsByChild = defineLoader(
  'needsByChild',
  (ctx) =>
    new DataLoader<string, ChildNeed[]>(async (ids) => {
      const rows = await sql<Row>(
        ctx.em,
        `select n.child_id as owner, n.area, n.detail, n.essential from child_need n
        where n.child_id = any($1::uuid[]) and n.organisation_id = $2::uuid order by n.child_id, n.position`,
        [ids, viewerOf(ctx).organisationId],
      );
      return group(ids, rows, (r) => Object.assign(new ChildNeed(), { area: r.area, detail: r.detail, essential: r.essential }));
    }),
);

export const skillsByHousehold = defineLoader(
  'skillsByHousehold',
  (ctx) =>
    new DataLoader<string, HouseholdSkill[]>(async (ids) => {
      const rows = await sql<Row>(
        ctx.em,
        `select s.household_id as owner, s.area, s.detail from household_skill s
        where s.household_id = any($1::uuid[]) and s.organisation_id = $2::uuid order by s.household_id, s.position`,
        [ids, viewerOf(ctx).organisationId],
      );
      return group(ids, rows, (r) => Object.assign(new HouseholdSkill(), { area: r.area, detail: r.detail }));
    }),
);
