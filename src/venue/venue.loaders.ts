import DataLoader from 'dataloader';
import type { Viewer } from '../auth/viewer';
import { Child } from '../children/child.entity';
import { Constellation } from '../constellations/constellation.entity';
import { hubOnDay } from '../constellations/membership.sql';
import { defineLoader, type Ctx } from '../platform/context';
import { pagedLoader } from '../platform/db/batched-page';
import { keyIn, Params, parentRows } from '../platform/db/params';
import { byKey, byParent, findRows, joinedListColumns, mapRow, readJoinedList, totalsByParent } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { badUserInput } from '../platform/graphql/errors';
import { viewerOf } from '../platform/graphql/guards';
import { registerNodeType } from '../platform/graphql/node-registry';
import { now, todayLondon } from '../platform/time';
import { primeUser, userAlongside } from '../users/user.loaders';
import { HubBookingPurpose, HubBookingStatus } from './enums';
import { HubBooking } from './hub-booking.entity';
import { bookingChildShownSql, bookingDetailsSql, bookingVisible } from './venue.policy';
import { HubVenue, type HubBookingFilter } from './venue.types';

/** A hub's rules before its carer sets any: the usual working day, and no family time (the address stays private). */
export const DEFAULT_VENUE = { familyTimeAllowed: false, opensAt: '08:00', closesAt: '20:00' } as const;

/** A booking as one viewer may see it: `seesDetails` was decided in the SQL that read it; `listKey` is its place in the list. */
export type ShownBooking = HubBooking & { seesDetails?: boolean; listKey?: [string, string] };

