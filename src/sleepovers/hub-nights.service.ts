import type { EntityManager } from '@mikro-orm/postgresql';
import { constellationVisible } from '../auth/scope';
import { runsConstellation } from '../auth/viewer';
import { Constellation } from '../constellations/constellation.entity';
import { ConstellationStatus } from '../constellations/enums';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { badUserInput } from '../platform/graphql/errors';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { addDays, daysBetween, todayLondon } from '../platform/time';
import { checkDate, optionalText } from '../platform/validation';
import { SleepoverEventKind } from './enums';
import { publishSleepoverEvents } from './sleepover.events';
import { BedNight, type HubNightsInput } from './sleepover.types';

/** Availability and blocked-night ranges are at most a year and a day. */
export const MAX_RANGE_NIGHTS = 366;

/**
 * Bed use night by night over [from, to) for each constellation, in one statement however many
 * constellations and nights: sleepover claims are booked beds, a block claim closes the night.
 */
export async function availabilityOf(em: EntityManager, constellationIds: readonly string[], from: string, to: string): Promise<Map<string, BedNight[]>> {
  const out = new Map<string, BedNight[]>(constellationIds.map((id) => [id, []]));
  if (!constellationIds.length || from >= to) return out;
  // The nights go as a list and one constellation as one value, not generate_series and an array:
  // PostgreSQL's generic plan for those reckons a thousand nights and ten constellations, costs the
  // statement ten times the plan for the actual values, and so plans every request afresh.
  const nights = Array.from({ length: Math.max(daysBetween(from, to), 0) }, (_, i) => addDays(from, i));
  const rows = await sql(
    em,
    `select k.id as constellation_id, d.night as date, k.sleepover_beds as beds_total,
            (count(c.id) filter (where not c.is_block))::int as booked,
            coalesce(bool_or(c.is_block), false) as blocked,
            min(c.block_reason) filter (where c.is_block) as reason,
            coalesce(array_agg(c.bed) filter (where not c.is_block), '{}') as taken
       from constellation k
      cross join unnest($2::date[]) as d(night)
       left join bed_claim c on c.constellation_id = k.id and c.nights @> d.night
                             -- the window's claims only, through the (constellation, bed, nights) GiST
                             -- index, rather than every claim in the hub's history
                             and c.nights && daterange($3::date, $4::date)
      where ${constellationIds.length === 1 ? 'k.id = $1::uuid' : 'k.id = any($1::uuid[])'}
      group by k.id, d.night
      order by k.id, d.night`,
    [constellationIds.length === 1 ? constellationIds[0] : constellationIds, nights, from, to],
  );
  for (const r of rows) {
    const night = Object.assign(new BedNight(), {
      date: r.date,
      bedsTotal: r.beds_total,
      bedsBooked: r.booked,
      bedsFree: r.blocked ? 0 : Math.max(r.beds_total - r.booked, 0),
      blocked: r.blocked,
      constellationId: r.constellation_id,
      reason: r.reason ?? null,
      takenBeds: (r.taken as number[]).map(Number),
    });
    out.get(r.constellation_id)!.push(night);
  }
  return out;
}

/** The query argument check for Constellation.availability: a top-level BAD_USER_INPUT when wrong. */
export function checkAvailabilityRange(from: string, to: string): void {
  if (to < from) throw badUserInput('availability: `to` must not be before `from`.');
  if (daysBetween(from, to) > MAX_RANGE_NIGHTS) throw badUserInput(`availability covers at most ${MAX_RANGE_NIGHTS} nights.`);
}

/**
 * Locks a constellation the viewer may see against other bed changes (confirmations, blocks, bed
 * moves) until the transaction ends. NO KEY UPDATE, so rows that merely reference the
 * constellation (new requests) are not held up. Serialising per hub keeps the losers of a race
 * cheap and clear; the exclusion constraint on bed_claim stays the final arbiter.
 */
