import { childVisible, constellationVisible } from '../auth/scope';
import { isManager, isStaff, runsConstellation, type Viewer } from '../auth/viewer';
import { decodeChildIds } from '../children/child-ids';
import { Constellation } from '../constellations/constellation.entity';
import { refuseUnlessTakingNew } from '../constellations/taking-new';
import { hubOnDay } from '../constellations/membership.sql';
import { HouseholdStatus } from '../households/enums';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import type { Ctx } from '../platform/context';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { addDays, daysBetween, isValidDate, todayLondon } from '../platform/time';
import { decisionReason, declineRequested } from '../platform/requests';
import { checkDate, optionalText } from '../platform/validation';
import { User } from '../users/user.entity';
import { SleepoverEventKind, SleepoverKind, StoredSleepoverStatus } from './enums';
import { loadHubFacts } from './hub-facts';
import { checkNights, chooseBeds, type Candidate, type RuleBreach } from './hub-rules';
import { lockConstellationsForBeds } from './hub-nights.service';
import { tonightLondon, workingDaysIn } from './tonight';
import { Sleepover } from './sleepover.entity';
import { publishSleepoverEvents } from './sleepover.events';
import { mayCancelSleepover, mayRequestFor, mayWriteUp } from './sleepover.policy';
import { notifySleepoverConfirmed, notifySleepoverDeclined, notifySleepoversEnded, notifySleepoverRequested } from './sleepover.notifications';
import { toListed } from './sleepover.loaders';
import { afterKeySql, CREATED_KEY_SQL, filterConditions, readSleepoverKey, sleepoverVisible } from './sleepover.scope';
import type { RequestSleepoverInput, SleepoverDecisionInput, SleepoverEventMessage, SleepoverFilter } from './sleepover.types';

// The database decides races; the losers get these instead of a server error.
registerConstraintError('bed_claim_no_overlap', UserErrorCode.NO_BED_AVAILABLE, 'No bed is free for every child on every night: another booking or a closed night took it first.');
registerConstraintError('bed_claim_hub_bed_fk', UserErrorCode.NO_BED_AVAILABLE, "That bed is not one of the hub's beds.", ['input', 'beds']);
registerConstraintError('sleepover_child_no_overlap', UserErrorCode.OVERLAP, 'A child already has a requested or confirmed sleepover on one of those nights.', ['input', 'childIds']);

export const MAX_NIGHTS = 28;
const MAX_NOTES = 2000;

/** Query.sleepovers: ordered by startDate, then createdAt; a satellite carer sees only their own household's. */
export async function listSleepovers(ctx: Ctx, v: Viewer, args: PageArgs & { filter?: SleepoverFilter | null }) {
  const page = readPage(args);
  const after = readSleepoverKey(page.after);
  const p = new Params();
  const where = [sleepoverVisible(v, 's', p, { othersBooked: false }), ...filterConditions(v, 's', p, args.filter)].join(' and ');
  const countParams = [...p.values];
  const rows = await sql(
    ctx.em,
    `select s.*, ${CREATED_KEY_SQL('s')} as created_key from sleepover s
      where ${where} and ${afterKeySql('s', p, after)}
      order by s.start_date, s.created_at, s.id limit ${p.add(page.limit + 1)}`,
    p.values,
  );
  return toConnection(
    rows.map((r) => toListed(ctx, r)),
    page,
    (s) => s.listKey,
    (s) => s,
    async () => (await sqlOne(ctx.em, `select count(*)::int as n from sleepover s where ${where}`, countParams)).n,
  );
}

export const WRITE_UP_NIGHTS = 7;
export const OVERRIDE_WORKING_DAYS = 6;

/**
 * The nights asked for. A planned sleepover starts today or later; an EMERGENCY one may start
 * tonight (before 08:00 London, the night that began yesterday evening); a write-up's first night
 * is before tonight, up to WRITE_UP_NIGHTS back.
 */