const STARTS_KEY_SQL = (alias: string) => `to_char(${alias}.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The columns every scoped read of bookings selects: the row, whether the viewer sees what it is, and its list key. */
export function shownColumns(v: Viewer, alias: string, p: Params): string {
  return `${alias}.*, ${bookingDetailsSql(v, alias, p)} as sees_details, ${STARTS_KEY_SQL(alias)} as starts_key`;
}

export function toShown(ctx: Ctx, row: Record<string, unknown>): ShownBooking {
  const b = mapRow(ctx.em, HubBooking, row) as ShownBooking;
  b.seesDetails = row.sees_details === true;
  b.listKey = [row.starts_key as string, b.id];
  return b;
}

/** COMPLETED is never stored: a confirmed booking whose end has passed reads as COMPLETED. */
export function statusSql(alias: string, p: Params): string {
  return `(case when ${alias}.status = 'CONFIRMED' and ${alias}.ends_at <= ${p.add(now().toISOString())}::timestamptz then 'COMPLETED' else ${alias}.status end)`;
}

/** HubBookingFilter as SQL conditions on `alias`. */
export function filterConditions(v: Viewer, alias: string, p: Params, f: HubBookingFilter | null | undefined): string[] {
  if (!f) return [];
  const out: string[] = [];
  if (f.status?.length) out.push(`${statusSql(alias, p)} = any(${p.add(f.status.filter((s) => Object.values(HubBookingStatus).includes(s)))}::text[])`);
  if (f.from != null || f.to != null) {
    if (f.from != null && f.to != null && f.from.getTime() > f.to.getTime()) throw badUserInput('filter.from must not be after filter.to.');
    out.push(`${alias}.period && tstzrange(${p.add(f.from?.toISOString() ?? null)}::timestamptz, ${p.add(f.to?.toISOString() ?? null)}::timestamptz, '[)')`);
  }
  if (f.purpose?.length) {
    // What a booking is for is not a busy-only viewer's to know, so not theirs to search by either.
    out.push(`${alias}.purpose = any(${p.add(f.purpose.filter((x) => Object.values(HubBookingPurpose).includes(x)))}::text[])`);
    out.push(bookingDetailsSql(v, alias, p));
  }
  return out;
}

/** Bookings the viewer may see, by id (node(id:), events, payloads). */
export const hubBookingById = defineLoader(
  'hubBookingById',
  (ctx) =>
    new DataLoader<string, ShownBooking | null>(async (ids) => {
      const v = ctx.viewer;
      if (!v) return ids.map(() => null);
      const p = new Params();
      const cols = shownColumns(v, 'b', p);
      const rows = await sql(ctx.em, `select ${cols} from hub_booking b where ${keyIn(p, 'b.id', ids)} and ${bookingVisible(v, 'b', p)}`, p.values);
      return byKey(
        ids,
        rows.map((r) => toShown(ctx, r)),
        (b) => b.id,
      );
    }),
);

export interface BookingChildRow {
  child: Child;
  /** Whether this viewer is shown the child (a carer sees their own household's only). */
  shown: boolean;
}

/** The children of each booking (by first name, then id), each marked shown or not for the viewer: one statement for every booking asked. */
export const childrenOfBooking = defineLoader(
  'childrenOfBooking',
  (ctx) =>
    new DataLoader<string, BookingChildRow[]>(async (ids) => {
      const p = new Params();
      const shown = ctx.viewer ? bookingChildShownSql(ctx.viewer, 'b', 'c', p) : 'false';
      const rows = await sql(
        ctx.em,
        `select bc.booking_id as parent_id, ${shown} as shown_to_viewer, c.*
         from hub_booking_child bc join hub_booking b on b.id = bc.booking_id join child c on c.id = bc.child_id
        where ${keyIn(p, 'bc.booking_id', ids)} and b.organisation_id = ${p.add(ctx.viewer?.organisationId)}
        order by c.first_name, c.id`,
        p.values,
      );
      const out = byParent(rows, (row): BookingChildRow => ({ child: mapRow(ctx.em, Child, row), shown: row.shown_to_viewer === true }));
      return ids.map((id) => out.get(id) ?? []);
    }),
);

/**
 * A lateral join (alias `ch`) bringing the children of the booking `alias` beside a list
 * statement's row, as childrenOfBooking returns them (the same rows, order and `shown`);
 * `readChildren` reads them back. Only childrenOfBooking is handed them: a child shown in a
 * booking is not thereby one the viewer may see elsewhere (childById).
 */
function childrenAlongside(ctx: Ctx, alias: string, p: Params): string {
  const shown = ctx.viewer ? bookingChildShownSql(ctx.viewer, alias, 'c', p) : 'false';
  const order = 'c.first_name, c.id';
  return `left join lateral (
      select ${joinedListColumns(ctx.em, Child, 'c', 'children', order)}, array_agg((${shown}) order by ${order}) as "children.shown"
        from hub_booking_child bc join child c on c.id = bc.child_id
       where bc.booking_id = ${alias}.id and ${alias}.organisation_id = ${p.add(ctx.viewer?.organisationId)}) ch on true`;
}

function readChildren(ctx: Ctx, row: Record<string, unknown>): BookingChildRow[] {
  const shown = (row['children.shown'] as boolean[] | null) ?? [];
  return readJoinedList(ctx.em, Child, row, 'children').map((child, i) => ({ child, shown: shown[i] === true }));
}

/** Whether the viewer sees what each booking is, for bookings that came from a mutation rather than a scoped read. */
export const bookingDetailsById = defineLoader(
  'bookingDetailsById',
  (ctx) =>
    new DataLoader<string, boolean>(async (ids) => {
      if (!ctx.viewer) return ids.map(() => false);
      const p = new Params();
      const rows = await sql(
        ctx.em,
        `select b.id, ${bookingDetailsSql(ctx.viewer, 'b', p)} as d from hub_booking b where ${keyIn(p, 'b.id', ids)} and ${bookingVisible(ctx.viewer, 'b', p)}`,
        p.values,
      );
      const seen = new Map(rows.map((r) => [r.id as string, r.d === true]));
      return ids.map((id) => seen.get(id) ?? false);
    }),
);

/**
 * The constellation hosting a booking the viewer may see. Scoped to the organisation only: a
 * carer whose child has sibling contact at another constellation's hub sees where it is.
 */
export const constellationOfBooking = defineLoader(
  'constellationOfBooking',
  (ctx) =>
    new DataLoader<string, Constellation | null>(async (ids) => {
      const rows = await findRows(ctx.em, Constellation, `select k.* from constellation k where k.id = any($1::uuid[]) and k.organisation_id = $2`, [ids, ctx.viewer?.organisationId]);
      return byKey(ids, rows, (k) => k.id);
    }),
);

/** Each constellation's venue rules: those its hub household set, or the defaults. One statement for every constellation asked. */
export const venueOfConstellation = defineLoader(
  'venueOfConstellation',
  (ctx) =>
    new DataLoader<string, HubVenue>(async (ids) => {
      const rows = await sql(
        ctx.em,
        `select m.constellation_id, v.family_time_allowed, v.opens_at, v.closes_at
         from constellation_membership m
         join hub_venue v on v.constellation_id = m.constellation_id and v.household_id = m.household_id
        where ${hubOnDay('m', 'any($1::uuid[])', '$2::date')}`,
        [ids, todayLondon()],
      );
      const set = new Map(rows.map((r) => [r.constellation_id as string, r]));
      return ids.map((id) => {
        const r = set.get(id);
        return Object.assign(new HubVenue(), r ? { familyTimeAllowed: r.family_time_allowed, opensAt: r.opens_at, closesAt: r.closes_at } : DEFAULT_VENUE);
      });
    }),
);

export interface BookingPageArgs {
  limit: number;
  after: [string, string] | null;
  filter: HubBookingFilter | null;
  /** Count what the filter finds in the page's own statement, for totalCount (a first page only). */
  withTotal: boolean;
}

function group(ctx: Ctx, rows: { parent_id: string }[]): Map<string, ShownBooking[]> {
  return byParent(rows, (row) => toShown(ctx, row));
}

/** A page of each constellation's bookings the viewer may see, by startsAt: one statement for every constellation asked. */
export const bookingsOfConstellation = defineLoader('bookingsOfConstellation', (ctx) =>
  pagedLoader<BookingPageArgs, ShownBooking>(async (ids, args) => {
    const v = viewerOf(ctx);
    const p = new Params();
    const parents = parentRows(p, ids, 'k');
    const cols = shownColumns(v, 'b', p);
    const conds = [bookingVisible(v, 'b', p), ...filterConditions(v, 'b', p, args.filter)];
    if (args.after) conds.push(`(b.starts_at, b.id) > (${p.add(args.after[0])}::timestamptz, ${p.add(args.after[1])}::uuid)`);
    // The window counts the rows the conditions find before the limit: on a first page, what
    // bookingCountOfConstellation counts.
    const counting = args.withTotal && !args.after;
    // Each booking comes with its children (as childrenOfBooking reads them) and who asked for it
    // (as userById reads them for this viewer), handed to those loaders: a day's bookings are
    // shown with who is coming and who booked.
    const rows = await sql(
      ctx.em,
      `select k.parent_id, x.*, ch.*, requested_by.* from ${parents} cross join lateral (
         select ${cols}${counting ? ', (count(*) over ())::int as total_count' : ''} from hub_booking b where b.constellation_id = k.parent_id and ${conds.join(' and ')}
          order by b.starts_at, b.id limit ${p.add(args.limit + 1)}) x
         ${childrenAlongside(ctx, 'x', p)}
         ${userAlongside(ctx, 'x.requested_by_id', 'requested_by', p)}
       order by x.starts_at, x.id`,
      p.values,
    );
    if (counting) {
      const counts = bookingCountOfConstellation(ctx);
      // As the loader answers: a one-element list, or none when nothing is found.
      for (const [id, n] of totalsByParent(ids, rows)) counts.prime({ parentId: id, args: args.filter }, n > 0 ? [n] : []);
    }
    const children = childrenOfBooking(ctx);
    return byParent(rows, (row) => {
      children.prime(row.id as string, readChildren(ctx, row));
      primeUser(ctx, row.requested_by_id as string | null, row, 'requested_by');
      return toShown(ctx, row);
    });
  }),
);

/** totalCount of Constellation.hubBookings (as a one-element list); constellations with the same filter share one statement. */
export const bookingCountOfConstellation = defineLoader('bookingCountOfConstellation', (ctx) =>
  pagedLoader<HubBookingFilter | null, number>(async (ids, filter) => {
    const v = viewerOf(ctx);
    const p = new Params();
    const idsParam = p.add(ids);
    const conds = [bookingVisible(v, 'b', p), ...filterConditions(v, 'b', p, filter)];
    const rows = await sql(
      ctx.em,
      `select b.constellation_id, count(*)::int as n from hub_booking b where b.constellation_id = any(${idsParam}::uuid[]) and ${conds.join(' and ')} group by b.constellation_id`,
      p.values,
    );
    return new Map(rows.map((r) => [r.constellation_id as string, [r.n as number]]));
  }),
);

/** A page of each child's bookings the viewer may see, newest first: one statement for every child asked. */
export const bookingsOfChild = defineLoader('bookingsOfChild', (ctx) =>
  pagedLoader<{ limit: number; after: [string, string] | null }, ShownBooking>(async (ids, args) => {
    const v = viewerOf(ctx);
    const p = new Params();
    const parents = parentRows(p, ids, 'k');
    const cols = shownColumns(v, 'b', p);
    const conds = [bookingVisible(v, 'b', p)];
    if (args.after) conds.push(`(b.starts_at, b.id) < (${p.add(args.after[0])}::timestamptz, ${p.add(args.after[1])}::uuid)`);
    const rows = await sql(
      ctx.em,
      `select k.parent_id, x.* from ${parents} cross join lateral (
         select ${cols} from hub_booking_child bc join hub_booking b on b.id = bc.booking_id
          where bc.child_id = k.parent_id and ${conds.join(' and ')}
          order by b.starts_at desc, b.id desc limit ${p.add(args.limit + 1)}) x`,
      p.values,
    );
    return group(ctx, rows);
  }),
);

export const bookingCountOfChild = defineLoader('bookingCountOfChild', (ctx) =>
  pagedLoader<null, number>(async (ids) => {
    const p = new Params();
    const idsParam = p.add(ids);
    const rows = await sql(
      ctx.em,
      `select bc.child_id, count(*)::int as n from hub_booking_child bc join hub_booking b on b.id = bc.booking_id
        where bc.child_id = any(${idsParam}::uuid[]) and ${bookingVisible(viewerOf(ctx), 'b', p)} group by bc.child_id`,
      p.values,
    );
    return new Map(rows.map((r) => [r.child_id as string, [r.n as number]]));
  }),
);

registerNodeType('HubBooking', (ctx, id) => hubBookingById(ctx).load(id));
