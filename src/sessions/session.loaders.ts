import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { constellationVisible } from '../auth/scope';
import { hubConstellationOf, isOrgWide, type Viewer } from '../auth/viewer';
import { Carer } from '../households/carer.entity';
import { defineLoader } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { afterCursor, keyIn, Params, parentRows } from '../platform/db/params';
import { byKey, byParent, findRows, mapRow } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { viewerOf } from '../platform/graphql/guards';
import { registerNodeType } from '../platform/graphql/node-registry';
import { PeerSupportSessionKind, RsvpStatus } from './enums';
import { SessionRsvp } from './rsvp.entity';
import { PeerSupportSession } from './session.entity';

/** Sessions of constellations the viewer may see; nobody outside a constellation sees its sessions. */
export const sessionById = defineLoader(
  'sessionById',
  (ctx) =>
    new DataLoader<string, PeerSupportSession | null>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => null);
      const p = new Params();
      const rows = await findRows(
        ctx.em,
        PeerSupportSession,
        `select s.* from peer_support_session s join constellation k on k.id = s.constellation_id
        where ${keyIn(p, 's.id', ids)} and ${constellationVisible(ctx.viewer, 'k', p)}`,
        p.values,
      );
      return byKey(ids, rows, (s) => s.id);
    }),
);

export interface SessionsArgs {
  limit: number;
  after: [string, string] | null;
  from: string | null;
  to: string | null;
  kinds: PeerSupportSessionKind[] | null;
  includeCancelled: boolean;
}

/**
 * The filter's conditions, only those it sets: each text is then its own prepared statement, and
 * PostgreSQL can keep one plan for it that uses the (constellation, startsAt) index, where
 * `$n is null or …` for every filter left each request to be planned afresh.
 */
function sessionConditions(alias: string, p: Params, args: Omit<SessionsArgs, 'limit' | 'after'>): string {
  const conds: string[] = [];
  if (args.from != null) conds.push(`${alias}.starts_at >= ${p.add(args.from)}::timestamptz`);
  if (args.to != null) conds.push(`${alias}.starts_at < ${p.add(args.to)}::timestamptz`);
  if (args.kinds != null) conds.push(`${alias}.kind = any(${p.add(args.kinds)}::text[])`);
  if (!args.includeCancelled) conds.push(`${alias}.status = 'SCHEDULED'`);
  return conds.length ? conds.join(' and ') : 'true';
}

/** A page of sessions per constellation, by startsAt, one statement for every constellation asked. */
export const sessionsOfConstellation = defineLoader('sessionsOfConstellation', (ctx) =>
  pagedLoader<SessionsArgs, PeerSupportSession>(async (ids, args) => {
    if (!ctx.viewer) return new Map();
    const p = new Params();
    const parents = parentRows(p, ids, 'kk');
    const visible = constellationVisible(ctx.viewer, 'k', p);
    const rows = await sql(
      ctx.em,
      `select kk.parent_id, x.* from ${parents}
         join constellation k on k.id = kk.parent_id and ${visible}
         cross join lateral (
           select s.* from peer_support_session s
            where s.constellation_id = kk.parent_id and ${sessionConditions('s', p, args)}
              ${afterCursor(p, '(s.starts_at, s.id)', args.after, ['timestamptz', 'uuid'])}
            order by s.starts_at, s.id limit ${p.add(args.limit + 1)}) x`,
      p.values,
    );
    return byParent(rows, (s) => mapRow(ctx.em, PeerSupportSession, s));
  }),
);

