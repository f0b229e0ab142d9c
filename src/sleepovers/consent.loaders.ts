import DataLoader from 'dataloader';
import { hubConstellationOf } from '../auth/viewer';
import { childById } from '../children/child.loaders';
import { defineLoader } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { byKey, byParent, findRows, mapRow } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { registerNodeType } from '../platform/graphql/node-registry';
import { todayLondon } from '../platform/time';
import { SleepoverConsent } from './consent.entity';
import { needsAudience, seesConsents, type ConsentAudience } from './consent.policy';
import { tonightLondon } from './tonight';

/**
 * For a carer viewer: whether each child is their own household's today, and whether they are the
 * hub carer of the child's constellation or of a hub hosting the child on an open sleepover. One
 * statement for every child asked.
 */
export const consentAudienceOfChild = defineLoader(
  'consentAudienceOfChild',
  (ctx) =>
    new DataLoader<string, ConsentAudience | null>(async (ids) => {
      const v = ctx.viewer;
      if (!needsAudience(v)) return ids.map(() => null);
      const hubK = hubConstellationOf(v!);
      const rows = await sql(
        ctx.em,
        `select x.id,
              exists (select 1 from placement pl where pl.child_id = x.id and pl.period @> $2::date and pl.household_id = $3::uuid) as own,
              ($4::uuid is not null and (
                exists (select 1 from placement pl join constellation_membership m on m.household_id = pl.household_id and m.period @> $2::date
                         where pl.child_id = x.id and pl.period @> $2::date and m.constellation_id = $4::uuid)
                or exists (select 1 from sleepover_child sc join sleepover s on s.id = sc.sleepover_id
                            where sc.child_id = x.id and sc.active and s.constellation_id = $4::uuid and s.end_date > $2::date))) as hub
         from unnest($1::uuid[]) as x(id)`,
        [ids, todayLondon(), v!.householdId, hubK],
      );
      const m = new Map(rows.map((r) => [r.id as string, { ownCarer: r.own, hubCarer: r.hub }]));
      return ids.map((id) => m.get(id) ?? null);
    }),
);

/** The consent standing tonight for each child (the latest given on or before tonight, if not expired or withdrawn). */
export const standingConsentOfChild = defineLoader(
  'standingConsentOfChild',
  (ctx) =>
    new DataLoader<string, SleepoverConsent | null>(async (ids) => {
      const tonight = tonightLondon();
      const rows = await findRows(
        ctx.em,
        SleepoverConsent,
        `select distinct on (child_id) * from sleepover_consent where child_id = any($1::uuid[]) and given_on <= $2::date
        order by child_id, given_on desc, recorded_at desc`,
        [ids, tonight],
      );
      const standing = rows.filter((c) => (!c.expiresOn || tonight < c.expiresOn) && (!c.withdrawnOn || tonight < c.withdrawnOn));
      return byKey(ids, standing, (c) => c.child.id);
    }),
);

export interface ConsentPageArgs {
  limit: number;
  after: [string, string, string] | null;
}

export type ListedConsent = SleepoverConsent & { listKey: [string, string, string] };

/** A page of each child's consents, newest first (givenOn, then recordedAt), one statement for every child. */
export const consentsOfChild = defineLoader('consentsOfChild', (ctx) =>
  pagedLoader<ConsentPageArgs, ListedConsent>(async (ids, args) => {
    const rows = await sql(
      ctx.em,
      `select k.parent_id, to_json(x.recorded_at) #>> '{}' as recorded_key, x.* from unnest($1::uuid[]) as k(parent_id) cross join lateral (
         select sc.* from sleepover_consent sc
          where sc.child_id = k.parent_id
            and ($2::date is null or (sc.given_on, sc.recorded_at, sc.id) < ($2::date, $3::timestamptz, $4::uuid))
          order by sc.given_on desc, sc.recorded_at desc, sc.id desc limit $5) x`,
      [ids, args.after?.[0] ?? null, args.after?.[1] ?? null, args.after?.[2] ?? null, args.limit + 1],
    );
    return byParent(rows, (c): ListedConsent => Object.assign(mapRow(ctx.em, SleepoverConsent, c), { listKey: [c.given_on, c.recorded_key, c.id] as [string, string, string] }));
  }),
);

export const consentCountOfChild = defineLoader(
  'consentCountOfChild',
  (ctx) =>
    new DataLoader<string, number>(async (ids) => {
      const rows = await sql(ctx.em, `select child_id, count(*)::int as n from sleepover_consent where child_id = any($1::uuid[]) group by child_id`, [ids]);
      const m = new Map(rows.map((r) => [r.child_id as string, r.n as number]));
      return ids.map((id) => m.get(id) ?? 0);
    }),
);

/**
 * node(id:) for a consent: only where the viewer may see the child's consents (the child must be
 * visible to them, and they staff, its own carer or the hub carer concerned).
 */
export const consentById = defineLoader(
  'consentById',
  (ctx) =>
    new DataLoader<string, SleepoverConsent | null>(async (ids) => {
      const v = ctx.viewer;
      if (!v) return ids.map(() => null);
      const rows = await findRows(ctx.em, SleepoverConsent, `select * from sleepover_consent where id = any($1::uuid[]) and organisation_id = $2`, [ids, v.organisationId]);
      return byKey(ids, rows, (c) => c.id);
    }),
);

registerNodeType('SleepoverConsent', async (ctx, id, v) => {
  const c = await consentById(ctx).load(id);
  if (!c) return null;
  if (!(await childById(ctx).load(c.child.id))) return null;
  return seesConsents(v, await consentAudienceOfChild(ctx).load(c.child.id)) ? c : null;
});
