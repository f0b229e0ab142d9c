import crypto from 'node:crypto';
import { constellationVisible, householdVisible } from '../auth/scope';
import { runsConstellation } from '../auth/viewer';
import { Constellation } from '../constellations/constellation.entity';
import { ConstellationStatus } from '../constellations/enums';
import { HouseholdStatus } from '../households/enums';
import { Organisation } from '../organisations/organisation.entity';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { now, ZONE } from '../platform/time';
import { checkDate, optionalText, requireText } from '../platform/validation';
import { User } from '../users/user.entity';
import { PeerSupportSessionEventKind, PeerSupportSessionKind, PeerSupportSessionStatus, RsvpStatus } from './enums';
import { loadRsvps, type RsvpView } from './session.loaders';
import { PeerSupportSession } from './session.entity';
import { publishSessionEvent } from './session.events';
import { answersFor, mayRsvp } from './session.policy';
import { notifySessionsCancelled, notifySessionsScheduled, notifySessionUpdated, notifyWaitlistPromoted } from './session.notifications';
import { monthlyOccurrences, parseLocalTime } from './series';
import type { CancelPeerSupportSessionInput, RecordAttendanceInput, RsvpInput, SchedulePeerSupportSeriesInput, SchedulePeerSupportSessionInput, UpdatePeerSupportSessionInput } from './session.types';

// The database has the last word on these; the loser of a race lands here (see the migration).
registerConstraintError('peer_support_session_going_rule', UserErrorCode.SESSION_FULL, 'The session has no places left.', ['input', 'sessionId']);
registerConstraintError('peer_support_session_times_rule', UserErrorCode.INVALID_INPUT, 'endsAt must be after startsAt.', ['input', 'endsAt']);
registerConstraintError('peer_support_session_capacity_rule', UserErrorCode.INVALID_INPUT, 'capacity must be at least 1, or null for no limit.', ['input', 'capacity']);

const MAX_CAPACITY = 1000;
const MAX_DURATION_MS = 24 * 60 * 60 * 1000;
const MAX_CHILDREN = 20;
const MAX_SERIES = 24;
/** The London calendar day a session falls on, in SQL. */
export const SESSION_DAY = (alias: string) => `(${alias}.starts_at at time zone '${ZONE}')::date`;

type SessionRow = PeerSupportSession;
const ref = (s: SessionRow) => ({ id: s.id, constellationId: s.constellation.id, organisationId: s.organisation.id });
const facts = (s: SessionRow) => ({ id: s.id, constellationId: s.constellation.id, title: s.title, startsAt: s.startsAt, location: s.location });

// ---------- reading and locking ----------

/**
 * Locks a session the viewer may see (NOT_FOUND otherwise, exactly like an unknown id). Every
 * writer of a session's RSVPs takes this lock first, so they queue in one order: the order that
 * hands out waitlist tickets, first come first served.
 */
async function lockSession(tx: Tx, globalId: string): Promise<SessionRow> {
  const id = idOf('PeerSupportSession', globalId);
  const p = new Params();
  const rows = id
    ? await findRows(
        tx.em,
        PeerSupportSession,
        `select s.* from peer_support_session s join constellation k on k.id = s.constellation_id
          where s.id = ${p.add(id)} and ${constellationVisible(tx.viewer, 'k', p)} for update of s`,
        p.values,
      )
    : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such session.', ['input', 'sessionId']);
  return rows[0];
}

async function reload(tx: Tx, id: string): Promise<SessionRow> {
  const [s] = await findRows(tx.em, PeerSupportSession, `select * from peer_support_session where id = $1`, [id]);
  return s;
}

function requireOrganiser(tx: Tx, s: { constellation: { id: string } }) {
  if (!runsConstellation(tx.viewer, s.constellation.id)) {
    refuse(UserErrorCode.FORBIDDEN, "Only the hub carer, the constellation's liaison worker or a manager can do that.");
  }
}

const hasStarted = (s: SessionRow) => s.startsAt.getTime() <= now().getTime();

