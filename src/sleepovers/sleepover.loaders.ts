import DataLoader from 'dataloader';
import { childVisible } from '../auth/scope';
import { Child } from '../children/child.entity';
import { Constellation } from '../constellations/constellation.entity';
import { Household } from '../households/household.entity';
import { householdViaParent, primeViaParent } from '../households/household.loaders';
import { defineLoader, type Ctx } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { keyIn, Params, parentRows } from '../platform/db/params';
import { byKey, byParent, findRows, joinedColumns, joinedListColumns, mapRow, readJoined, readJoinedList } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { viewerOf } from '../platform/graphql/guards';
import { registerNodeType } from '../platform/graphql/node-registry';
import { User, USER_COLUMNS } from '../users/user.entity';
import { availabilityOf } from './hub-nights.service';
import { Sleepover } from './sleepover.entity';
import { afterKeySql, CREATED_KEY_SQL, filterConditions, sleepoverVisible, type SleepoverKey } from './sleepover.scope';
import type { BedNight, SleepoverFilter } from './sleepover.types';

/** A sleepover row with its place in the list order, for cursors. */
export type ListedSleepover = Sleepover & { listKey: SleepoverKey };

export function toListed(ctx: Ctx, row: Record<string, unknown>): ListedSleepover {
  const s = mapRow(ctx.em, Sleepover, row);
  return Object.assign(s, { listKey: [s.startDate, row.created_key as string, s.id] as SleepoverKey });
}

/** Sleepovers the viewer may see, including other households' booked nights for satellite carers. */
export const sleepoverById = defineLoader(
  'sleepoverById',
  (ctx) =>
    new DataLoader<string, Sleepover | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      const rows = await findRows(ctx.em, Sleepover, `select s.* from sleepover s where ${keyIn(p, 's.id', ids)} and ${sleepoverVisible(ctx.viewer, 's', p, { othersBooked: true })}`, p.values);
      return byKey(ids, rows, (s) => s.id);
    }),
);

export interface SleepoverChildRow {
  child: Child;
  bed: number | null;
  /** Whether the viewer may see this child elsewhere (childVisible); see childrenOfSleepoverFor. */
  viewerSeesChild: boolean;
}

/**
 * The children of each sleepover (by first name, then id) with their beds, and whether the viewer
 * may see each child as children are seen elsewhere. Who sees which of them, and how much, is
 * sleepover.policy's to decide; the count is always shown.
 */
export const childrenOfSleepover = defineLoader(
  'childrenOfSleepover',
  (ctx) =>
    new DataLoader<string, SleepoverChildRow[]>(async (ids) => {
      const p = new Params();
      const sees = ctx.viewer ? childVisible(ctx.viewer, 'c', p) : 'false';
      const rows = await sql(
        ctx.em,
        `select sc.sleepover_id as parent_id, sc.bed as sleepover_bed, (${sees}) as viewer_sees_child, c.* from sleepover_child sc join child c on c.id = sc.child_id
        where ${keyIn(p, 'sc.sleepover_id', ids)} and c.organisation_id = ${p.add(ctx.viewer?.organisationId)} order by c.first_name, c.id`,
        p.values,
      );
      const out = byParent(rows, (row): SleepoverChildRow => ({
        child: mapRow(ctx.em, Child, row),
        bed: row.sleepover_bed ?? null,
        viewerSeesChild: row.viewer_sees_child === true,
      }));
      return ids.map((id) => out.get(id) ?? []);
    }),
);

/**
 * A lateral join (alias `ch`) bringing the children of the sleepover `alias` beside a list
 * statement's row, as childrenOfSleepover returns them; `readChildren` reads them back.
 */
function childrenAlongside(ctx: Ctx, alias: string, p: Params): string {
  const sees = ctx.viewer ? childVisible(ctx.viewer, 'c', p) : 'false';
  const order = 'c.first_name, c.id';
  return `left join lateral (
      select ${joinedListColumns(ctx.em, Child, 'c', 'children', order)}, array_agg(sc.bed order by ${order}) as "children.bed", array_agg((${sees}) order by ${order}) as "children.sees"
        from sleepover_child sc join child c on c.id = sc.child_id
       where sc.sleepover_id = ${alias}.id and c.organisation_id = ${p.add(ctx.viewer?.organisationId)}) ch on true`;
}

