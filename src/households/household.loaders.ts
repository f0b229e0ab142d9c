import DataLoader from 'dataloader';
import { householdVisible } from '../auth/scope';
import { defineLoader, type Ctx } from '../platform/context';
import { keyIn, Params } from '../platform/db/params';
import { byKey, findRows, groupByKey, joinedListColumns, rowAlongside, readJoined, readJoinedList } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { registerNodeType } from '../platform/graphql/node-registry';
import { Carer } from './carer.entity';
import { Household } from './household.entity';

export const householdById = defineLoader(
  'householdById',
  (ctx) =>
    new DataLoader<string, Household | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      const rows = await findRows(ctx.em, Household, `select h.* from household h where ${keyIn(p, 'h.id', ids)} and ${householdVisible(ctx.viewer, 'h', p)}`, p.values);
      return byKey(ids, rows, (h) => h.id);
    }),
);

/**
 * A lateral join (alias `prefix`) bringing the household `keyColumn` names beside a list
 * statement's row, exactly as householdById would return it to this viewer (none they may not
 * see); `primeHousehold` hands it to that loader.
 */
export function householdAlongside(ctx: Ctx, keyColumn: string, prefix: string, p: Params): string {
  return rowAlongside(ctx.em, Household, keyColumn, prefix, (h) => (ctx.viewer ? householdVisible(ctx.viewer, h, p) : 'false'));
}

/** Takes `householdAlongside`'s columns off `row` and hands householdById its answer for `id`: the household, or null when the viewer may not see it. */
export function primeHousehold(ctx: Ctx, id: string | null | undefined, row: Record<string, unknown>, prefix: string): void {
  const household = readJoined(ctx.em, Household, row, prefix);
  if (id && ctx.viewer) householdById(ctx).prime(id, household);
}

/** Carers of visible households, by name. */
export const carersByHousehold = defineLoader(
  'carersByHousehold',
  (ctx) =>
    new DataLoader<string, Carer[]>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => []);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        Carer,
        `select c.* from carer c join household h on h.id = c.household_id
        where ${keyIn(p, 'c.household_id', ids)} and ${householdVisible(ctx.viewer, 'h', p)}
        order by c.name, c.id`,
        p.values,
      );
      return groupByKey(ids, rows, (c) => c.household.id);
    }),
);

export const carerById = defineLoader(
  'carerById',
  (ctx) =>
    new DataLoader<string, Carer | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        Carer,
        `select c.* from carer c join household h on h.id = c.household_id
        where ${keyIn(p, 'c.id', ids)} and ${householdVisible(ctx.viewer, 'h', p)}`,
        p.values,
      );
      return byKey(ids, rows, (c) => c.id);
    }),
);

/** The household a login cares in (through its carer record). */
export const householdOfUser = defineLoader(
  'householdOfUser',
  (ctx) =>
    new DataLoader<string, Household | null>(async (userIds) => {
      if (!ctx.viewer) return userIds.map(() => null);
      const p = new Params();
      const rows = await sql(ctx.em, `select c.user_id, c.household_id from carer c where ${keyIn(p, 'c.user_id', userIds)} and c.organisation_id = ${p.add(ctx.viewer.organisationId)}`, p.values);
      const households = await householdById(ctx).loadMany(rows.map((r) => r.household_id));
      const byUser = new Map<string, Household | null>();
      rows.forEach((r, i: number) => {
        const h = households[i];
        byUser.set(r.user_id, h instanceof Error ? null : h);
      });
      return userIds.map((u) => byUser.get(u) ?? null);
    }),
);

registerNodeType('Household', (ctx, id) => householdById(ctx).load(id));
registerNodeType('Carer', (ctx, id) => carerById(ctx).load(id));

/**
 * A household reached through a parent the viewer may already see (a membership of a visible
 * constellation, a placement of a visible child): scoped to the organisation only. Field privacy
 * still applies in the resolver.
 */
export const householdViaParent = defineLoader(
  'householdViaParent',
  (ctx) =>
    new DataLoader<string, Household | null>(async (ids) => {
      const p = new Params();
      const rows = await findRows(ctx.em, Household, `select h.* from household h where ${keyIn(p, 'h.id', ids)} and h.organisation_id = ${p.add(ctx.viewer?.organisationId)}`, p.values);
      return byKey(ids, rows, (h) => h.id);
    }),
);

/**
 * Hands a household a list statement read beside its rows to householdViaParent, when it is one
 * that loader would return (of the viewer's organisation), so the list's households cost no
 * statement of their own.
 */
export function primeViaParent(ctx: Ctx, loader: DataLoader<string, Household | null>, h: Household | null): void {
  if (h && ctx.viewer && h.organisation?.id === ctx.viewer.organisationId) loader.prime(h.id, h);
}

/**
 * A lateral join (alias `carers`) that brings the carers of the household `alias` beside a list
 * statement's row, exactly as carersByHousehold would return them to this viewer (none of a
 * household they may not see); `primeCarers` hands them to that loader.
 */
export function carersAlongside(ctx: Ctx, alias: string, p: Params): string {
  const visible = ctx.viewer ? householdVisible(ctx.viewer, alias, p) : 'false';
  return `left join lateral (select ${joinedListColumns(ctx.em, Carer, 'c', 'carers', 'c.name, c.id')} from carer c
           where c.household_id = ${alias}.id and ${visible}) carers on true`;
}

export function primeCarers(ctx: Ctx, householdId: string, row: Record<string, unknown>): void {
  carersByHousehold(ctx).prime(householdId, readJoinedList(ctx.em, Carer, row, 'carers'));
}