function checkStay(p: Problems, input: { startDate: string; endDate: string }, kind: SleepoverKind, writeUp: boolean): void {
  const { startDate: start, endDate: end } = input;
  if (!checkDate(p, start, ['input', 'startDate']) || !checkDate(p, end, ['input', 'endDate'])) return;
  const tonight = tonightLondon();
  if (writeUp) {
    if (start >= tonight) p.add(UserErrorCode.INVALID_INPUT, 'A write-up is for a sleepover whose first night is before tonight; book tonight and later nights as usual.', ['input', 'startDate']);
    else if (start < addDays(tonight, -WRITE_UP_NIGHTS)) p.add(UserErrorCode.INVALID_INPUT, `A sleepover can be written up at most ${WRITE_UP_NIGHTS} nights back.`, ['input', 'startDate']);
  } else if (kind === SleepoverKind.EMERGENCY ? start < tonight : start < todayLondon()) {
    p.add(UserErrorCode.INVALID_INPUT, kind === SleepoverKind.EMERGENCY ? 'The first night must be tonight or later.' : 'The first night must be today or later.', ['input', 'startDate']);
  }
  if (end <= start) p.add(UserErrorCode.INVALID_INPUT, 'endDate is the morning the children go home: it must be after startDate.', ['input', 'endDate']);
  else if (daysBetween(start, end) > MAX_NIGHTS) p.add(UserErrorCode.INVALID_INPUT, `A sleepover is 1 to ${MAX_NIGHTS} nights.`, ['input', 'endDate']);
}
function childIdsOf(p: Problems, globalIds: string[]): string[] {
  if (!globalIds.length) {
    p.add(UserErrorCode.INVALID_INPUT, 'Name at least one child.', ['input', 'childIds']);
    return [];
  }
  return decodeChildIds(p, globalIds);
}

/** SQL for the first night in [start, end) without an APPROVED hub household (a hub not approved takes no sleepovers), or null. */
const unapprovedNightSql = (k: string, start: string, end: string) => `(
  select min(d.night)::date from generate_series(${start}::date, ${end}::date - 1, interval '1 day') as d(night)
   where not exists (select 1 from constellation_membership m join household h on h.id = m.household_id
                      where ${hubOnDay('m', k, 'd.night::date')} and h.status = 'APPROVED'))`;

function refuseUnapproved(night: string | null, field: string[]): void {
  if (night) refuse(UserErrorCode.NOT_APPROVED, `The hub household is not approved for the night of ${night}: it takes no new sleepovers.`, field);
}

function refuseBreach(b: RuleBreach, field: string[]): never {
  refuse(b.code, b.message, b.field ?? field, { subjectIds: b.subjectIds, dates: b.dates });
}

/**
 * The beds the children (in the order Sleepover.children lists them) would sleep in, one each and
 * free on every night — the beds asked for, or ones the allocator chooses — once every night rule
 * holds (consent, the hub's approval unless overridden, the fostering limit, bedroom sharing); a
 * refusal otherwise. One statement, read while the caller holds the constellation's bed lock, so
 * nothing it reads can change before claimBeds writes.
 */
async function bedsUnderRules(tx: Tx, k: Constellation, cand: Candidate, field: string[]): Promise<number[]> {
  if (cand.beds) {
    if (cand.beds.length !== cand.children.length) refuse(UserErrorCode.INVALID_INPUT, `Give one bed per child: ${cand.children.length}.`, ['input', 'beds']);
    if (cand.beds.some((b) => b < 1 || b > k.sleepoverBeds)) refuse(UserErrorCode.INVALID_INPUT, `The hub's beds are 1 to ${k.sleepoverBeds}.`, ['input', 'beds']);
  }
  const facts = await loadHubFacts(tx.em, k.id, cand.start, cand.end, cand.children);
  const breach = checkNights(facts, cand, { consent: true });
  if (breach) refuseBreach(breach, field);
  const chosen = chooseBeds(facts, cand);
  if ('code' in chosen) refuseBreach(chosen, field);
  return chosen.beds;
}

/**
 * Confirms the sleepover on the beds bedsUnderRules chose, all or none, in one statement; the
 * exclusion constraint on bed_claim would refuse a double booking anyway.
 */
async function claimBeds(tx: Tx, k: Constellation, s: Sleepover, children: string[], beds: number[]): Promise<Sleepover> {
  const [sleepover] = await findRows(
    tx.em,
    Sleepover,
    `with claimed as (
       insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id, created_by_id)
       select $1, $2, u.bed, $3, $4, $5, u.child, $6 from unnest($7::uuid[], $8::int[]) as u(child, bed)
       returning child_id, bed
     ), placed as (
       update sleepover_child sc set bed = c.bed from claimed c where sc.sleepover_id = $5 and sc.child_id = c.child_id
     )
     update sleepover set status = 'CONFIRMED', updated_at = now() where id = $5 returning *`,
    [tx.viewer.organisationId, k.id, s.startDate, s.endDate, s.id, tx.viewer.userId, children, beds],
  );
  return sleepover;
}

