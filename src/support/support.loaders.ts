import DataLoader from 'dataloader';
import { childAlongside, primeChild } from '../children/child.loaders';
import { householdAlongside, primeHousehold } from '../households/household.loaders';
import { defineLoader, type Ctx } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { afterCursor, keyIn, Params, parentRows } from '../platform/db/params';
import { byKey, byParent, findRows, mapRow, totalsByParent } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { viewerOf } from '../platform/graphql/guards';
import { registerNodeType } from '../platform/graphql/node-registry';
import { primeUser, userAlongside } from '../users/user.loaders';
import { SupportLogEntry } from './support.entity';
import { entryVisible, LATEST, latestAmong } from './support.policy';

/**
 * Versions of chains the viewer may read (judged on each chain's latest version), found by one of
 * their own columns: `id`, or `amends_id` for the version that amends a given one.
 */
function versionsBy(ctx: Ctx, column: 'id' | 'amends_id', ids: readonly string[]): Promise<SupportLogEntry[]> {
  const p = new Params();
  return findRows(
    ctx.em,
    SupportLogEntry,
    `select e.* from support_log_entry e
       join support_log_entry l on l.root_id = e.root_id and ${LATEST('l')}
      where e.${column} = any(${p.add(ids)}::uuid[]) and ${entryVisible(viewerOf(ctx), 'l', p)}`,
    p.values,
  );
}

/** Any version of a chain the viewer may read: an amended version is reached through `amends`, `amendedBy` and node(id). */
export const supportEntryById = defineLoader(
  'supportEntryById',
  (ctx) =>
    new DataLoader<string, SupportLogEntry | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      return byKey(ids, await versionsBy(ctx, 'id', ids), (e) => e.id);
    }),
);

/** The version that amends each given one, if the viewer may read the chain. */
export const supportEntryAmending = defineLoader(
  'supportEntryAmending',
  (ctx) =>
    new DataLoader<string, SupportLogEntry | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      return byKey(ids, await versionsBy(ctx, 'amends_id', ids), (e) => e.amends!.id);
    }),
);

export interface SupportLogWhere {
  householdId: string | null;
  /** `at` in [from, to), ISO instants. */
  from: string | null;
  to: string | null;
  safeguarding: boolean | null;
  placementAtRisk: boolean | null;
  followUpDueOnOrBefore: string | null;
}

export interface SupportLogArgs {
  limit: number;
  after: [string, string] | null;
  where: SupportLogWhere;
  /** Count what `where` finds in the page's own statement, for totalCount (a first page only). */
  withTotal: boolean;
}

/**
 * The filter's conditions, only those it sets: each text keeps one plan in PostgreSQL, where a
 * `$n is null or …` for every filter had each request planned afresh.
 */
function conditions(alias: string, p: Params, w: SupportLogWhere): string {
  const conds: string[] = [];
  if (w.householdId != null) conds.push(`${alias}.household_id = ${p.add(w.householdId)}::uuid`);
  if (w.from != null) conds.push(`${alias}.at >= ${p.add(w.from)}::timestamptz`);
  if (w.to != null) conds.push(`${alias}.at < ${p.add(w.to)}::timestamptz`);
  if (w.safeguarding != null) conds.push(`${alias}.chain_safeguarding = ${p.add(w.safeguarding)}::boolean`);
  if (w.placementAtRisk != null) conds.push(`${alias}.placement_at_risk = ${p.add(w.placementAtRisk)}::boolean`);
  if (w.followUpDueOnOrBefore != null) conds.push(`${alias}.follow_up_on <= ${p.add(w.followUpDueOnOrBefore)}::date and not ${alias}.recorded_in_error`);
  return conds.length ? conds.join(' and ') : 'true';
}

type Parent = 'constellation_id' | 'household_id';

/** The latest-version test for entries of the parents `ids`: by their corrections read once, where the parents are constellations. */
function latestOf(p: Params, ids: readonly string[], parent: Parent, alias: string): string {
  return parent === 'household_id' ? LATEST(alias) : latestAmong(alias, keyIn(p, 'nx.constellation_id', ids));
}

