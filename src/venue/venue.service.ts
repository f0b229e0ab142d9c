import { DateTime } from 'luxon';
import { childVisible, constellationVisible } from '../auth/scope';
import { isStaff } from '../auth/viewer';
import { decodeChildIds } from '../children/child-ids';
import { Constellation } from '../constellations/constellation.entity';
import { Organisation } from '../organisations/organisation.entity';
import { refuseUnlessTakingNew } from '../constellations/taking-new';
import { hubOnDay } from '../constellations/membership.sql';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { idOf, toGlobalId } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { now, ZONE } from '../platform/time';
import { decisionReason, declineRequested } from '../platform/requests';
import { optionalText } from '../platform/validation';
import { User } from '../users/user.entity';
import { HubBookingEventKind, HubBookingPurpose, StoredHubBookingStatus } from './enums';
import { HubBooking } from './hub-booking.entity';
import { publishBookingEvents } from './venue.events';
import { DEFAULT_VENUE } from './venue.loaders';
import { bookingFacts, notifyBookingConfirmed, notifyBookingDeclined, notifyBookingRequested, notifyBookingsCancelled } from './venue.notifications';
import { booksOwnChildrenOnly, bookingVisible, confirmsAtOnce, mayBook, mayCancel, mayDecide, mayEditVenue, mayRecordOutcome } from './venue.policy';
import type { HubBookingDecisionInput, RecordHubBookingOutcomeInput, RequestHubBookingInput, UpdateHubVenueInput } from './venue.types';

// The database decides races: the loser of two confirmations of overlapping time gets this.
registerConstraintError('hub_booking_no_overlap', UserErrorCode.OVERLAP, 'Another confirmed booking holds some of that time at the hub.');
registerConstraintError('hub_booking_times_rule', UserErrorCode.INVALID_INPUT, 'A booking ends after it starts, within one London day.', ['input', 'endsAt']);
registerConstraintError('hub_venue_hours_rule', UserErrorCode.INVALID_INPUT, 'Opening hours are "HH:MM", and the hub opens before it closes.', ['input', 'closesAt']);

const MAX_NOTES = 2000;
const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

interface Venue {
  familyTimeAllowed: boolean;
  opensAt: string;
  closesAt: string;
}

/** The London day of an instant and its wall-clock time to the millisecond ("HH:mm:ss.SSS"). */
function londonClock(at: Date): { day: string; time: string } {
  const dt = DateTime.fromJSDate(at, { zone: ZONE });
  return { day: dt.toISODate()!, time: dt.toFormat('HH:mm:ss.SSS') };
}

/** The first instant of the London day after `day`. */
function nextLondonMidnight(day: string): Date {
  return DateTime.fromISO(day, { zone: ZONE }).plus({ days: 1 }).toJSDate();
}

/** [startsAt, endsAt) in the future, ending after it starts, within one London day. Returns that day. */
function checkTimes(p: Problems, startsAt: Date, endsAt: Date): string | null {
  if (!(endsAt.getTime() > startsAt.getTime())) {
    p.add(UserErrorCode.INVALID_INPUT, 'endsAt must be after startsAt.', ['input', 'endsAt']);
    return null;
  }
  if (startsAt.getTime() <= now().getTime()) p.add(UserErrorCode.INVALID_INPUT, 'startsAt must be in the future.', ['input', 'startsAt']);
  const { day } = londonClock(startsAt);
  if (endsAt.getTime() > nextLondonMidnight(day).getTime()) {
    p.add(UserErrorCode.INVALID_INPUT, 'A booking lies within one day (London time): book each day separately.', ['input', 'endsAt']);
    return null;
  }
  return day;
}

/**
 * The hub's rules on `day` (those of the household that is its hub that day, or the defaults),
 * whether the hub has blocked that night, and whether there is a hub at all. One statement.
 */