function eventOf(s: Sleepover, kind: SleepoverEventKind, nights: { from: string; to: string } | null): Omit<SleepoverEventMessage, 'organisationId' | 'at'> {
  return { kind, constellationId: s.constellation.id, sleepoverId: s.id, householdId: s.household.id, from: nights?.from ?? null, to: nights?.to ?? null };
}

const names = (rows: { first_name: string }[]) => rows.map((r) => r.first_name).join(' and ');

interface RequestAsked {
  kid: string;
  childIds: string[];
  start: string;
  end: string;
  kind: SleepoverKind;
  notes: string | null;
  coverReason: string | null;
  writeUp: boolean;
  overrideReason: string | null;
}

/** The input, checked before anything is read: who may use which option, and the nights. */
function readRequest(v: Tx['viewer'], input: RequestSleepoverInput): RequestAsked {
  const p = new Problems();
  const kind = input.kind ?? SleepoverKind.PLANNED;
  const writeUp = input.recordedAfterwards === true;
  checkStay(p, input, kind, writeUp);
  const notes = optionalText(p, input.notes, ['input', 'notes'], MAX_NOTES);
  const coverReason = optionalText(p, input.coverReason, ['input', 'coverReason'], 500);
  if (coverReason && !isStaff(v)) p.add(UserErrorCode.FORBIDDEN, 'Only staff can book cover for a child of another constellation.', ['input', 'coverReason']);
  const overrideReason = optionalText(p, input.approvalOverrideReason, ['input', 'approvalOverrideReason'], 1000);
  if (overrideReason) {
    if (!isManager(v)) p.add(UserErrorCode.FORBIDDEN, "Only a manager can take a child outside the hub's terms of approval.", ['input', 'approvalOverrideReason']);
    else if (isValidDate(input.startDate) && isValidDate(input.endDate) && workingDaysIn(input.startDate, input.endDate) > OVERRIDE_WORKING_DAYS) {
      p.add(UserErrorCode.INVALID_INPUT, `An emergency override of the hub's approval covers at most ${OVERRIDE_WORKING_DAYS} working days.`, ['input', 'endDate']);
    }
  }
  const childIds = childIdsOf(p, input.childIds);
  const kid = idOf('Constellation', input.constellationId);
  if (!kid) p.add(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  p.throwIfAny();
  return { kid: kid!, childIds, start: input.startDate, end: input.endDate, kind, notes: notes ?? null, coverReason: coverReason ?? null, writeUp, overrideReason: overrideReason ?? null };
}

/**
 * The children and their household, locked before they are read in the order every writer takes:
 * the children (FOR SHARE: a consent being changed waits, or waits for us), their placements (FOR
 * SHARE waits for a placement being ended), then the household.
 */
async function lockRequestSubjects(tx: Tx, k: Constellation, r: RequestAsked): Promise<{ householdId: string; householdName: string; children: string[] }> {
  const v = tx.viewer;
  const pc = new Params();
  // In the order Sleepover.children lists them, the order beds are given in.
  const children = await sql(
    tx.em,
    `select c.id, c.first_name from child c where c.id = any(${pc.add(r.childIds)}::uuid[]) and ${childVisible(v, 'c', pc)} order by c.first_name, c.id for share of c`,
    pc.values,
  );
  if (children.length !== r.childIds.length) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childIds']);
  // Placements never overlap, so at most one holds a child on every night asked for.
  const placed = await sql(
    tx.em,
    `select pl.child_id, pl.household_id from placement pl
      where pl.child_id = any($1::uuid[]) and pl.household_id is not null and pl.period @> daterange($2::date, $3::date)
      for share`,
    [r.childIds, r.start, r.end],
  );
  const householdOf = new Map(placed.map((row) => [row.child_id as string, row.household_id as string]));
  const unplaced = children.filter((c) => !householdOf.has(c.id));
  if (unplaced.length) {
    refuse(UserErrorCode.INVALID_STATE, `${names(unplaced)} ${unplaced.length === 1 ? 'is' : 'are'} not placed with one household on every night asked for.`, ['input', 'childIds']);
  }
  const households = [...new Set(householdOf.values())];
  if (households.length > 1) refuse(UserErrorCode.INVALID_INPUT, 'One sleepover is for children placed with one household: ask for each household separately.', ['input', 'childIds']);
  const householdId = households[0];
  if (!mayRequestFor(v, k.id, householdId)) {
    refuse(UserErrorCode.FORBIDDEN, 'Carers ask for the children placed with their own household.', ['input', 'childIds']);
  }
  const household = await sqlOne(tx.em, `select name, status from household where id = $1 for key share`, [householdId]);
  if (household.status !== HouseholdStatus.APPROVED && household.status !== HouseholdStatus.TEMPORARILY_APPROVED) {
    refuse(UserErrorCode.NOT_APPROVED, `${household.name} is not approved just now, so it cannot book sleepovers.`, ['input', 'childIds']);
  }
  return { householdId, householdName: household.name, children: children.map((c) => c.id as string) };
}

/** The constellation asked for, if the viewer may see it, and whether this request fits it at all. */
async function requestedConstellation(tx: Tx, r: RequestAsked): Promise<Constellation> {
  const v = tx.viewer;
  const pk = new Params();
  const [k] = await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${pk.add(r.kid)} and ${constellationVisible(v, 'k', pk)}`, pk.values);
  if (!k) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  if (r.writeUp && !mayWriteUp(v, k.id)) {
    refuse(UserErrorCode.FORBIDDEN, 'Only the hub carer, the liaison worker or staff can write up a sleepover afterwards.', ['input', 'recordedAfterwards']);
  }
  if (r.childIds.length > k.sleepoverBeds) {
    refuse(UserErrorCode.INVALID_INPUT, `At most ${k.sleepoverBeds} children: the hub keeps ${k.sleepoverBeds} bed${k.sleepoverBeds === 1 ? '' : 's'}, one per child.`, ['input', 'childIds']);
  }
  return k;
}

/** Whether the household is a satellite of `k` throughout: a write-up's on its nights, a booking's from today on. */
async function isSatelliteThrough(tx: Tx, k: Constellation, r: RequestAsked, householdId: string): Promise<boolean> {
  const memberFrom = r.writeUp ? r.start : todayLondon();
  const { member } = (await sqlOne(
    tx.em,
    `select exists (select 1 from constellation_membership where constellation_id = $1 and household_id = $2 and role = 'SATELLITE'
                     and period @> daterange(least($3::date, $4::date), $4::date)) as member`,
    [k.id, householdId, memberFrom, r.end],
  ))!;
  return member;
}

/**
 * The event, and who hears of it. Confirmed at once by someone who runs the constellation: nobody
 * waits on a decision, but the children's own carers learn it is booked — and the liaison worker,
 * when it was written up afterwards or took the children outside the hub's approval.
 */
async function announceRequest(tx: Tx, s: Sleepover, r: RequestAsked, immediate: boolean): Promise<void> {
  publishSleepoverEvents(tx, [immediate ? eventOf(s, SleepoverEventKind.CONFIRMED, { from: r.start, to: r.end }) : eventOf(s, SleepoverEventKind.REQUESTED, null)]);
  if (!immediate) return notifySleepoverRequested(tx, s.id, r.kind);
  const lines = [
    ...(r.writeUp ? ['It was written up afterwards: the children stayed before it was recorded.'] : []),
    ...(r.overrideReason ? [`The hub's terms of approval were overridden in an emergency: ${r.overrideReason}`] : []),
  ];
  await notifySleepoverConfirmed(tx, s.id, null, { liaison: lines.length > 0, lines });
}