/** A page of chains (latest versions, newest first) per parent: one statement for every parent asked. */
function logLoader(ctx: Ctx, parent: Parent) {
  return pagedLoader<SupportLogArgs, SupportLogEntry>(async (ids, args) => {
    if (!ctx.viewer) return new Map();
    const p = new Params();
    const parents = parentRows(p, ids, 'kk');
    const latest = latestOf(p, ids, parent, 'e');
    // The window counts the rows the conditions find before the limit: on a first page, what the
    // count loader counts.
    const counting = args.withTotal && !args.after;
    // Each entry comes with its household, its child and who recorded it, each as the loader the
    // entry's field asks would read it for this viewer (householdById, childById, userById) and
    // handed to that loader: a log is read with whom each entry is about and by whom.
    const rows = await sql(
      ctx.em,
      `select kk.parent_id, x.*, household.*, child.*, recorded_by.* from ${parents}
         cross join lateral (
           select e.*${counting ? ', (count(*) over ())::int as total_count' : ''} from support_log_entry e
            where e.${parent} = kk.parent_id and ${latest} and ${entryVisible(ctx.viewer, 'e', p)}
              and ${conditions('e', p, args.where)}
              ${afterCursor(p, '(e.at, e.id)', args.after, ['timestamptz', 'uuid'], '<')}
            order by e.at desc, e.id desc limit ${p.add(args.limit + 1)}) x
         ${householdAlongside(ctx, 'x.household_id', 'household', p)}
         ${childAlongside(ctx, 'x.child_id', 'child', p)}
         ${userAlongside(ctx, 'x.recorded_by_id', 'recorded_by', p)}
       order by x.at desc, x.id desc`,
      p.values,
    );
    if (counting) {
      const counts = parent === 'constellation_id' ? supportLogCountOfConstellation(ctx) : supportLogCountOfHousehold(ctx);
      for (const [id, n] of totalsByParent(ids, rows)) counts.prime(countKey(id, args.where), n);
    }
    return byParent(rows, (row) => {
      primeHousehold(ctx, row.household_id as string, row, 'household');
      primeChild(ctx, row.child_id as string | null, row, 'child');
      primeUser(ctx, row.recorded_by_id as string | null, row, 'recorded_by');
      return mapRow(ctx.em, SupportLogEntry, row);
    });
  });
}

/** The count loaders' key: a parent and the conditions counted. */
export function countKey(parentId: string, where: SupportLogWhere): string {
  return `${parentId}|${JSON.stringify(where)}`;
}

function countLoader(ctx: Ctx, parent: Parent) {
  return new DataLoader<string, number>(async (keys) => {
    const groups = new Map<string, string[]>();
    for (const k of keys) {
      const i = k.indexOf('|');
      groups.set(k.slice(i + 1), [...(groups.get(k.slice(i + 1)) ?? []), k.slice(0, i)]);
    }
    const counts = new Map<string, number>();
    await Promise.all(
      [...groups.entries()].map(async ([sig, ids]) => {
        const p = new Params();
        const rows = await sql(
          ctx.em,
          `select e.${parent} as parent_id, count(*)::int as n from support_log_entry e
            where ${keyIn(p, `e.${parent}`, ids)} and ${latestOf(p, ids, parent, 'e')} and ${entryVisible(viewerOf(ctx), 'e', p)}
              and ${conditions('e', p, JSON.parse(sig))}
            group by e.${parent}`,
          p.values,
        );
        for (const r of rows) counts.set(`${r.parent_id}|${sig}`, r.n);
      }),
    );
    return keys.map((k) => counts.get(k) ?? 0);
  });
}

export const supportLogOfConstellation = defineLoader('supportLogOfConstellation', (ctx) => logLoader(ctx, 'constellation_id'));
export const supportLogOfHousehold = defineLoader('supportLogOfHousehold', (ctx) => logLoader(ctx, 'household_id'));
/** Keys are countKey(parentId, where). */
export const supportLogCountOfConstellation = defineLoader('supportLogCountOfConstellation', (ctx) => countLoader(ctx, 'constellation_id'));
export const supportLogCountOfHousehold = defineLoader('supportLogCountOfHousehold', (ctx) => countLoader(ctx, 'household_id'));

registerNodeType('SupportLogEntry', (ctx, id) => supportEntryById(ctx).load(id));
