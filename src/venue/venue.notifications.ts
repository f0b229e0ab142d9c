import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { Role } from '../auth/roles';
import { hubOnDay } from '../constellations/membership.sql';
import { NotificationKind } from '../notifications/kinds';
import { escapeHtml, notify, type Recipient, type Rendered } from '../notifications/notify';
import { listNames, plural } from '../notifications/format';
import { sql } from '../platform/db/sql';
import type { Tx } from '../platform/mutation';
import { ZONE } from '../platform/time';
import { StoredHubBookingStatus } from './enums';

/**
 * Who hears about hub bookings, and what they are told. Every call runs in the transaction of the
 * change it reports, so a refused or rolled-back change notifies no one; whoever made the change
 * is never told about it. A child is named only to those who may see them in the booking: staff,
 * the hub carer, and the carers of the household the child is placed with (who are told about
 * their own children by name, and of others only as a count). No subject line names a child.
 */
export interface BookingFacts {
  id: string;
  constellation_id: string;
  purpose: string;
  status: string;
  starts_at: string;
  ends_at: string;
  london_day: string;
  requested_by_id: string | null;
  hub_name: string | null;
  hub_household_id: string | null;
  /** The booking's children: first name and the household they are placed with on the day. */
  children: { name: string; household_id: string | null }[];
  hub_users: string[];
  /** Logins of the carers of the households the children are placed with that day. */
  household_users: string[];
}

/** What notifications and events need of each booking, in one statement however many there are. */
export async function bookingFacts(em: EntityManager, ids: string[]): Promise<BookingFacts[]> {
  if (!ids.length) return [];
  return sql<BookingFacts>(
    em,
    `select b.id, b.constellation_id, b.purpose, b.status, b.starts_at, b.ends_at, b.london_day, b.requested_by_id,
            hub.name as hub_name, hub.id as hub_household_id,
            (select coalesce(json_agg(json_build_object('name', c.first_name, 'household_id', pl.household_id) order by c.first_name, c.id), '[]')
               from hub_booking_child bc join child c on c.id = bc.child_id
               left join placement pl on pl.child_id = c.id and pl.period @> b.london_day
              where bc.booking_id = b.id) as children,
            (select coalesce(array_agg(cr.user_id order by cr.user_id), '{}') from carer cr where cr.household_id = hub.id and cr.user_id is not null) as hub_users,
            (select coalesce(array_agg(distinct cr.user_id), '{}') from hub_booking_child bc
               join placement pl on pl.child_id = bc.child_id and pl.period @> b.london_day
               join carer cr on cr.household_id = pl.household_id and cr.user_id is not null
              where bc.booking_id = b.id) as household_users
       from hub_booking b
       left join constellation_membership m on ${hubOnDay('m', 'b.constellation_id', 'b.london_day')}
       left join household hub on hub.id = m.household_id
      where b.id = any($1::uuid[])
      order by b.id`,
    [ids],
  );
}

export const PURPOSE_WORDS: Record<string, string> = {
  FAMILY_TIME: 'Family time',
  SIBLING_CONTACT: 'Sibling contact',
  DAY_CARE: 'Day care',
  MEETING: 'Meeting',
  OTHER: 'Booking',
};

/** "Tuesday 3 March, 14:00–16:00", Europe/London. */
export function bookingWhen(startsAt: string | Date, endsAt: string | Date): string {
  const s = DateTime.fromJSDate(new Date(startsAt), { zone: ZONE });
  const e = DateTime.fromJSDate(new Date(endsAt), { zone: ZONE });
  return `${s.toFormat('cccc d LLLL, HH:mm')}–${e.toFormat('HH:mm')}`;
}