/**
 * A carer asks for their own household's children; the hub carer, the liaison worker, supervising
 * social workers and managers for any child they may see. What the hub carer, the liaison worker
 * or a manager asks for — and any write-up — is confirmed at once under every night rule, or
 * refused with nothing written; anyone else's request waits as REQUESTED without the night rules
 * (consent may still be on its way: the liaison worker chases it), an EMERGENCY one reaching the
 * hub's subscribers at once.
 */
export async function requestSleepover(tx: Tx, input: RequestSleepoverInput): Promise<Outcome<{ sleepover: Sleepover }>> {
  const v = tx.viewer;
  const r = readRequest(v, input);
  const k = await requestedConstellation(tx, r);
  const { householdId, householdName, children } = await lockRequestSubjects(tx, k, r);
  const immediate = r.writeUp || runsConstellation(v, k.id);
  const [locked] = await findRows(tx.em, Constellation, `select * from constellation where id = $1 for ${immediate ? 'no key update' : 'key share'}`, [k.id]);
  refuseUnlessTakingNew(locked, 'sleepovers', ['input', 'constellationId']);
  const member = await isSatelliteThrough(tx, k, r, householdId);
  if (!member && !r.coverReason) {
    refuse(UserErrorCode.OUTSIDE_CONSTELLATION, `${householdName} is not a satellite of ${k.name} from today to the last night. Staff can book cover with a coverReason.`, ['input', 'childIds']);
  }
  if (!immediate) {
    const { night } = (await sqlOne(tx.em, `select ${unapprovedNightSql('$1', '$2', '$3')} as night`, [k.id, r.start, r.end]))!;
    refuseUnapproved(night, ['input', 'constellationId']);
  }
  // Judged before anything is written, so a refusal (most requests, when beds are scarce) has
  // nothing to roll back: the rules read no sleepover of this request's own.
  const beds = immediate
    ? await bedsUnderRules(tx, locked, { sleepoverId: null, children, start: r.start, end: r.end, beds: null, overrideApproval: !!r.overrideReason }, ['input', 'constellationId'])
    : null;

  let s = tx.em.create(Sleepover, {
    organisation: tx.em.getReference(Organisation, v.organisationId),
    constellation: locked,
    household: tx.em.getReference(Household, householdId),
    requestedBy: tx.em.getReference(User, v.userId),
    kind: r.kind,
    status: immediate ? StoredSleepoverStatus.CONFIRMED : StoredSleepoverStatus.REQUESTED,
    startDate: r.start,
    endDate: r.end,
    notes: r.notes,
    coverReason: member ? null : r.coverReason,
    recordedAfterwards: r.writeUp,
    approvalOverrideReason: r.overrideReason,
  });
  // Written now: its children's rows refer to it and take their nights from it.
  await tx.em.flush();
  // Their nights and `active` come from the sleepover (trigger sleepover_child_from_sleepover).
  await sql(tx.em, `insert into sleepover_child (sleepover_id, child_id, organisation_id) select $1, c, $2 from unnest($3::uuid[]) as c`, [s.id, v.organisationId, r.childIds]);
  if (beds) s = await claimBeds(tx, locked, s, children, beds);
  await announceRequest(tx, s, r, immediate);
  return {
    payload: { sleepover: s },
    subject: { type: 'Sleepover', id: s.id },
    summary: {
      kind: r.kind,
      status: s.status,
      children: r.childIds.length,
      nights: daysBetween(r.start, r.end),
      cover: !member,
      ...(r.writeUp ? { recordedAfterwards: true } : {}),
      ...(r.overrideReason ? { approvalOverride: true } : {}),
    },
  };
}

