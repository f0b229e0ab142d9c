import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import ical, { ICalCalendarMethod, ICalEventStatus, type ICalEventData } from 'ical-generator';
import { DateTime } from 'luxon';
import { hubConstellationOf, loadViewer, type Viewer } from '../auth/viewer';
import { sql, sqlOne } from '../platform/db/sql';
import type { Outcome, Tx } from '../platform/mutation';
import { addDays, now, todayLondon, ZONE } from '../platform/time';
import { PeerSupportSessionStatus } from '../sessions/enums';
import { onUserDeactivated } from '../users/user.service';
import { bookingsForFeed, type FeedBooking } from '../venue/venue.calendar';

/** 32 random bytes, base64url: 43 characters, never stored — only their sha256 is. */
const TOKEN_BYTES = 32;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** How far back a feed reaches: recent history stays on the phone, old years do not. */
const HISTORY_DAYS = 90;

const hashToken = (token: string) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Issues the viewer's private calendar URL. There is one per user: issuing again replaces the
 * stored hash, so the old URL stops working at once.
 */
export async function issueCalendarFeed(tx: Tx): Promise<Outcome<{ url: string }>> {
  const token = crypto.randomBytes(TOKEN_BYTES).toString('base64url');
  await sql(
    tx.em,
    `insert into calendar_feed (user_id, organisation_id, token_hash) values ($1, $2, $3)
     on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = now()`,
    [tx.viewer.userId, tx.viewer.organisationId, hashToken(token)],
  );
  const base = (tx.ctx.app.config.publicUrl ?? tx.ctx.origin ?? `http://localhost:${tx.ctx.app.config.port}`).replace(/\/+$/, '');
  return { payload: { url: `${base}/calendar/${token}.ics` }, subject: { type: 'User', id: tx.viewer.userId } };
}

export async function revokeCalendarFeed(tx: Tx): Promise<Outcome<{ revoked: boolean }>> {
  const gone = await sql(tx.em, `delete from calendar_feed where user_id = $1 returning user_id`, [tx.viewer.userId]);
  return { payload: { revoked: gone.length > 0 }, subject: { type: 'User', id: tx.viewer.userId } };
}

// A deactivated user's feed stops with their login, in the same transaction.
onUserDeactivated(async (tx, userId) => {
  await sql(tx.em, `delete from calendar_feed where user_id = $1`, [userId]);
});

/** Europe/London as a VTIMEZONE (the EU rules in force since 1996), so clients need no tz database of their own. */
const LONDON_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19810329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19961027T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

/**
 * The iCalendar text behind a token, or null when the token is unknown, revoked, or its user is
 * deactivated. Content is decided now, from the user's rights today: a carer gets their
 * constellation's sessions (cancelled ones stay, as cancelled events, so phone calendars drop
 * them) and their household's requested and confirmed sleepovers; a hub carer also every
 * confirmed sleepover at the hub, children by first name only; a liaison worker the sessions of
 * their constellations; everyone their hub bookings as they may see them (venue.calendar). UIDs
 * are derived from the ids, so they are stable across fetches.
 */
export async function renderCalendarFeed(em: EntityManager, token: string): Promise<string | null> {
  if (!TOKEN_RE.test(token)) return null;
  const owner = await sqlOne(em, `select f.user_id from calendar_feed f join app_user u on u.id = f.user_id and u.active where f.token_hash = $1`, [hashToken(token)]);
  if (!owner) return null;
  const v = await loadViewer(em, owner.user_id);
  if (!v) return null;
  const constellations = [...new Set([...(v.memberConstellationId ? [v.memberConstellationId] : []), ...v.liaisonConstellationIds])];
  const since = DateTime.fromJSDate(now()).minus({ days: HISTORY_DAYS }).toISO();
  const sessions = constellations.length ? await sessionsForFeed(em, v, constellations, since) : [];
  const sleepovers = v.householdId ? await sleepoversForFeed(em, v) : [];
  const bookings = await bookingsForFeed(em, v, constellations, since);

  const cal = ical({ name: 'Hubnet', prodId: { company: 'Hubnet', product: 'Hubnet calendar', language: 'EN' }, method: ICalCalendarMethod.PUBLISH, ttl: 60 * 60 });
  cal.timezone({ name: ZONE, generator: () => LONDON_VTIMEZONE });
  const stamp = now();
  for (const s of sessions) cal.createEvent(sessionEvent(s, stamp));
  for (const s of sleepovers) cal.createEvent(sleepoverEvent(s, v, stamp));
  for (const b of bookings) cal.createEvent(bookingEvent(b, stamp));
  return cal.toString();
}