async function venueOn(tx: Tx, constellationId: string, day: string): Promise<{ venue: Venue; blocked: boolean; hub: boolean }> {
  const r = (await sqlOne(
    tx.em,
    `select m.household_id, v.family_time_allowed, v.opens_at, v.closes_at,
            exists (select 1 from bed_claim c where c.constellation_id = $1 and c.is_block and c.nights @> $2::date) as blocked
       from (select 1) one
       left join constellation_membership m on ${hubOnDay('m', '$1', '$2::date')}
       left join hub_venue v on v.constellation_id = $1 and v.household_id = m.household_id`,
    [constellationId, day],
  ))!;
  const venue = r.opens_at ? { familyTimeAllowed: r.family_time_allowed, opensAt: r.opens_at, closesAt: r.closes_at } : { ...DEFAULT_VENUE };
  return { venue, blocked: r.blocked, hub: !!r.household_id };
}

/** Refuses what the venue does not host then: outside its hours, a day whose night is blocked, family time it does not allow. */
async function checkVenue(tx: Tx, constellationId: string, purpose: HubBookingPurpose, startsAt: Date, endsAt: Date, day: string, field: string[]): Promise<void> {
  const { venue, blocked, hub } = await venueOn(tx, constellationId, day);
  if (!hub) refuse(UserErrorCode.VENUE_NOT_AVAILABLE, `The constellation has no hub home on ${day}.`, field, { dates: [day] });
  if (blocked) refuse(UserErrorCode.VENUE_NOT_AVAILABLE, `The hub has closed the night of ${day}, so the day is closed too.`, field, { dates: [day] });
  if (purpose === HubBookingPurpose.FAMILY_TIME && !venue.familyTimeAllowed) {
    refuse(UserErrorCode.VENUE_NOT_AVAILABLE, 'The hub carer has not agreed to family time at the hub (the family would learn its address).', ['input', 'purpose']);
  }
  const start = londonClock(startsAt);
  const end = londonClock(endsAt);
  const endsNextDay = end.day !== day; // exactly midnight: after any closing time
  if (start.time < `${venue.opensAt}:00.000` || endsNextDay || end.time > `${venue.closesAt}:00.000`) {
    refuse(UserErrorCode.VENUE_NOT_AVAILABLE, `The hub is open ${venue.opensAt}–${venue.closesAt} (London time).`, field, { dates: [day] });
  }
}

/** Refuses with the confirmed bookings in the way (the database refuses too, should one commit meanwhile). */
async function checkFree(tx: Tx, constellationId: string, startsAt: Date, endsAt: Date, except: string | null, field: string[]): Promise<void> {
  const rows = await sql(
    tx.em,
    `select id from hub_booking where constellation_id = $1 and status = 'CONFIRMED' and period && tstzrange($2::timestamptz, $3::timestamptz, '[)')
        and id <> coalesce($4::uuid, '00000000-0000-0000-0000-000000000000'::uuid) order by starts_at, id`,
    [constellationId, startsAt.toISOString(), endsAt.toISOString(), except],
  );
  if (rows.length) {
    refuse(UserErrorCode.OVERLAP, 'Another confirmed booking holds some of that time at the hub.', field, { subjectIds: rows.map((r) => toGlobalId('HubBooking', r.id)) });
  }
}

const summaryOf = (b: HubBooking) => ({ purpose: b.purpose, status: b.status });

/**
 * Books the hub. Who may book what is in venue.policy (mayBook); the children are checked for
 * the purpose: none needed for a meeting; siblings of each other (from any household of the
 * organisation, for staff) for sibling contact; a satellite carer's own household's for day care.
 * Booked by the hub carer, the liaison worker or a manager it is confirmed at once, or refused
 * when the time is taken; anyone else's waits as REQUESTED for the hub carer.
 */