/** A sleepover the viewer may act on (their own household's, or one of a constellation they see). */
async function visibleSleepover(tx: Tx, globalId: string): Promise<Sleepover> {
  const id = idOf('Sleepover', globalId);
  const p = new Params();
  const [s] = id ? await findRows(tx.em, Sleepover, `select s.* from sleepover s where s.id = ${p.add(id)} and ${sleepoverVisible(tx.viewer, 's', p, { othersBooked: false })}`, p.values) : [];
  if (!s) refuse(UserErrorCode.NOT_FOUND, 'No such sleepover.', ['input', 'sleepoverId']);
  return s;
}

async function lockSleepover(tx: Tx, id: string): Promise<Sleepover> {
  return (await findRows(tx.em, Sleepover, `select * from sleepover where id = $1 for update`, [id]))[0];
}

function mayDecide(tx: Tx, s: Sleepover, what: string): void {
  if (!runsConstellation(tx.viewer, s.constellation.id)) refuse(UserErrorCode.FORBIDDEN, `Only the hub carer, the liaison worker or a manager can ${what}.`, ['input', 'sleepoverId']);
}

function checkBedsInput(p: Problems, beds: number[] | null | undefined): number[] | null {
  if (beds == null) return null;
  if (beds.some((b) => !Number.isInteger(b))) p.add(UserErrorCode.INVALID_INPUT, 'Beds are whole numbers.', ['input', 'beds']);
  else if (new Set(beds).size !== beds.length) p.add(UserErrorCode.INVALID_INPUT, 'One bed per child: a bed is named twice.', ['input', 'beds']);
  return beds;
}