// ---------- checks shared by schedule, series and update ----------

interface Details {
  title?: string | null;
  description?: string | null;
  location?: string | null;
}

function checkDetails(p: Problems, input: Details) {
  return {
    title: requireText(p, input.title, ['input', 'title'], { max: 200 }),
    description: optionalText(p, input.description, ['input', 'description'], 4000),
    location: optionalText(p, input.location, ['input', 'location'], 300),
  };
}

function checkCapacity(p: Problems, capacity: number | null | undefined) {
  if (capacity == null) return;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    p.add(UserErrorCode.INVALID_INPUT, `capacity must be between 1 and ${MAX_CAPACITY}, or null for no limit.`, ['input', 'capacity']);
  }
}

function checkTimes(p: Problems, startsAt: Date, endsAt: Date) {
  if (!(endsAt.getTime() > startsAt.getTime())) p.add(UserErrorCode.INVALID_INPUT, 'endsAt must be after startsAt.', ['input', 'endsAt']);
  else if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) p.add(UserErrorCode.INVALID_INPUT, 'A session lasts at most 24 hours.', ['input', 'endsAt']);
  if (startsAt.getTime() <= now().getTime()) p.add(UserErrorCode.INVALID_INPUT, 'startsAt must be in the future.', ['input', 'startsAt']);
}