export async function requestHubBooking(tx: Tx, input: RequestHubBookingInput): Promise<Outcome<{ booking: HubBooking }>> {
  const v = tx.viewer;
  const { day, notes, supervisor, childIds, constellationId } = checkBookingRequest(input);
  const purpose = input.purpose;
  const k0 = await constellationToBook(tx, constellationId, purpose);
  if (childIds.length) await checkBookedChildren(tx, k0.id, purpose, childIds, day);

  // FOR SHARE: a status change, a hub change, a venue change or a block (which lock the row
  // harder) waits for this booking or is seen by it; other bookings are not held up.
  const [k] = await findRows(tx.em, Constellation, `select * from constellation where id = $1 for share`, [k0.id]);
  refuseUnlessTakingNew(k, 'bookings', ['input', 'constellationId']);
  await checkVenue(tx, k.id, purpose, input.startsAt, input.endsAt, day, ['input', 'startsAt']);
  await checkFree(tx, k.id, input.startsAt, input.endsAt, null, ['input', 'startsAt']);

  const immediate = confirmsAtOnce(v, k.id);
  const b = tx.em.create(HubBooking, {
    organisation: tx.em.getReference(Organisation, v.organisationId),
    constellation: k,
    purpose,
    status: immediate ? StoredHubBookingStatus.CONFIRMED : StoredHubBookingStatus.REQUESTED,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    londonDay: day,
    supervisor: supervisor ?? null,
    requestedBy: tx.em.getReference(User, v.userId),
    notes: notes ?? null,
  });
  // Written now: the overlap constraint judges a booking confirmed at once here, and its children
  // and bookingFacts need the row.
  await tx.em.flush();
  if (childIds.length) await sql(tx.em, `insert into hub_booking_child (booking_id, child_id, organisation_id) select $1, c, $2 from unnest($3::uuid[]) as c`, [b.id, v.organisationId, childIds]);
  const [f] = await bookingFacts(tx.em, [b.id]);
  publishBookingEvents(tx, immediate ? HubBookingEventKind.CONFIRMED : HubBookingEventKind.REQUESTED, [f], () => immediate);
  if (immediate) await notifyBookingConfirmed(tx, f, null);
  else await notifyBookingRequested(tx, f);
  return { payload: { booking: b }, subject: { type: 'HubBooking', id: b.id }, summary: { ...summaryOf(b), children: childIds.length } };
}