/**
 * REQUESTED → CONFIRMED with a bed per child. Confirming one that is already confirmed (two people
 * pressing the button at once) answers with it as it is.
 */
export async function confirmSleepover(tx: Tx, input: SleepoverDecisionInput): Promise<Outcome<{ sleepover: Sleepover }>> {
  const p = new Problems();
  const asked = checkBedsInput(p, input.beds);
  const reason = optionalText(p, input.reason, ['input', 'reason'], MAX_NOTES);
  p.throwIfAny();
  const s0 = await visibleSleepover(tx, input.sleepoverId);
  mayDecide(tx, s0, 'confirm a sleepover');
  // The children first (a consent being changed waits for us, or we for it), then the hub.
  const children = (await sql(tx.em, `select c.id from sleepover_child sc join child c on c.id = sc.child_id where sc.sleepover_id = $1 order by c.first_name, c.id for share of c`, [s0.id])).map(
    (r) => r.id as string,
  );
  const [k] = await findRows(tx.em, Constellation, `select * from constellation where id = $1 for no key update`, [s0.constellation.id]);
  const s = await lockSleepover(tx, s0.id);
  const subject = { type: 'Sleepover', id: s.id };
  if (s.status === StoredSleepoverStatus.CONFIRMED) {
    if (asked) {
      const held = (await sql(tx.em, `select sc.bed from sleepover_child sc join child c on c.id = sc.child_id where sc.sleepover_id = $1 order by c.first_name, c.id`, [s.id])).map((r) => r.bed);
      if (held.join() !== asked.join()) refuse(UserErrorCode.INVALID_STATE, `The sleepover is already confirmed, on beds ${held.join(', ')}.`, ['input', 'beds']);
    }
    return { payload: { sleepover: s }, subject, summary: { unchanged: true } };
  }
  if (s.status !== StoredSleepoverStatus.REQUESTED) {
    refuse(UserErrorCode.INVALID_STATE, `The sleepover is ${s.status.toLowerCase()}; only a requested one can be confirmed.`, ['input', 'sleepoverId']);
  }
  const firstAllowed = s.kind === SleepoverKind.EMERGENCY ? tonightLondon() : todayLondon();
  if (s.startDate < firstAllowed) refuse(UserErrorCode.INVALID_STATE, 'Its first night has passed; ask again with new dates.', ['input', 'sleepoverId']);
  refuseUnlessTakingNew(k, 'sleepovers', ['input', 'sleepoverId']);
  const cand = { sleepoverId: s.id, children, start: s.startDate, end: s.endDate, beds: asked, overrideApproval: !!s.approvalOverrideReason };
  const beds = await bedsUnderRules(tx, k, cand, ['input', 'sleepoverId']);
  const done = await claimBeds(tx, k, s, children, beds);
  publishSleepoverEvents(tx, [eventOf(done, SleepoverEventKind.CONFIRMED, { from: done.startDate, to: done.endDate })]);
  await notifySleepoverConfirmed(tx, done.id, reason ?? null);
  return { payload: { sleepover: done }, subject, summary: { beds } };
}

/** Declining and cancelling take a reason, not beds. */
function reasonOnly(input: SleepoverDecisionInput): string | null {
  return decisionReason(input, (p) => {
    if (input.beds != null) p.add(UserErrorCode.INVALID_INPUT, 'Beds are chosen when confirming only.', ['input', 'beds']);
  });
}

/** REQUESTED → DECLINED, with the reason for the household. */
export async function declineSleepover(tx: Tx, input: SleepoverDecisionInput): Promise<Outcome<{ sleepover: Sleepover }>> {
  const reason = reasonOnly(input);
  const s0 = await visibleSleepover(tx, input.sleepoverId);
  mayDecide(tx, s0, 'decline a sleepover');
  const s = await lockSleepover(tx, s0.id);
  const subject = { type: 'Sleepover', id: s.id };
  const states = { requested: StoredSleepoverStatus.REQUESTED, declined: StoredSleepoverStatus.DECLINED };
  if (declineRequested(s, states, 'sleepover', ['input', 'sleepoverId'], reason) === 'unchanged') return { payload: { sleepover: s }, subject, summary: { unchanged: true } };
  await tx.em.flush(); // the notification reads it back in SQL
  publishSleepoverEvents(tx, [eventOf(s, SleepoverEventKind.DECLINED, null)]);
  await notifySleepoverDeclined(tx, s.id, reason);
  return { payload: { sleepover: s }, subject };
}