/** The constellation a new session goes into, held against a concurrent close (which takes FOR UPDATE). */
async function constellationToSchedule(tx: Tx, globalId: string): Promise<Constellation> {
  const id = idOf('Constellation', globalId);
  const p = new Params();
  const rows = id ? await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${p.add(id)} and ${constellationVisible(tx.viewer, 'k', p)} for share`, p.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  requireOrganiser(tx, { constellation: rows[0] });
  if (rows[0].status === ConstellationStatus.CLOSED) refuse(UserErrorCode.INVALID_STATE, 'The constellation is closed.', ['input', 'constellationId']);
  return rows[0];
}

interface NewSession {
  kind: PeerSupportSessionKind;
  title: string;
  description: string | null;
  location: string | null;
  capacity: number | null;
  seriesId: string | null;
  times: { startsAt: Date; endsAt: Date }[];
}

async function insertSessions(tx: Tx, k: Constellation, n: NewSession): Promise<SessionRow[]> {
  const organisation = tx.em.getReference(Organisation, tx.viewer.organisationId);
  const createdBy = tx.em.getReference(User, tx.viewer.userId);
  const rows = n.times.map(({ startsAt, endsAt }) =>
    tx.em.create(PeerSupportSession, {
      organisation,
      constellation: k,
      kind: n.kind,
      title: n.title,
      description: n.description,
      startsAt,
      endsAt,
      location: n.location,
      capacity: n.capacity,
      status: PeerSupportSessionStatus.SCHEDULED,
      seriesId: n.seriesId,
      createdBy,
    }),
  );
  // Written now, a series in one statement: the notification names the first session by its id.
  await tx.em.flush();
  rows.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  for (const s of rows) publishSessionEvent(tx, PeerSupportSessionEventKind.SCHEDULED, ref(s));
  await notifySessionsScheduled(tx, rows.map(facts), n.seriesId !== null);
  return rows;
}

// ---------- scheduling and changing ----------

export async function scheduleSession(tx: Tx, input: SchedulePeerSupportSessionInput): Promise<Outcome<{ session: SessionRow }>> {
  const p = new Problems();
  const d = checkDetails(p, input);
  checkCapacity(p, input.capacity);
  checkTimes(p, input.startsAt, input.endsAt);
  p.throwIfAny();
  const k = await constellationToSchedule(tx, input.constellationId);
  const [session] = await insertSessions(tx, k, {
    kind: input.kind,
    title: d.title!,
    description: d.description ?? null,
    location: d.location ?? null,
    capacity: input.capacity ?? null,
    seriesId: null,
    times: [{ startsAt: input.startsAt, endsAt: input.endsAt }],
  });
  return { payload: { session }, subject: { type: 'PeerSupportSession', id: session.id }, summary: { constellation: k.id, kind: input.kind } };
}

export async function scheduleSeries(tx: Tx, input: SchedulePeerSupportSeriesInput): Promise<Outcome<{ sessions: SessionRow[] }>> {
  const p = new Problems();
  const d = checkDetails(p, input);
  checkCapacity(p, input.capacity);
  const r = input.recurrence;
  const field = (f: string) => ['input', 'recurrence', f];
  const time = parseLocalTime(r.startTime);
  if (!time) p.add(UserErrorCode.INVALID_INPUT, 'startTime must be a time of day, HH:MM.', field('startTime'));
  if (!Number.isInteger(r.durationMinutes) || r.durationMinutes < 1 || r.durationMinutes > 24 * 60) {
    p.add(UserErrorCode.INVALID_INPUT, 'durationMinutes must be between 1 and 1440.', field('durationMinutes'));
  }
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > MAX_SERIES) p.add(UserErrorCode.INVALID_INPUT, `count must be between 1 and ${MAX_SERIES}.`, field('count'));
  checkDate(p, r.firstDate, field('firstDate'));
  p.throwIfAny();
  const times = monthlyOccurrences({ week: r.week, weekday: r.weekday, hour: time!.hour, minute: time!.minute, durationMinutes: r.durationMinutes, firstDate: r.firstDate, count: r.count });
  if (times[0].startsAt.getTime() <= now().getTime()) refuse(UserErrorCode.INVALID_INPUT, 'The first session of the series would be in the past.', field('firstDate'));
  const k = await constellationToSchedule(tx, input.constellationId);
  const seriesId = crypto.randomUUID();
  const sessions = await insertSessions(tx, k, {
    kind: input.kind,
    title: d.title!,
    description: d.description ?? null,
    location: d.location ?? null,
    capacity: input.capacity ?? null,
    seriesId,
    times,
  });
  return { payload: { sessions }, subject: { type: 'PeerSupportSession', id: sessions[0].id }, summary: { constellation: k.id, seriesId, count: sessions.length } };
}

export async function updateSession(tx: Tx, input: UpdatePeerSupportSessionInput): Promise<Outcome<{ session: SessionRow }>> {
  const s = await lockSession(tx, input.sessionId);
  requireOrganiser(tx, s);
  if (s.status === PeerSupportSessionStatus.CANCELLED) refuse(UserErrorCode.INVALID_STATE, 'The session was cancelled.', ['input', 'sessionId']);
  if (hasStarted(s)) refuse(UserErrorCode.INVALID_STATE, 'The session has started; it can no longer be changed.', ['input', 'sessionId']);
  const p = new Problems();
  const d = checkDetails(p, input);
  const startsAt = input.startsAt ?? s.startsAt;
  const endsAt = input.endsAt ?? s.endsAt;
  if (input.startsAt || input.endsAt) checkTimes(p, startsAt, endsAt);
  // Omitted leaves the capacity alone; an explicit null removes the limit.
  const capacityChanged = input.capacity !== undefined && input.capacity !== s.capacity;
  checkCapacity(p, input.capacity);
  if (capacityChanged && input.capacity != null && input.capacity < s.goingCount) {
    p.add(UserErrorCode.INVALID_STATE, `${s.goingCount} carers are going: the capacity cannot go below that.`, ['input', 'capacity']);
  }
  p.throwIfAny();
  const changed: string[] = [];
  if (d.title) changed.push('title');
  if (d.description !== undefined) changed.push('description');
  if (d.location !== undefined) changed.push('location');
  if (input.startsAt) changed.push('startsAt');
  if (input.endsAt) changed.push('endsAt');
  if (capacityChanged) changed.push('capacity');
  if (changed.length) {
    await sql(
      tx.em,
      `update peer_support_session
          set title = coalesce($2, title),
              description = case when $3::boolean then $4 else description end,
              location = case when $5::boolean then $6 else location end,
              starts_at = $7, ends_at = $8,
              capacity = case when $9::boolean then $10::int else capacity end,
              revision = revision + 1, updated_at = now()
        where id = $1`,
      [
        s.id,
        d.title,
        d.description !== undefined,
        d.description ?? null,
        d.location !== undefined,
        d.location ?? null,
        startsAt.toISOString(),
        endsAt.toISOString(),
        capacityChanged,
        input.capacity ?? null,
      ],
    );
    if (capacityChanged) await promoteWaitlist(tx, s.id);
    publishSessionEvent(tx, PeerSupportSessionEventKind.UPDATED, ref(s));
  }
  const session = await reload(tx, s.id);
  // A new capacity alone changes nothing for those coming (whoever it lets in hears by WAITLIST_PROMOTED).
  if (changed.some((c) => c !== 'capacity')) await notifySessionUpdated(tx, facts(session), changed);
  return { payload: { session }, subject: { type: 'PeerSupportSession', id: s.id }, summary: { changed } };
}

export async function cancelSession(tx: Tx, input: CancelPeerSupportSessionInput): Promise<Outcome<{ session: SessionRow }>> {
  const s = await lockSession(tx, input.sessionId);
  requireOrganiser(tx, s);
  const p = new Problems();
  const reason = optionalText(p, input.reason, ['input', 'reason'], 1000);
  p.throwIfAny();
  if (s.status === PeerSupportSessionStatus.CANCELLED) refuse(UserErrorCode.INVALID_STATE, 'The session is already cancelled.', ['input', 'sessionId']);
  if (hasStarted(s)) refuse(UserErrorCode.INVALID_STATE, 'The session has started; it can no longer be cancelled.', ['input', 'sessionId']);
  // SQL, not the unit of work: the session is a read model (SessionRow), and the database moves the revision.
  await sql(tx.em, `update peer_support_session set status = 'CANCELLED', cancel_reason = $2, revision = revision + 1, updated_at = now() where id = $1`, [s.id, reason ?? null]);
  publishSessionEvent(tx, PeerSupportSessionEventKind.CANCELLED, ref(s));
  await notifySessionsCancelled(tx, [facts(s)], reason ?? null);
  return { payload: { session: await reload(tx, s.id) }, subject: { type: 'PeerSupportSession', id: s.id } };
}

// ---------- RSVPs, the waitlist and attendance ----------

/**
 * Moves the first WAITLISTED carers (by ticket: the order their transactions took the session's
 * lock) into the places left, in the caller's transaction. The caller holds the session's lock.
 * Returns how many were promoted.
 */
export async function promoteWaitlist(tx: Tx, sessionId: string): Promise<number> {
  const promoted = await sql(
    tx.em,
    `with s as (select capacity, going_count from peer_support_session where id = $1),
          nxt as (select r.carer_id from session_rsvp r
                   where r.session_id = $1 and r.status = 'WAITLISTED'
                   order by r.waitlist_ticket
                   limit (select case when s.capacity is null then null else greatest(s.capacity - s.going_count, 0) end from s))
     update session_rsvp r set status = 'GOING', waitlist_ticket = null
       from nxt where r.session_id = $1 and r.carer_id = nxt.carer_id
     returning r.carer_id`,
    [sessionId],
  );
  await notifyWaitlistPromoted(
    tx,
    sessionId,
    promoted.map((r) => r.carer_id as string),
  );
  return promoted.length;
}

export async function rsvp(tx: Tx, input: RsvpInput): Promise<Outcome<{ rsvp: RsvpView; session: SessionRow }>> {
  const v = tx.viewer;
  const p = new Problems();
  const childCount = input.childCount ?? 0;
  if (!Number.isInteger(childCount) || childCount < 0 || childCount > MAX_CHILDREN) {
    p.add(UserErrorCode.INVALID_INPUT, `childCount must be between 0 and ${MAX_CHILDREN}.`, ['input', 'childCount']);
  }
  const carerId = input.carerId != null ? idOf('Carer', input.carerId) : v.carerId;
  if (input.carerId != null && !carerId) p.add(UserErrorCode.NOT_FOUND, 'No such carer.', ['input', 'carerId']);
  p.throwIfAny();

  const s = await lockSession(tx, input.sessionId);
  if (!mayRsvp(v) || !carerId) refuse(UserErrorCode.FORBIDDEN, "Carers answer for their own household's carers; staff do not RSVP.");
  await checkMayAnswer(tx, s, carerId, input.going);
  const existing = await sqlOne(tx.em, `select status, waitlist_ticket from session_rsvp where session_id = $1 and carer_id = $2`, [s.id, carerId]);
  const was: RsvpStatus | null = existing?.status ?? null;
  const { status, ticket } = input.going ? await placeFor(tx, s, was, existing?.waitlist_ticket ?? null) : { status: RsvpStatus.NOT_GOING, ticket: null };
  await sql(
    tx.em,
    `insert into session_rsvp (session_id, carer_id, organisation_id, status, child_count, waitlist_ticket, responded_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (session_id, carer_id) do update
        set status = excluded.status, child_count = excluded.child_count, responded_at = excluded.responded_at, waitlist_ticket = excluded.waitlist_ticket`,
    [s.id, carerId, v.organisationId, status, input.going ? childCount : 0, ticket, now().toISOString()],
  );
  let promoted = 0;
  if (was === RsvpStatus.GOING && status !== RsvpStatus.GOING) promoted = await promoteWaitlist(tx, s.id);
  publishSessionEvent(tx, PeerSupportSessionEventKind.RSVP_CHANGED, ref(s));
  const mine = (await loadRsvps(tx.em, v, [s.id])).find((r) => r.carer.id === carerId)!;
  return {
    payload: { rsvp: mine, session: await reload(tx, s.id) },
    subject: { type: 'PeerSupportSession', id: s.id },
    summary: { carer: carerId, from: was, to: status, promoted },
  };
}

/**
 * The carer is one of the viewer's own household's, the session still to come, and the household
 * in its constellation on the day; one on hold or deregistered cannot say it is going.
 */
async function checkMayAnswer(tx: Tx, s: SessionRow, carerId: string, going: boolean): Promise<void> {
  const v = tx.viewer;
  const hp = new Params();
  const carer = await sqlOne(
    tx.em,
    `select c.id, c.household_id, h.status,
            exists (select 1 from constellation_membership m
                     where m.household_id = c.household_id and m.constellation_id = ${hp.add(s.constellation.id)}
                       and m.period @> (${hp.add(s.startsAt.toISOString())}::timestamptz at time zone '${ZONE}')::date) as member_then
       from carer c join household h on h.id = c.household_id
      where c.id = ${hp.add(carerId)} and ${householdVisible(v, 'h', hp)}`,
    hp.values,
  );
  if (!carer) refuse(UserErrorCode.NOT_FOUND, 'No such carer.', ['input', 'carerId']);
  if (!answersFor(v, carer.household_id)) refuse(UserErrorCode.FORBIDDEN, "You can answer only for your own household's carers.", ['input', 'carerId']);
  if (s.status === PeerSupportSessionStatus.CANCELLED) refuse(UserErrorCode.INVALID_STATE, 'The session was cancelled.', ['input', 'sessionId']);
  if (hasStarted(s)) refuse(UserErrorCode.INVALID_STATE, 'The session has already started.', ['input', 'sessionId']);
  if (!carer.member_then) refuse(UserErrorCode.OUTSIDE_CONSTELLATION, 'Your household is not in this constellation on the day of the session.', ['input', 'sessionId']);
  if (going && (carer.status === HouseholdStatus.ON_HOLD || carer.status === HouseholdStatus.DEREGISTERED)) {
    refuse(UserErrorCode.NOT_APPROVED, 'Your household is on hold or deregistered.', ['input', 'sessionId']);
  }
}

/** A carer saying they are going: the place or queue ticket they hold, a place while there is one, or the next ticket. */
async function placeFor(tx: Tx, s: SessionRow, was: RsvpStatus | null, heldTicket: number | null): Promise<{ status: RsvpStatus; ticket: number | null }> {
  // Already holds a place, or a place in the queue: only childCount changes.
  if (was === RsvpStatus.GOING || was === RsvpStatus.WAITLISTED) return { status: was, ticket: heldTicket };
  if (s.capacity == null || s.goingCount < s.capacity) return { status: RsvpStatus.GOING, ticket: null };
  // The database hands out the ticket: concurrent RSVPs each get their own, in order.
  const t = await sqlOne(tx.em, `update peer_support_session set waitlist_tickets = waitlist_tickets + 1 where id = $1 returning waitlist_tickets`, [s.id]);
  return { status: RsvpStatus.WAITLISTED, ticket: t.waitlist_tickets };
}

export async function recordAttendance(tx: Tx, input: RecordAttendanceInput): Promise<Outcome<{ session: SessionRow }>> {
  const s = await lockSession(tx, input.sessionId);
  requireOrganiser(tx, s);
  if (s.status === PeerSupportSessionStatus.CANCELLED) refuse(UserErrorCode.INVALID_STATE, 'The session was cancelled.', ['input', 'sessionId']);
  if (!hasStarted(s)) refuse(UserErrorCode.INVALID_STATE, 'Attendance can be recorded once the session has started.', ['input', 'sessionId']);
  const p = new Problems();
  if (input.attendedCarerIds.length > 500) p.add(UserErrorCode.INVALID_INPUT, 'At most 500 carers at a time.', ['input', 'attendedCarerIds']);
  const ids = input.attendedCarerIds.map((g) => idOf('Carer', g));
  ids.forEach((id, i) => {
    if (!id) p.add(UserErrorCode.NOT_FOUND, 'No such carer.', ['input', 'attendedCarerIds', String(i)]);
  });
  p.throwIfAny();
  const wanted = [...new Set(ids as string[])];
  // Carers of households in the constellation on the day, or who answered for this session.
  const eligible = await sql(
    tx.em,
    `select c.id from carer c
      where c.id = any($1::uuid[]) and c.organisation_id = $2
        and (exists (select 1 from constellation_membership m where m.household_id = c.household_id and m.constellation_id = $3
                      and m.period @> ($4::timestamptz at time zone '${ZONE}')::date)
             or exists (select 1 from session_rsvp r where r.session_id = $5 and r.carer_id = c.id))`,
    [wanted, tx.viewer.organisationId, s.constellation.id, s.startsAt.toISOString(), s.id],
  );
  const ok = new Set(eligible.map((r) => r.id as string));
  ids.forEach((id, i) => {
    if (!ok.has(id!)) p.add(UserErrorCode.OUTSIDE_CONSTELLATION, "That carer's household is not in this constellation.", ['input', 'attendedCarerIds', String(i)]);
  });
  p.throwIfAny();
  await sql(
    tx.em,
    `insert into session_rsvp (session_id, carer_id, organisation_id, status, waitlist_ticket, responded_at)
     select $1, c, $2, 'ATTENDED', null, now() from unnest($3::uuid[]) c
     on conflict (session_id, carer_id) do update set status = 'ATTENDED', waitlist_ticket = null`,
    [s.id, tx.viewer.organisationId, wanted],
  );
  // Recording again corrects the record: anyone expected or marked before but not listed now did not come.
  await sql(
    tx.em,
    `update session_rsvp set status = 'NO_SHOW'
      where session_id = $1 and status in ('GOING', 'ATTENDED') and not (carer_id = any($2::uuid[]))`,
    [s.id, wanted],
  );
  publishSessionEvent(tx, PeerSupportSessionEventKind.RSVP_CHANGED, ref(s));
  return { payload: { session: await reload(tx, s.id) }, subject: { type: 'PeerSupportSession', id: s.id }, summary: { attended: wanted.length } };
}