/** The request's own checks, every problem at once: the times, the texts, the children the purpose needs, the constellation's ID. */
function checkBookingRequest(input: RequestHubBookingInput) {
  const p = new Problems();
  const day = checkTimes(p, input.startsAt, input.endsAt);
  const notes = optionalText(p, input.notes, ['input', 'notes'], MAX_NOTES);
  const supervisor = optionalText(p, input.supervisor, ['input', 'supervisor'], 200);
  const childIds = decodeChildIds(p, input.childIds);
  const purpose = input.purpose;
  const needsChildren = purpose !== HubBookingPurpose.MEETING && purpose !== HubBookingPurpose.OTHER;
  if (needsChildren && !childIds.length) p.add(UserErrorCode.INVALID_INPUT, 'Name at least one child.', ['input', 'childIds']);
  if (purpose === HubBookingPurpose.SIBLING_CONTACT && childIds.length === 1) p.add(UserErrorCode.INVALID_INPUT, 'Sibling contact brings together two or more siblings.', ['input', 'childIds']);
  if (purpose === HubBookingPurpose.FAMILY_TIME && !supervisor) p.add(UserErrorCode.INVALID_INPUT, 'Family time names who supervises it.', ['input', 'supervisor']);
  if (childIds.length > 12) p.add(UserErrorCode.INVALID_INPUT, 'At most 12 children in one booking.', ['input', 'childIds']);
  const constellationId = idOf('Constellation', input.constellationId);
  if (!constellationId) p.add(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  p.throwIfAny();
  // checkTimes gives no day only with a problem, and there is none.
  return { day: day!, notes, supervisor, childIds, constellationId: constellationId! };
}

/** The constellation, when the viewer may see it and book its hub for this purpose. */
async function constellationToBook(tx: Tx, constellationId: string, purpose: HubBookingPurpose): Promise<Constellation> {
  const v = tx.viewer;
  const pk = new Params();
  const [k] = await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${pk.add(constellationId)} and ${constellationVisible(v, 'k', pk)}`, pk.values);
  if (!k) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  if (!mayBook(v, purpose, k.id)) {
    refuse(
      UserErrorCode.FORBIDDEN,
      purpose === HubBookingPurpose.FAMILY_TIME
        ? 'Family time is booked by staff: a supervising social worker, a manager or the liaison worker.'
        : purpose === HubBookingPurpose.DAY_CARE
          ? "Day care is booked by staff, the hub carer, or a satellite carer for their own household's children."
          : 'Only staff and the hub carer book the hub for this.',
      ['input', 'purpose'],
    );
  }
  return k;
}

/**
 * The children exist for the viewer, are the viewer's own household's where the viewer books only
 * for those, and are all siblings of each other for sibling contact. Their placements that day
 * and their households are locked against the changes that would cancel the booking.
 */
async function checkBookedChildren(tx: Tx, constellationId: string, purpose: HubBookingPurpose, childIds: string[], day: string): Promise<void> {
  const v = tx.viewer;
  // Sibling contact brings children from anywhere in the organisation together; otherwise the
  // children are ones the viewer may see.
  const pc = new Params();
  const scope = purpose === HubBookingPurpose.SIBLING_CONTACT && isStaff(v) ? `c.organisation_id = ${pc.add(v.organisationId)}` : childVisible(v, 'c', pc);
  const found = await sql(tx.em, `select c.id from child c where c.id = any(${pc.add(childIds)}::uuid[]) and ${scope}`, pc.values);
  if (found.length !== childIds.length) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childIds']);
  // Locked so that a placement ending meanwhile either shows here or waits and then cancels this booking.
  const placed = await sql(tx.em, `select pl.child_id, pl.household_id from placement pl where pl.child_id = any($1::uuid[]) and pl.period @> $2::date for share`, [childIds, day]);
  if (booksOwnChildrenOnly(v, constellationId)) {
    const own = placed.filter((r) => r.household_id === v.householdId).length;
    if (own !== childIds.length) refuse(UserErrorCode.FORBIDDEN, 'Carers book for the children placed with their own household on that day.', ['input', 'childIds']);
  }
  if (purpose === HubBookingPurpose.SIBLING_CONTACT) {
    const { pairs } = (await sqlOne(tx.em, `select count(*)::int as pairs from child_sibling where child_id = any($1::uuid[]) and sibling_id = any($1::uuid[])`, [childIds]))!;
    if (pairs !== childIds.length * (childIds.length - 1)) refuse(UserErrorCode.INVALID_INPUT, 'Sibling contact is for children who are all siblings of each other.', ['input', 'childIds']);
  }
  const households = [...new Set(placed.map((r) => r.household_id).filter((h) => h))];
  if (households.length) await sql(tx.em, `select id from household where id = any($1::uuid[]) order by id for key share`, [households]);
}

/** A booking the viewer may see (as anything more than "busy" is checked by each action's rule). */
async function visibleBooking(tx: Tx, globalId: string): Promise<HubBooking> {
  const id = idOf('HubBooking', globalId);
  const p = new Params();
  const [b] = id ? await findRows(tx.em, HubBooking, `select b.* from hub_booking b where b.id = ${p.add(id)} and ${bookingVisible(tx.viewer, 'b', p)}`, p.values) : [];
  if (!b) refuse(UserErrorCode.NOT_FOUND, 'No such booking.', ['input', 'bookingId']);
  return b;
}

async function lockBooking(tx: Tx, id: string): Promise<HubBooking> {
  return (await findRows(tx.em, HubBooking, `select * from hub_booking where id = $1 for update`, [id]))[0];
}

const reasonOf = (input: HubBookingDecisionInput) => decisionReason(input);

/**
 * REQUESTED → CONFIRMED when the hub is open then and no confirmed booking holds any of the time.
 * Racing confirmations are decided by the exclusion constraint: one wins, the rest get OVERLAP.
 * Confirming one already confirmed answers with it as it is.
 */
export async function confirmHubBooking(tx: Tx, input: HubBookingDecisionInput): Promise<Outcome<{ booking: HubBooking }>> {
  const reason = reasonOf(input);
  const b0 = await visibleBooking(tx, input.bookingId);
  if (!mayDecide(tx.viewer, b0.constellation.id)) refuse(UserErrorCode.FORBIDDEN, 'Only the hub carer, the liaison worker or a manager can confirm a booking.', ['input', 'bookingId']);
  const [k] = await findRows(tx.em, Constellation, `select * from constellation where id = $1 for share`, [b0.constellation.id]);
  const b = await lockBooking(tx, b0.id);
  const subject = { type: 'HubBooking', id: b.id };
  if (b.status === StoredHubBookingStatus.CONFIRMED) return { payload: { booking: b }, subject, summary: { unchanged: true } };
  if (b.status !== StoredHubBookingStatus.REQUESTED) refuse(UserErrorCode.INVALID_STATE, `The booking is ${b.status.toLowerCase()}; only a requested one can be confirmed.`, ['input', 'bookingId']);
  if (b.startsAt.getTime() <= now().getTime()) refuse(UserErrorCode.INVALID_STATE, 'Its start has passed; ask again with a new time.', ['input', 'bookingId']);
  refuseUnlessTakingNew(k, 'bookings', ['input', 'bookingId']);
  await checkVenue(tx, k.id, b.purpose, b.startsAt, b.endsAt, b.londonDay, ['input', 'bookingId']);
  await checkFree(tx, k.id, b.startsAt, b.endsAt, b.id, ['input', 'bookingId']);
  b.status = StoredHubBookingStatus.CONFIRMED;
  b.updatedAt = now();
  // Written now: the overlap constraint judges it here, and bookingFacts reads it back in SQL.
  await tx.em.flush();
  const [f] = await bookingFacts(tx.em, [b.id]);
  publishBookingEvents(tx, HubBookingEventKind.CONFIRMED, [f], () => true);
  await notifyBookingConfirmed(tx, f, reason);
  return { payload: { booking: b }, subject, summary: summaryOf(b) };
}

/** REQUESTED → DECLINED, with the reason for whoever asked. */
export async function declineHubBooking(tx: Tx, input: HubBookingDecisionInput): Promise<Outcome<{ booking: HubBooking }>> {
  const reason = reasonOf(input);
  const b0 = await visibleBooking(tx, input.bookingId);
  if (!mayDecide(tx.viewer, b0.constellation.id)) refuse(UserErrorCode.FORBIDDEN, 'Only the hub carer, the liaison worker or a manager can decline a booking.', ['input', 'bookingId']);
  const b = await lockBooking(tx, b0.id);
  const subject = { type: 'HubBooking', id: b.id };
  const states = { requested: StoredHubBookingStatus.REQUESTED, declined: StoredHubBookingStatus.DECLINED };
  if (declineRequested(b, states, 'booking', ['input', 'bookingId'], reason) === 'unchanged') return { payload: { booking: b }, subject, summary: { unchanged: true } };
  await tx.em.flush(); // bookingFacts reads it back in SQL
  const [f] = await bookingFacts(tx.em, [b.id]);
  publishBookingEvents(tx, HubBookingEventKind.DECLINED, [f], () => false);
  await notifyBookingDeclined(tx, f, reason);
  return { payload: { booking: b }, subject, summary: summaryOf(b) };
}

/**
 * Whoever asked, or the hub carer, the liaison worker or a manager, cancels a requested or
 * confirmed booking that has not begun. One under way or over is written up instead
 * (recordHubBookingOutcome: cut short, cancelled on the day).
 */
export async function cancelHubBooking(tx: Tx, input: HubBookingDecisionInput): Promise<Outcome<{ booking: HubBooking }>> {
  const reason = reasonOf(input);
  const b0 = await visibleBooking(tx, input.bookingId);
  if (!mayCancel(tx.viewer, b0.constellation.id, b0.requestedBy?.id)) {
    refuse(UserErrorCode.FORBIDDEN, 'Only whoever asked for it, the hub carer, the liaison worker or a manager can cancel a booking.', ['input', 'bookingId']);
  }
  const b = await lockBooking(tx, b0.id);
  const subject = { type: 'HubBooking', id: b.id };
  if (b.status === StoredHubBookingStatus.CANCELLED) return { payload: { booking: b }, subject, summary: { unchanged: true } };
  if (b.status === StoredHubBookingStatus.DECLINED) refuse(UserErrorCode.INVALID_STATE, 'The booking was declined; there is nothing to cancel.', ['input', 'bookingId']);
  if (b.startsAt.getTime() <= now().getTime()) refuse(UserErrorCode.INVALID_STATE, 'The booking has begun: record its outcome instead.', ['input', 'bookingId']);
  const [done] = await cancelBookings(tx, [b], reason);
  return { payload: { booking: done }, subject, summary: summaryOf(done) };
}

/** Cancels active bookings (the caller holds their row locks): one event, and the notifications, each. */
export async function cancelBookings(tx: Tx, rows: HubBooking[], reason: string | null): Promise<HubBooking[]> {
  if (!rows.length) return [];
  const confirmed = new Set(rows.filter((b) => b.status === StoredHubBookingStatus.CONFIRMED).map((b) => b.id));
  const facts = await bookingFacts(
    tx.em,
    rows.map((b) => b.id),
  );
  const done = await findRows(tx.em, HubBooking, `update hub_booking set status = 'CANCELLED', decision_reason = $2, updated_at = now() where id = any($1::uuid[]) returning *`, [
    rows.map((b) => b.id),
    reason,
  ]);
  publishBookingEvents(tx, HubBookingEventKind.CANCELLED, facts, (f) => confirmed.has(f.id));
  await notifyBookingsCancelled(tx, facts, reason);
  return done;
}

/**
 * What happened, written up once the booking has started (and corrected later if need be): the
 * hub carer, the liaison worker or staff. Only a confirmed booking took up the hub's time.
 */
export async function recordHubBookingOutcome(tx: Tx, input: RecordHubBookingOutcomeInput): Promise<Outcome<{ booking: HubBooking }>> {
  const p = new Problems();
  const notes = optionalText(p, input.notes, ['input', 'notes'], MAX_NOTES);
  p.throwIfAny();
  const b0 = await visibleBooking(tx, input.bookingId);
  if (!mayRecordOutcome(tx.viewer, b0.constellation.id)) refuse(UserErrorCode.FORBIDDEN, 'Only the hub carer, the liaison worker or staff record how a booking went.', ['input', 'bookingId']);
  const b = await lockBooking(tx, b0.id);
  if (b.status !== StoredHubBookingStatus.CONFIRMED) refuse(UserErrorCode.INVALID_STATE, `The booking is ${b.status.toLowerCase()}; only a confirmed one has an outcome.`, ['input', 'bookingId']);
  if (b.startsAt.getTime() > now().getTime()) refuse(UserErrorCode.INVALID_STATE, 'The booking has not started yet.', ['input', 'bookingId']);
  const corrected = b.outcome != null;
  b.outcome = input.outcome;
  b.outcomeNotes = notes ?? null;
  b.outcomeRecordedBy = tx.em.getReference(User, tx.viewer.userId);
  b.updatedAt = now();
  await tx.em.flush(); // bookingFacts reads it back in SQL
  const [f] = await bookingFacts(tx.em, [b.id]);
  publishBookingEvents(tx, HubBookingEventKind.OUTCOME_RECORDED, [f], () => true);
  return { payload: { booking: b }, subject: { type: 'HubBooking', id: b.id }, summary: { outcome: input.outcome, corrected } };
}

/**
 * Sets the hub's rules for daytime use (the hub carer or the liaison worker). Refused, with the
 * bookings in the way, where a requested or confirmed booking still to come would fall outside
 * the new hours, or is family time that would no longer be allowed: cancel or move them first.
 */
export async function updateHubVenue(tx: Tx, input: UpdateHubVenueInput): Promise<Outcome<{ constellation: Constellation }>> {
  const v = tx.viewer;
  const k = await venueToEdit(tx, input);
  const current = await sqlOne(
    tx.em,
    `select m.household_id, v.family_time_allowed, v.opens_at, v.closes_at
       from constellation_membership m left join hub_venue v on v.constellation_id = m.constellation_id and v.household_id = m.household_id
      where ${hubOnDay('m', '$1', '$2::date')}`,
    [k.id, londonClock(now()).day],
  );
  if (!current) refuse(UserErrorCode.INVALID_STATE, `${k.name} has no hub home today.`, ['input', 'constellationId']);
  const before: Venue = current.opens_at ? { familyTimeAllowed: current.family_time_allowed, opensAt: current.opens_at, closesAt: current.closes_at } : { ...DEFAULT_VENUE };
  const after: Venue = {
    familyTimeAllowed: input.familyTimeAllowed ?? before.familyTimeAllowed,
    opensAt: input.opensAt ?? before.opensAt,
    closesAt: input.closesAt ?? before.closesAt,
  };
  if (after.opensAt >= after.closesAt)
    refuse(UserErrorCode.INVALID_INPUT, `The hub must open before it closes (${after.opensAt}–${after.closesAt}).`, ['input', input.closesAt != null ? 'closesAt' : 'opensAt']);
  await refuseStrandedBookings(tx, k.id, after);
  await sql(
    tx.em,
    `insert into hub_venue (constellation_id, household_id, organisation_id, family_time_allowed, opens_at, closes_at, updated_by_id, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, now())
     on conflict (constellation_id, household_id) do update
       set family_time_allowed = excluded.family_time_allowed, opens_at = excluded.opens_at, closes_at = excluded.closes_at,
           updated_by_id = excluded.updated_by_id, updated_at = now()`,
    [k.id, current.household_id, v.organisationId, after.familyTimeAllowed, after.opensAt, after.closesAt, v.userId],
  );
  const changed = (Object.keys(after) as (keyof Venue)[]).filter((f) => after[f] !== before[f]);
  return { payload: { constellation: k }, subject: { type: 'Constellation', id: k.id }, summary: { venue: changed } };
}

/** The constellation whose venue the viewer may set, locked; the times given well formed. */
async function venueToEdit(tx: Tx, input: UpdateHubVenueInput): Promise<Constellation> {
  const v = tx.viewer;
  const p = new Problems();
  for (const f of ['opensAt', 'closesAt'] as const) {
    const value = input[f];
    if (value != null && !HHMM.test(value)) p.add(UserErrorCode.INVALID_INPUT, `${f} is a London time "HH:MM", 00:00 to 23:59.`, ['input', f]);
  }
  const kid = idOf('Constellation', input.constellationId);
  if (!kid) p.add(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  p.throwIfAny();
  const pk = new Params();
  // NO KEY UPDATE: waits for bookings being made (FOR SHARE) and holds new ones until the rules are set.
  const [k] = await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${pk.add(kid)} and ${constellationVisible(v, 'k', pk)} for no key update`, pk.values);
  if (!k) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  if (!mayEditVenue(v, k.id)) refuse(UserErrorCode.FORBIDDEN, "Only the hub carer or the liaison worker set the hub's rules.", ['input', 'constellationId']);
  return k;
}