function readChildren(ctx: Ctx, row: Record<string, unknown>): SleepoverChildRow[] {
  const beds = (row['children.bed'] as (number | null)[] | null) ?? [];
  const sees = (row['children.sees'] as boolean[] | null) ?? [];
  return readJoinedList(ctx.em, Child, row, 'children').map((child, i) => ({ child, bed: beds[i] ?? null, viewerSeesChild: sees[i] === true }));
}

/** Who asked, for viewers who may see a sleepover's details (a hub carer sees a satellite carer's login this way). */
export const requesterOfSleepover = defineLoader(
  'requesterOfSleepover',
  (ctx) =>
    new DataLoader<string, User | null>(async (ids) => {
      const rows = await findRows(
        ctx.em,
        User,
        `select ${USER_COLUMNS}
         from app_user u where u.id = any($1::uuid[]) and u.organisation_id = $2`,
        [ids, ctx.viewer?.organisationId],
      );
      return byKey(ids, rows, (u) => u.id);
    }),
);

/**
 * The constellation hosting a sleepover the viewer may see. Scoped to the organisation only: a
 * carer whose child stays at another constellation's hub as cover sees where the child goes.
 */
export const constellationOfSleepover = defineLoader(
  'constellationOfSleepover',
  (ctx) =>
    new DataLoader<string, Constellation | null>(async (ids) => {
      const rows = await findRows(ctx.em, Constellation, `select k.* from constellation k where k.id = any($1::uuid[]) and k.organisation_id = $2`, [ids, ctx.viewer?.organisationId]);
      return byKey(ids, rows, (k) => k.id);
    }),
);

/** Availability per constellation; constellations asked for the same range share one statement. */
export const availabilityOfConstellation = defineLoader('availabilityOfConstellation', (ctx) =>
  pagedLoader<{ from: string; to: string }, BedNight>((ids, range) => availabilityOf(ctx.em, ids, range.from, range.to)),
);

export interface SleepoverPageArgs {
  limit: number;
  after: SleepoverKey | null;
  filter: SleepoverFilter | null;
}

/** A page of each constellation's sleepovers the viewer may see, one statement for every constellation asked. */
export const sleepoversOfConstellation = defineLoader('sleepoversOfConstellation', (ctx) =>
  pagedLoader<SleepoverPageArgs, ListedSleepover>(async (ids, args) => {
    const p = new Params();
    const parents = parentRows(p, ids, 'k');
    const v = viewerOf(ctx);
    const conds = [sleepoverVisible(v, 's', p, { othersBooked: true }), ...filterConditions(v, 's', p, args.filter), afterKeySql('s', p, args.after)];
    const limit = p.add(args.limit + 1);
    // Each sleepover of the page comes with its household and its children (as householdViaParent
    // and childrenOfSleepover read them), handed to those loaders: a list of sleepovers is shown
    // with whose they are and who is staying.
    const rows = await sql(
      ctx.em,
      `select k.parent_id, x.*, ${joinedColumns(ctx.em, Household, 'h', 'household')}, ch.*
         from ${parents} cross join lateral (
         select s.*, ${CREATED_KEY_SQL('s')} as created_key from sleepover s
          where s.constellation_id = k.parent_id and ${conds.join(' and ')}
          order by s.start_date, s.created_at, s.id limit ${limit}) x
         left join household h on h.id = x.household_id
         ${childrenAlongside(ctx, 'x', p)}`,
      p.values,
    );
    const households = householdViaParent(ctx);
    const children = childrenOfSleepover(ctx);
    return byParent(rows, (row) => {
      primeViaParent(ctx, households, readJoined(ctx.em, Household, row, 'household'));
      children.prime(row.id as string, readChildren(ctx, row));
      return toListed(ctx, row);
    });
  }),
);

/** totalCount of Constellation.sleepovers (as a one-element list); constellations with the same filter share one statement. */
export const sleepoverCountOfConstellation = defineLoader('sleepoverCountOfConstellation', (ctx) =>
  pagedLoader<SleepoverFilter | null, number>(async (ids, filter) => {
    const p = new Params();
    const idsParam = p.add(ids);
    const v = viewerOf(ctx);
    const conds = [sleepoverVisible(v, 's', p, { othersBooked: true }), ...filterConditions(v, 's', p, filter)];
    const rows = await sql(
      ctx.em,
      `select s.constellation_id, count(*)::int as n from sleepover s
        where s.constellation_id = any(${idsParam}::uuid[]) and ${conds.join(' and ')} group by s.constellation_id`,
      p.values,
    );
    return new Map(rows.map((r) => [r.constellation_id as string, [r.n as number]]));
  }),
);

registerNodeType('Sleepover', (ctx, id) => sleepoverById(ctx).load(id));