/** Session counts per constellation for one filter; the key is `${constellationId}|${JSON filter}`. */
export const sessionCountOfConstellation = defineLoader(
  'sessionCountOfConstellation',
  (ctx) =>
    new DataLoader<string, number>(async (keys) => {
      const groups = new Map<string, string[]>();
      for (const k of keys) {
        const i = k.indexOf('|');
        const sig = k.slice(i + 1);
        groups.set(sig, [...(groups.get(sig) ?? []), k.slice(0, i)]);
      }
      const counts = new Map<string, number>();
      await Promise.all(
        [...groups.entries()].map(async ([sig, ids]) => {
          const p = new Params();
          const idsParam = p.add(ids);
          const visible = constellationVisible(viewerOf(ctx), 'k', p);
          const rows = await sql(
            ctx.em,
            `select k.id, (select count(*)::int from peer_support_session s where s.constellation_id = k.id and ${sessionConditions('s', p, JSON.parse(sig))}) as n
             from constellation k where k.id = any(${idsParam}::uuid[]) and ${visible}`,
            p.values,
          );
          for (const r of rows) counts.set(`${r.id}|${sig}`, r.n);
        }),
      );
      return keys.map((k) => counts.get(k) ?? 0);
    }),
);

/** An RSVP as read: the row, its carer, and its place in the queue. */
export type RsvpView = SessionRsvp & { sessionId: string; carerHouseholdId: string };

const STATUS_ORDER = `case x.status when 'GOING' then 0 when 'WAITLISTED' then 1 when 'ATTENDED' then 2 when 'NO_SHOW' then 3 else 4 end`;

/**
 * RSVPs of the given sessions as the viewer may see them: the people running the constellation
 * (its hub carer, its liaison worker, organisation-wide staff) see every one; other carers see
 * their own household's. Waitlist positions are ranked over the whole waitlist before that filter.
 * One statement however many sessions. Usable inside a transaction (pass tx.em).
 */
export async function loadRsvps(em: EntityManager, viewer: Viewer, sessionIds: readonly string[]): Promise<RsvpView[]> {
  const organised = [...viewer.liaisonConstellationIds, ...(hubConstellationOf(viewer) ? [hubConstellationOf(viewer)!] : [])];
  const rows = await sql(
    em,
    `select x.session_id, x.carer_id, x.status, x.child_count, x.waitlist_ticket, x.responded_at, x.waitlist_position,
            c.organisation_id as c_organisation_id, c.household_id as c_household_id, c.name as c_name, c.user_id as c_user_id
       from (select r.*, case when r.status = 'WAITLISTED'
                              then row_number() over (partition by r.session_id order by r.waitlist_ticket nulls last) end as waitlist_position
               from session_rsvp r where r.session_id = any($1::uuid[])) x
       join carer c on c.id = x.carer_id
       join peer_support_session s on s.id = x.session_id
      where s.organisation_id = $2
        and ($3::boolean or s.constellation_id = any($4::uuid[]) or c.household_id = $5::uuid)
      order by x.session_id, ${STATUS_ORDER}, x.waitlist_position, c.name, c.id`,
    [sessionIds, viewer.organisationId, isOrgWide(viewer), organised, viewer.householdId],
  );
  return rows.map((r) => {
    const carer = mapRow(em, Carer, { id: r.carer_id, organisation_id: r.c_organisation_id, household_id: r.c_household_id, name: r.c_name, user_id: r.c_user_id });
    return Object.assign(new SessionRsvp(), {
      carer,
      status: r.status as RsvpStatus,
      childCount: r.child_count,
      waitlistTicket: r.waitlist_ticket,
      // Raw SQL hands timestamptz back as text (MikroORM's parser); entities convert, this does by hand.
      respondedAt: new Date(r.responded_at),
      waitlistPosition: r.waitlist_position == null ? null : Number(r.waitlist_position),
      sessionId: r.session_id as string,
      carerHouseholdId: r.c_household_id as string,
    });
  });
}

export const rsvpsBySession = defineLoader(
  'rsvpsBySession',
  (ctx) =>
    new DataLoader<string, RsvpView[]>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => []);
      const rows = await loadRsvps(ctx.em, ctx.viewer, ids);
      return ids.map((id) => rows.filter((r) => r.sessionId === id));
    }),
);

registerNodeType('PeerSupportSession', (ctx, id) => sessionById(ctx).load(id));