/**
 * The requester, or the hub carer, the liaison worker or a manager, cancels a requested or
 * confirmed sleepover. One that has begun is cut short instead: it keeps the nights used and ends
 * this morning (so it reads as COMPLETED); its remaining nights are freed.
 */
export async function cancelSleepover(tx: Tx, input: SleepoverDecisionInput): Promise<Outcome<{ sleepover: Sleepover }>> {
  const reason = reasonOnly(input);
  const s0 = await visibleSleepover(tx, input.sleepoverId);
  if (!mayCancelSleepover(tx.viewer, s0.constellation.id, s0.requestedBy?.id)) {
    refuse(UserErrorCode.FORBIDDEN, 'Only the hub carer, the liaison worker or a manager can cancel a sleepover someone else asked for.', ['input', 'sleepoverId']);
  }
  await lockConstellationsForBeds(tx.em, [s0.constellation.id]);
  const s = await lockSleepover(tx, s0.id);
  const subject = { type: 'Sleepover', id: s.id };
  const today = todayLondon();
  if (s.status === StoredSleepoverStatus.CANCELLED) return { payload: { sleepover: s }, subject, summary: { unchanged: true } };
  if (s.status === StoredSleepoverStatus.DECLINED) refuse(UserErrorCode.INVALID_STATE, 'The sleepover was declined; there is nothing to cancel.', ['input', 'sleepoverId']);
  if (s.endDate <= today) refuse(UserErrorCode.INVALID_STATE, 'The sleepover is over.', ['input', 'sleepoverId']);
  const [done] = await endSleepovers(tx, [s], today, reason);
  return { payload: { sleepover: done }, subject, summary: { status: done.status, endDate: done.endDate } };
}

/**
 * Ends active sleepovers from the night of `cut` on: one not yet begun (or never confirmed) is
 * CANCELLED and frees all its beds; a confirmed one that began before `cut` is cut short — it
 * stays CONFIRMED for the nights before `cut` (so the nights used still count) and frees the rest.
 * The caller holds the constellations' bed locks and the rows' locks. Publishes one event each.
 */
export async function endSleepovers(tx: Tx, rows: Sleepover[], cut: string, reason: string | null): Promise<Sleepover[]> {
  const wasConfirmed = (s: Sleepover) => s.status === StoredSleepoverStatus.CONFIRMED;
  const cancel = rows.filter((s) => !wasConfirmed(s) || s.startDate >= cut);
  const shorten = rows.filter((s) => wasConfirmed(s) && s.startDate < cut && s.endDate > cut);
  const events = [
    ...cancel.map((s) => eventOf(s, SleepoverEventKind.CANCELLED, wasConfirmed(s) ? { from: s.startDate, to: s.endDate } : null)),
    ...shorten.map((s) => eventOf(s, SleepoverEventKind.CUT_SHORT, { from: cut, to: s.endDate })),
  ];
  const out: Sleepover[] = [];
  if (cancel.length) {
    const ids = cancel.map((s) => s.id);
    await sql(tx.em, `delete from bed_claim where sleepover_id = any($1::uuid[])`, [ids]);
    // The trigger sleepover_sync_children frees the children (sleepover_child.active) with the status.
    out.push(...(await findRows(tx.em, Sleepover, `update sleepover set status = 'CANCELLED', decision_reason = $2, updated_at = now() where id = any($1::uuid[]) returning *`, [ids, reason])));
  }
  if (shorten.length) {
    const ids = shorten.map((s) => s.id);
    await sql(tx.em, `delete from bed_claim where sleepover_id = any($1::uuid[]) and start_date >= $2::date`, [ids, cut]);
    await sql(tx.em, `update bed_claim set end_date = $2 where sleepover_id = any($1::uuid[]) and end_date > $2::date`, [ids, cut]);
    out.push(...(await findRows(tx.em, Sleepover, `update sleepover set end_date = $2, decision_reason = $3, updated_at = now() where id = any($1::uuid[]) returning *`, [ids, cut, reason])));
  }
  publishSleepoverEvents(tx, events);
  await notifySleepoversEnded(tx, cancel, shorten, cut, reason);
  return out;
}
