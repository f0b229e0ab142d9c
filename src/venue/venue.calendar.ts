import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';
import { Params } from '../platform/db/params';
import { sql } from '../platform/db/sql';
import { bookingChildShownSql, bookingDetailsSql, bookingVisible } from './venue.policy';
import { PURPOSE_WORDS } from './venue.notifications';

export interface FeedBooking {
  id: string;
  status: 'REQUESTED' | 'CONFIRMED';
  startsAt: Date;
  endsAt: Date;
  updatedAt: Date;
  /** What the event says: the purpose and the children the user may see, or only that the hub is busy. */
  summary: string;
  location: string;
}

/**
 * The hub bookings a user's calendar feed carries, each as that user may see it (venue.policy,
 * applied in the query): those of the constellations they belong to or are the liaison worker
 * of, those with a child of their household, and those they asked for. Requests appear (as
 * tentative) only to those who see what they are; everyone else sees "Hub busy".
 */
export async function bookingsForFeed(em: EntityManager, v: Viewer, constellations: string[], since: string | null): Promise<FeedBooking[]> {
  const p = new Params();
  const details = bookingDetailsSql(v, 'b', p);
  const shown = bookingChildShownSql(v, 'b', 'c', p);
  const visible = bookingVisible(v, 'b', p);
  const own = v.householdId
    ? `exists (select 1 from hub_booking_child fc join placement fp on fp.child_id = fc.child_id
                where fc.booking_id = b.id and fp.household_id = ${p.add(v.householdId)}::uuid and fp.period @> b.london_day)`
    : 'false';
  const rows = await sql(
    em,
    `select b.id, b.status, b.purpose, b.starts_at, b.ends_at, b.updated_at, k.name as constellation_name, ${details} as sees_details,
            (select coalesce(array_agg(c.first_name order by c.first_name, c.id) filter (where ${shown}), '{}')
               from hub_booking_child bc join child c on c.id = bc.child_id where bc.booking_id = b.id) as children
       from hub_booking b join constellation k on k.id = b.constellation_id
      where ${visible} and b.status in ('REQUESTED', 'CONFIRMED') and b.ends_at > coalesce(${p.add(since)}::timestamptz, '-infinity')
        and (b.constellation_id = any(${p.add(constellations)}::uuid[]) or b.requested_by_id = ${p.add(v.userId)}::uuid or ${own})
      order by b.starts_at, b.id limit 2000`,
    p.values,
  );
  return rows
    .filter((r) => r.sees_details || r.status === 'CONFIRMED')
    .map((r) => {
      const names = (r.children as string[]).join(', ');
      const summary = r.sees_details ? `${PURPOSE_WORDS[r.purpose] ?? 'Booking'} at the hub${names ? `: ${names}` : ''}` : 'Hub busy';
      return {
        id: r.id,
        status: r.status,
        startsAt: new Date(r.starts_at),
        endsAt: new Date(r.ends_at),
        updatedAt: new Date(r.updated_at),
        summary,
        location: `${r.constellation_name} hub`,
      };
    });
}