export async function lockVisibleConstellation(tx: Tx, globalId: string, field = ['input', 'constellationId']): Promise<Constellation> {
  const id = idOf('Constellation', globalId);
  const p = new Params();
  const rows = id ? await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${p.add(id)} and ${constellationVisible(tx.viewer, 'k', p)} for no key update`, p.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', field);
  return rows[0];
}

export async function lockConstellationsForBeds(em: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length) await sql(em, `select id from constellation where id = any($1::uuid[]) order by id for no key update`, [[...new Set(ids)]]);
}

function checkNights(p: Problems, input: HubNightsInput): void {
  const ok = checkDate(p, input.from, ['input', 'from']) && checkDate(p, input.to, ['input', 'to']);
  if (!ok) return;
  if (input.from < todayLondon()) p.add(UserErrorCode.INVALID_INPUT, 'Past nights cannot be changed: start today or later.', ['input', 'from']);
  if (input.to <= input.from) p.add(UserErrorCode.INVALID_INPUT, '`to` must be after `from`: nights are [from, to).', ['input', 'to']);
  else if (daysBetween(input.from, input.to) > MAX_RANGE_NIGHTS) p.add(UserErrorCode.INVALID_INPUT, `At most ${MAX_RANGE_NIGHTS} nights at once.`, ['input', 'to']);
}

async function hubNightsTarget(tx: Tx, input: HubNightsInput, p: Problems): Promise<Constellation> {
  p.throwIfAny();
  const k = await lockVisibleConstellation(tx, input.constellationId);
  if (!runsConstellation(tx.viewer, k.id)) refuse(UserErrorCode.FORBIDDEN, "Only the hub carer, the liaison worker or a manager can open or close the hub's nights.");
  return k;
}

/**
 * Closes the hub's nights [from, to): a block claim on every bed, so nothing can be confirmed on
 * them. Refused where a confirmed sleepover holds a bed. Nights already blocked keep their reason.
 */
export async function blockHubNights(tx: Tx, input: HubNightsInput): Promise<Outcome<{ availability: BedNight[] }>> {
  const p = new Problems();
  checkNights(p, input);
  const reason = optionalText(p, input.reason, ['input', 'reason'], 500);
  const k = await hubNightsTarget(tx, input, p);
  if (k.status === ConstellationStatus.CLOSED) refuse(UserErrorCode.INVALID_STATE, 'The constellation is closed.', ['input', 'constellationId']);
  const held = await sqlOne(
    tx.em,
    `select min(greatest(start_date, $2::date)) as night from bed_claim
      where constellation_id = $1 and not is_block and nights && daterange($2::date, $3::date)`,
    [k.id, input.from, input.to],
  );
  if (held.night) refuse(UserErrorCode.INVALID_STATE, `A confirmed sleepover holds a bed on the night of ${held.night}: cancel or move it first.`, ['input', 'from']);
  // Only the gaps between existing blocks are claimed; a block is the same range on every bed.
  const inserted = await sql(
    tx.em,
    `insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, is_block, block_reason, created_by_id)
     select $1, $2, b.bed, lower(g.r), upper(g.r), true, $5, $6
       from hub_bed b
      cross join unnest(datemultirange(daterange($3::date, $4::date))
                        - coalesce((select range_agg(nights) from bed_claim where constellation_id = $2 and is_block), '{}'::datemultirange)) as g(r)
      where b.constellation_id = $2
     returning start_date`,
    [tx.viewer.organisationId, k.id, input.from, input.to, reason ?? null, tx.viewer.userId],
  );
  if (inserted.length) {
    publishSleepoverEvents(tx, [{ kind: SleepoverEventKind.NIGHTS_BLOCKED, constellationId: k.id, sleepoverId: null, householdId: null, from: input.from, to: input.to }]);
  }
  const nights = (await availabilityOf(tx.em, [k.id], input.from, input.to)).get(k.id)!;
  return { payload: { availability: nights }, subject: { type: 'Constellation', id: k.id }, summary: { from: input.from, to: input.to, changed: inserted.length > 0 } };
}

/** Opens the hub's nights [from, to) again; blocks reaching outside the range keep their other nights. */
export async function unblockHubNights(tx: Tx, input: HubNightsInput): Promise<Outcome<{ availability: BedNight[] }>> {
  const p = new Problems();
  checkNights(p, input);
  optionalText(p, input.reason, ['input', 'reason'], 500);
  const k = await hubNightsTarget(tx, input, p);
  const gone = await sql(
    tx.em,
    `delete from bed_claim where constellation_id = $1 and is_block and nights && daterange($2::date, $3::date)
     returning organisation_id, bed, nights, block_reason, created_by_id, created_at`,
    [k.id, input.from, input.to],
  );
  if (gone.length) {
    // Put back what lay outside [from, to) (a block cut in two leaves two pieces).
    await sql(
      tx.em,
      `insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, is_block, block_reason, created_by_id, created_at)
       select g.organisation_id, $1, g.bed, lower(x.r), upper(x.r), true, g.block_reason, g.created_by_id, g.created_at
         from jsonb_to_recordset($4::jsonb) as g(organisation_id uuid, bed smallint, nights daterange, block_reason text, created_by_id uuid, created_at timestamptz)
        cross join unnest(datemultirange(g.nights) - datemultirange(daterange($2::date, $3::date))) as x(r)`,
      [k.id, input.from, input.to, JSON.stringify(gone)],
    );
    publishSleepoverEvents(tx, [{ kind: SleepoverEventKind.NIGHTS_UNBLOCKED, constellationId: k.id, sleepoverId: null, householdId: null, from: input.from, to: input.to }]);
  }
  const nights = (await availabilityOf(tx.em, [k.id], input.from, input.to)).get(k.id)!;
  return { payload: { availability: nights }, subject: { type: 'Constellation', id: k.id }, summary: { from: input.from, to: input.to, changed: gone.length > 0 } };
}

interface FutureClaim {
  id: string;
  sleepover_id: string;
  child_id: string;
  bed: number;
  start_date: string;
  end_date: string;
}

/**
 * The hub's bed count is changing (sleepoverBedsChanged). Going up: blocked nights block the new
 * beds too. Going down: claims on the beds going away must go — past ones are deleted (the
 * sleepover keeps each child's bed in its history), blocks lose those beds, and confirmed
 * sleepovers from today on are packed onto the remaining beds. Packing goes through the claims in
 * order of their first remaining night and gives each a bed free from then on, keeping its own
 * bed when it can; that always succeeds when no night needs more beds than remain (interval
 * partitioning), so the refusal below is exactly "some future night needs more beds".
 */
/**
 * Closed nights close every bed: beds (from, to] added to a hub get the blocks bed 1 holds (every
 * block claims each bed). One statement however many nights and beds.
 */
export async function blockNewBeds(em: EntityManager, constellationId: string, from: number, to: number): Promise<void> {
  await sql(
    em,
    `insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, is_block, block_reason, created_by_id, created_at)
     select c.organisation_id, c.constellation_id, b.bed, c.start_date, c.end_date, true, c.block_reason, c.created_by_id, c.created_at
       from bed_claim c join hub_bed b on b.constellation_id = c.constellation_id and b.bed between $2 + 1 and $3
      where c.constellation_id = $1 and c.is_block and c.bed = 1`,
    [constellationId, from, to],
  );
}

export async function onSleepoverBedsChanged(tx: Tx, constellationId: string, from: number, to: number): Promise<void> {
  await lockConstellationsForBeds(tx.em, [constellationId]);
  // Rooms say how many beds there are: a bare bed count fits a hub of one room only, which grows or shrinks with it.
  const rooms = await sql(tx.em, `update hub_room set beds = $2 where constellation_id = $1 and (select count(*) from hub_room where constellation_id = $1) = 1 returning position`, [
    constellationId,
    to,
  ]);
  if (!rooms.length) {
    const { n } = (await sqlOne(tx.em, `select count(*)::int as n from hub_room where constellation_id = $1`, [constellationId]))!;
    if (n > 1) refuse(UserErrorCode.INVALID_STATE, 'The hub has more than one bedroom: set its rooms (setHubRooms) to change how many beds it keeps.', ['input', 'sleepoverBeds']);
  }
  if (to > from) {
    await blockNewBeds(tx.em, constellationId, from, to);
    return;
  }
  const today = todayLondon();
  await sql(tx.em, `delete from bed_claim where constellation_id = $1 and bed > $2 and (is_block or end_date <= $3::date)`, [constellationId, to, today]);
  const claims = await sql<FutureClaim>(
    tx.em,
    `select id, sleepover_id, child_id, bed, greatest(start_date, $2::date) as start_date, end_date
       from bed_claim where constellation_id = $1 and not is_block and end_date > $2::date
      order by greatest(start_date, $2::date), end_date desc, bed`,
    [constellationId, today],
  );
  const freeFrom = new Map<number, string>(); // bed → first night it is free again
  for (let b = 1; b <= to; b++) freeFrom.set(b, today);
  const moved: (FutureClaim & { newBed: number })[] = [];
  for (const c of claims) {
    const own = c.bed <= to && freeFrom.get(c.bed)! <= c.start_date ? c.bed : undefined;
    const bed = own ?? [...freeFrom.entries()].find(([, free]) => free <= c.start_date)?.[0];
    if (bed === undefined) {
      const busy = claims.filter((o) => o.start_date <= c.start_date && o.end_date > c.start_date).length;
      refuse(UserErrorCode.INVALID_STATE, `${busy} children have confirmed sleepovers on the night of ${c.start_date}: the hub cannot go down to ${to} bed${to === 1 ? '' : 's'}.`, [
        'input',
        'sleepoverBeds',
      ]);
    }
    freeFrom.set(bed, c.end_date);
    // A moved claim keeps only its nights from today on; the nights before stay in the sleepover's history.
    if (bed !== c.bed) moved.push({ ...c, newBed: bed });
  }
  if (!moved.length) return;
  // Delete first, then insert: moving claims one by one could collide with each other on the way.
  await sql(tx.em, `delete from bed_claim where id = any($1::uuid[])`, [moved.map((m) => m.id)]);
  await sql(
    tx.em,
    `insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id, created_by_id)
     select $1, $2, m.bed, m.start_date, m.end_date, m.sleepover_id, m.child_id, $3
       from jsonb_to_recordset($4::jsonb) as m(bed smallint, start_date date, end_date date, sleepover_id uuid, child_id uuid)`,
    [tx.viewer.organisationId, constellationId, tx.viewer.userId, JSON.stringify(moved.map((m) => ({ ...m, bed: m.newBed })))],
  );
  await sql(
    tx.em,
    `update sleepover_child sc set bed = m.bed
       from jsonb_to_recordset($1::jsonb) as m(bed smallint, sleepover_id uuid, child_id uuid)
      where sc.sleepover_id = m.sleepover_id and sc.child_id = m.child_id`,
    [JSON.stringify(moved.map((m) => ({ sleepover_id: m.sleepover_id, child_id: m.child_id, bed: m.newBed })))],
  );
}
