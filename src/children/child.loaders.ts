import DataLoader from 'dataloader';
import { childVisible } from '../auth/scope';
import { hubConstellationOf } from '../auth/viewer';
import { defineLoader, type Ctx } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { afterCursor, keyIn, Params, parentRows } from '../platform/db/params';
import { byKey, byParent, findRows, mapRow, rowAlongside, readJoined } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { viewerOf } from '../platform/graphql/guards';
import { registerNodeType } from '../platform/graphql/node-registry';
import { todayLondon } from '../platform/time';
import { Child } from './child.entity';

export const childById = defineLoader(
  'childById',
  (ctx) =>
    new DataLoader<string, Child | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      const rows = await findRows(ctx.em, Child, `select c.* from child c where ${keyIn(p, 'c.id', ids)} and ${childVisible(ctx.viewer, 'c', p)}`, p.values);
      return byKey(ids, rows, (c) => c.id);
    }),
);

/**
 * A lateral join (alias `prefix`) bringing the child `keyColumn` names beside a list statement's
 * row, exactly as childById would return it to this viewer (none they may not see, whatever the
 * list is about); `primeChild` hands it to that loader.
 */
export function childAlongside(ctx: Ctx, keyColumn: string, prefix: string, p: Params): string {
  return rowAlongside(ctx.em, Child, keyColumn, prefix, (c) => (ctx.viewer ? childVisible(ctx.viewer, c, p) : 'false'));
}

/** Takes `childAlongside`'s columns off `row` and hands childById its answer for `id`: the child, or null when the viewer may not see it. */
export function primeChild(ctx: Ctx, id: string | null | undefined, row: Record<string, unknown>, prefix: string): void {
  const child = readJoined(ctx.em, Child, row, prefix);
  if (id && ctx.viewer) childById(ctx).prime(id, child);
}

/** Siblings the viewer may see, by first name. */
export const siblingsByChild = defineLoader(
  'siblingsByChild',
  (ctx) =>
    new DataLoader<string, Child[]>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => []);
      const p = new Params();
      const rows = await sql(
        ctx.em,
        `select s.child_id as parent_id, c.* from child_sibling s join child c on c.id = s.sibling_id
        where ${keyIn(p, 's.child_id', ids)} and ${childVisible(ctx.viewer, 'c', p)} order by c.first_name, c.id`,
        p.values,
      );
      const out = byParent(rows, (c) => mapRow(ctx.em, Child, c));
      return ids.map((id) => out.get(id) ?? []);
    }),
);

export interface ChildrenPageArgs {
  limit: number;
  after: [string, string] | null;
}

/** Children placed today with each constellation's satellite households, as the viewer may see them. */
export const childrenOfConstellation = defineLoader('childrenOfConstellation', (ctx) =>
  pagedLoader<ChildrenPageArgs, Child>(async (ids, args) => {
    const p = new Params();
    const parents = parentRows(p, ids, 'k');
    const today = p.add(todayLondon());
    const rows = await sql(
      ctx.em,
      `select k.parent_id, x.* from ${parents} cross join lateral (
         select c.* from child c
          where exists (select 1 from placement pl join constellation_membership m on m.household_id = pl.household_id
                         where pl.child_id = c.id and pl.period @> ${today}::date and m.constellation_id = k.parent_id
                           and m.role = 'SATELLITE' and m.period @> ${today}::date)
            and ${childVisible(viewerOf(ctx), 'c', p)}
            ${afterCursor(p, '(c.first_name, c.id)', args.after, ['text', 'uuid'])}
          order by c.first_name, c.id limit ${p.add(args.limit + 1)}) x`,
      p.values,
    );
    return byParent(rows, (c) => mapRow(ctx.em, Child, c));
  }),
);

registerNodeType('Child', (ctx, id) => childById(ctx).load(id));

/** Children with a requested or confirmed sleepover, not yet over, at the viewer's hub. */
export const openSleepoverAtViewersHub = defineLoader(
  'openSleepoverAtViewersHub',
  (ctx) =>
    new DataLoader<string, boolean>(async (childIds) => {
      const hub = ctx.viewer ? hubConstellationOf(ctx.viewer) : null;
      if (!hub) return childIds.map(() => false);
      const rows = await sql(
        ctx.em,
        `select distinct sc.child_id from sleepover_child sc join sleepover s on s.id = sc.sleepover_id
        where sc.child_id = any($1::uuid[]) and s.constellation_id = $2 and s.status in ('REQUESTED', 'CONFIRMED') and s.end_date > $3::date`,
        [childIds, hub, todayLondon()],
      );
      const set = new Set(rows.map((r) => r.child_id as string));
      return childIds.map((id) => set.has(id));
    }),
);