/** The children as this recipient may be told of them. */
export function whoFor(r: Recipient, f: BookingFacts): string {
  if (!f.children.length) return '';
  const sees = r.role !== Role.CARER || (r.householdId !== null && r.householdId === f.hub_household_id);
  if (sees) return listNames(f.children.map((c) => c.name));
  const own = f.children.filter((c) => r.householdId !== null && c.household_id === r.householdId).map((c) => c.name);
  const others = f.children.length - own.length;
  if (!own.length) return plural(others, 'child', 'children');
  return others ? `${listNames(own)} and ${plural(others, 'other child', 'other children')}` : listNames(own);
}

const hubOf = (f: BookingFacts) => f.hub_name ?? 'the hub';

function line(r: Recipient, f: BookingFacts): string {
  const who = whoFor(r, f);
  return `${PURPOSE_WORDS[f.purpose] ?? 'Booking'} at ${hubOf(f)}${who ? ` for ${who}` : ''}: ${bookingWhen(f.starts_at, f.ends_at)}.`;
}

export function rendered(title: string, paragraphs: string[]): Rendered {
  return { title, text: paragraphs.join('\n\n'), html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n') };
}

const reasonLine = (reason: string | null | undefined) => (reason ? [`Reason: ${reason}`] : []);
const others = (tx: Tx, ids: (string | null | undefined)[]) => ids.filter((id): id is string => !!id && id !== tx.viewer.userId);
/** Whoever asked, and the carers of the children in it. */
const concerned = (tx: Tx, f: BookingFacts) => others(tx, [f.requested_by_id, ...f.household_users]);
const subject = (f: BookingFacts) => ({ type: 'HubBooking', id: f.id });

/** A booking waiting for a decision: to the hub's carers, at once (the time may be soon). */
export async function notifyBookingRequested(tx: Tx, f: BookingFacts): Promise<void> {
  await notify(tx, {
    kind: NotificationKind.HUB_BOOKING_REQUESTED,
    recipients: others(tx, f.hub_users),
    subject: subject(f),
    render: (r) => rendered(`${PURPOSE_WORDS[f.purpose] ?? 'Booking'} requested at ${hubOf(f)}`, [`${tx.viewer.name} asks to use the hub. ${line(r, f)}`, 'Confirm or decline it in Hubnet.']),
  });
}

export async function notifyBookingConfirmed(tx: Tx, f: BookingFacts, reason: string | null): Promise<void> {
  await notify(tx, {
    kind: NotificationKind.HUB_BOOKING_CONFIRMED,
    recipients: concerned(tx, f),
    subject: subject(f),
    render: (r) => rendered(`Booking confirmed at ${hubOf(f)}`, [`Confirmed: ${line(r, f)}`, ...reasonLine(reason)]),
  });
}

export async function notifyBookingDeclined(tx: Tx, f: BookingFacts, reason: string | null): Promise<void> {
  await notify(tx, {
    kind: NotificationKind.HUB_BOOKING_DECLINED,
    recipients: concerned(tx, f),
    subject: subject(f),
    render: (r) => rendered('Booking request declined', [`Declined: ${line(r, f)}`, ...reasonLine(reason)]),
  });
}

/** Cancelled by someone or by a cascade. The hub carer hears of it too when someone else cancels a confirmed one: their day just freed up. */
export async function notifyBookingsCancelled(tx: Tx, facts: BookingFacts[], reason: string | null): Promise<void> {
  for (const f of facts) {
    const hub = f.status === StoredHubBookingStatus.CONFIRMED ? f.hub_users : [];
    await notify(tx, {
      kind: NotificationKind.HUB_BOOKING_CANCELLED,
      recipients: others(tx, [...concerned(tx, f), ...hub]),
      subject: subject(f),
      render: (r) => rendered('Booking cancelled', [`Cancelled: ${line(r, f)}`, ...reasonLine(reason)]),
    });
  }
}

/** The reminder's text for one recipient (the reminder is scheduled in venue.reminders.ts). */
export function reminderText(r: Recipient, f: BookingFacts): Rendered {
  return rendered(`Tomorrow at ${hubOf(f)}`, [`Tomorrow: ${line(r, f)}`]);
}