// Raw SQL hands timestamptz back as text (MikroORM's pg parser): new Date() reads it.
interface FeedSession {
  id: string;
  title: string;
  description: string | null;
  location: string | null;
  starts_at: string;
  ends_at: string;
  status: PeerSupportSessionStatus;
  revision: number;
  updated_at: string;
}

interface FeedSleepover {
  id: string;
  status: string;
  start_date: string;
  end_date: string;
  updated_at: string;
  household_id: string;
  household_name: string;
  /** First names only. */
  children: string[];
}

/** The sessions of the viewer's constellations still to come, or ended within the feed's history. */
async function sessionsForFeed(em: EntityManager, v: Viewer, constellations: string[], since: string | null): Promise<FeedSession[]> {
  return sql<FeedSession>(
    em,
    `select s.id, s.title, s.description, s.location, s.starts_at, s.ends_at, s.status, s.revision, s.updated_at, k.name as constellation_name
       from peer_support_session s join constellation k on k.id = s.constellation_id
      where s.constellation_id = any($1::uuid[]) and s.organisation_id = $2 and s.ends_at > $3::timestamptz
      order by s.starts_at, s.id limit 2000`,
    [constellations, v.organisationId, since],
  );
}

/** The carer's household's requested and confirmed sleepovers, and a hub carer's confirmed ones at the hub. */
async function sleepoversForFeed(em: EntityManager, v: Viewer): Promise<FeedSleepover[]> {
  return sql<FeedSleepover>(
    em,
    `select s.id, s.status, s.start_date, s.end_date, s.updated_at, s.household_id, h.name as household_name,
            array_agg(c.first_name order by c.first_name, c.id) as children
       from sleepover s join household h on h.id = s.household_id
       join sleepover_child sc on sc.sleepover_id = s.id join child c on c.id = sc.child_id
      where s.organisation_id = $1 and s.end_date >= $2::date
        and ((s.household_id = $3 and s.status in ('REQUESTED', 'CONFIRMED'))
             or (s.constellation_id = $4::uuid and s.status = 'CONFIRMED'))
      group by s.id, h.name
      order by s.start_date, s.id limit 2000`,
    [v.organisationId, addDays(todayLondon(), -HISTORY_DAYS), v.householdId, hubConstellationOf(v)],
  );
}

function sessionEvent(s: FeedSession, stamp: Date): ICalEventData {
  const cancelled = s.status === PeerSupportSessionStatus.CANCELLED;
  return {
    id: `peer-support-session-${s.id}@hubnet`,
    sequence: s.revision,
    stamp,
    lastModified: new Date(s.updated_at),
    timezone: ZONE,
    start: DateTime.fromJSDate(new Date(s.starts_at)).setZone(ZONE),
    end: DateTime.fromJSDate(new Date(s.ends_at)).setZone(ZONE),
    summary: `${cancelled ? 'Cancelled: ' : ''}${s.title}`,
    description: s.description ?? null,
    location: s.location ?? null,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
}

function sleepoverEvent(s: FeedSleepover, v: Viewer, stamp: Date): ICalEventData {
  const own = s.household_id === v.householdId;
  const names = s.children.join(', ');
  return {
    id: `sleepover-${s.id}@hubnet`,
    stamp,
    lastModified: new Date(s.updated_at),
    allDay: true,
    // All-day events end on their first day not covered: the morning the children go home.
    start: DateTime.fromISO(s.start_date, { zone: ZONE }),
    end: DateTime.fromISO(s.end_date, { zone: ZONE }),
    summary: own ? `Sleepover at the hub: ${names}` : `Sleepover: ${names} (${s.household_name})`,
    status: s.status === 'CONFIRMED' ? ICalEventStatus.CONFIRMED : ICalEventStatus.TENTATIVE,
  };
}

function bookingEvent(b: FeedBooking, stamp: Date): ICalEventData {
  return {
    id: `hub-booking-${b.id}@hubnet`,
    stamp,
    lastModified: b.updatedAt,
    timezone: ZONE,
    start: DateTime.fromJSDate(b.startsAt).setZone(ZONE),
    end: DateTime.fromJSDate(b.endsAt).setZone(ZONE),
    summary: b.summary,
    location: b.location,
    status: b.status === 'CONFIRMED' ? ICalEventStatus.CONFIRMED : ICalEventStatus.TENTATIVE,
  };
}