/** Refuses, naming them, when requested or confirmed bookings still to come would not fit the venue's new rules. */
async function refuseStrandedBookings(tx: Tx, constellationId: string, after: Venue): Promise<void> {
  const stranded = await sql(
    tx.em,
    `select b.id, b.london_day from hub_booking b
      where b.constellation_id = $1 and b.status in ('REQUESTED', 'CONFIRMED') and b.starts_at > $2::timestamptz
        and (to_char(b.starts_at at time zone 'Europe/London', 'HH24:MI') < $3
             or (b.ends_at at time zone 'Europe/London')::date > b.london_day
             or to_char(b.ends_at at time zone 'Europe/London', 'HH24:MI:SS.US') > $4 || ':00.000000'
             or (b.purpose = 'FAMILY_TIME' and not $5::boolean))
      order by b.starts_at, b.id`,
    [constellationId, now().toISOString(), after.opensAt, after.closesAt, after.familyTimeAllowed],
  );
  if (stranded.length) {
    refuse(
      UserErrorCode.INVALID_STATE,
      `${stranded.length === 1 ? 'A booking still to come does' : `${stranded.length} bookings still to come do`} not fit the new rules: cancel or move them first.`,
      ['input'],
      {
        subjectIds: stranded.map((r) => toGlobalId('HubBooking', r.id)),
        dates: [...new Set(stranded.map((r) => r.london_day as string))],
      },
    );
  }
}
