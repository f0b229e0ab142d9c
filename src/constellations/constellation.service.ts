import { constellationVisible, householdVisible } from '../auth/scope';
import { isManager, type Viewer } from '../auth/viewer';
import { HouseholdStatus } from '../households/enums';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { cascade } from '../platform/cascades';
import type { Ctx } from '../platform/context';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { BY_NAME_THEN_ID, readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { idOf } from '../platform/graphql/ids';
import { activeStaffMember } from '../users/staff';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { todayLondon } from '../platform/time';
import { checkDate, requireText } from '../platform/validation';
import { User } from '../users/user.entity';
import { Constellation } from './constellation.entity';
import { mayManageConstellation } from './constellation.policy';
import { ConstellationStatus, MembershipRole } from './enums';
import { ConstellationMembership } from './membership.entity';
import type { ConstellationMemberInput, CreateConstellationInput, UpdateConstellationInput } from './constellation.types';
import { hubOnDay } from './membership.sql';

registerConstraintError('membership_household_no_overlap', UserErrorCode.OVERLAP, 'The household is already in a constellation on that date.', ['input', 'householdId']);
registerConstraintError('membership_one_hub', UserErrorCode.OVERLAP, 'The constellation already has a hub household on that date.', ['input', 'hubHouseholdId']);

const MAX_BEDS = 10;
/** The mapped columns of `constellation_membership m` (not the generated period). */
const MEMBERSHIP_COLUMNS = 'm.id, m.organisation_id, m.constellation_id, m.household_id, m.role, m.joined_on, m.left_on';

/**
 * The membership exclusion constraint decides whether a hub may take its place; when it refuses,
 * the problem is the hub household the caller named, so say so against that field.
 */
async function asHub<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { constraint?: string }).constraint === 'membership_household_no_overlap') {
      refuse(UserErrorCode.OVERLAP, 'The hub household is already in a constellation on that date.', ['input', 'hubHouseholdId']);
    }
    throw err;
  }
}

/** Ordered by name, then id. */
export async function listConstellations(ctx: Ctx, v: Viewer, args: PageArgs) {
  const page = readPage(args, BY_NAME_THEN_ID);
  const p = new Params();
  const where = constellationVisible(v, 'k', p);
  const countParams = [...p.values];
  const after = page.after as [string, string] | null;
  const rows = await findRows(
    ctx.em,
    Constellation,
    `select k.* from constellation k where ${where}
       and (${p.add(after?.[0] ?? null)}::text is null or (k.name, k.id) > (${p.add(after?.[0] ?? null)}, ${p.add(after?.[1] ?? null)}::uuid))
     order by k.name, k.id limit ${p.add(page.limit + 1)}`,
    p.values,
  );
  return toConnection(
    rows,
    page,
    (k) => [k.name, k.id],
    (k) => k,
    async () => (await sqlOne(ctx.em, `select count(*)::int n from constellation k where ${where}`, countParams)).n,
  );
}

async function lockConstellation(tx: Tx, globalId: string): Promise<Constellation> {
  const id = idOf('Constellation', globalId);
  const p = new Params();
  const rows = id ? await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${p.add(id)} and ${constellationVisible(tx.viewer, 'k', p)} for update`, p.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  return rows[0];
}

async function visibleHousehold(tx: Tx, globalId: string | null | undefined, field: string[]): Promise<Household> {
  const id = idOf('Household', globalId);
  const p = new Params();
  const rows = id ? await findRows(tx.em, Household, `select h.* from household h where h.id = ${p.add(id)} and ${householdVisible(tx.viewer, 'h', p)} for update`, p.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such household.', field);
  return rows[0];
}

function checkBeds(p: Problems, beds: number | null | undefined, field: string[]) {
  if (beds == null) return;
  if (!Number.isInteger(beds) || beds < 1 || beds > MAX_BEDS) p.add(UserErrorCode.INVALID_INPUT, `sleepoverBeds must be between 1 and ${MAX_BEDS}.`, field);
}

export async function createConstellation(tx: Tx, input: CreateConstellationInput): Promise<Outcome<{ constellation: Constellation }>> {
  if (!isManager(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only a fostering manager or administrator can set up a constellation.');
  const p = new Problems();
  const name = requireText(p, input.name, ['input', 'name']);
  const beds = input.sleepoverBeds ?? 2;
  checkBeds(p, beds, ['input', 'sleepoverBeds']);
  checkDate(p, input.launchedOn, ['input', 'launchedOn']);
  const status = input.status ?? ConstellationStatus.FORMING;
  if (status === ConstellationStatus.CLOSED) p.add(UserErrorCode.INVALID_INPUT, 'A new constellation cannot start closed.', ['input', 'status']);
  const liaison = await activeStaffMember(tx, p, input.liaisonWorkerId, ['input', 'liaisonWorkerId']);
  p.throwIfAny();
  const hub = await visibleHousehold(tx, input.hubHouseholdId, ['input', 'hubHouseholdId']);
  if (hub.status === HouseholdStatus.DEREGISTERED) refuse(UserErrorCode.NOT_APPROVED, 'A deregistered household cannot be a hub.', ['input', 'hubHouseholdId']);
  const org = tx.em.getReference(Organisation, tx.viewer.organisationId);
  const constellation = tx.em.create(Constellation, {
    organisation: org,
    name: name!,
    status,
    launchedOn: input.launchedOn ?? null,
    liaisonWorker: liaison ? tx.em.getReference(User, liaison) : null,
    sleepoverBeds: beds,
  });
  await tx.em.flush();
  const joinedOn = input.launchedOn ?? todayLondon();
  tx.em.create(ConstellationMembership, { organisation: org, constellation, household: hub, role: MembershipRole.HUB, joinedOn });
  await asHub(() => tx.em.flush());
  await sql(tx.em, `insert into hub_bed (constellation_id, bed, organisation_id) select $1, b, $2 from generate_series(1, $3::int) b`, [constellation.id, tx.viewer.organisationId, beds]);
  return { payload: { constellation }, subject: { type: 'Constellation', id: constellation.id } };
}

export async function updateConstellation(tx: Tx, input: UpdateConstellationInput): Promise<Outcome<{ constellation: Constellation }>> {
  const k = await lockConstellation(tx, input.constellationId);
  if (!mayManageConstellation(tx.viewer, k.id)) refuse(UserErrorCode.FORBIDDEN, "Only a manager or this constellation's liaison worker can change it.");
  const managerOnly = input.hubHouseholdId != null || input.sleepoverBeds != null || input.liaisonWorkerId !== undefined;
  if (managerOnly && !isManager(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only a manager can change the hub, its beds or the liaison worker.');
  const p = new Problems();
  const name = input.name != null ? requireText(p, input.name, ['input', 'name']) : null;
  checkBeds(p, input.sleepoverBeds, ['input', 'sleepoverBeds']);
  checkDate(p, input.hubChangedOn, ['input', 'hubChangedOn']);
  if (k.status === ConstellationStatus.CLOSED && input.status && input.status !== ConstellationStatus.CLOSED) {
    p.add(UserErrorCode.INVALID_STATE, 'A closed constellation cannot be reopened; set up a new one.', ['input', 'status']);
  }
  if (input.hubChangedOn && input.hubHouseholdId == null) p.add(UserErrorCode.INVALID_INPUT, 'hubChangedOn goes with hubHouseholdId.', ['input', 'hubChangedOn']);
  const liaison = await activeStaffMember(tx, p, input.liaisonWorkerId, ['input', 'liaisonWorkerId']);
  p.throwIfAny();
  const changed: string[] = [];
  const today = todayLondon();
  if (name) {
    k.name = name;
    changed.push('name');
  }
  if (liaison !== undefined) {
    k.liaisonWorker = liaison ? tx.em.getReference(User, liaison) : null;
    changed.push('liaisonWorker');
  }
  await tx.em.flush();
  if (input.hubHouseholdId != null) {
    await changeHub(tx, k, input.hubHouseholdId, input.hubChangedOn ?? today);
    changed.push('hub');
  }
  if (input.sleepoverBeds != null && input.sleepoverBeds !== k.sleepoverBeds) {
    await changeBeds(tx, k, input.sleepoverBeds);
    changed.push('sleepoverBeds');
  }
  if (input.status && input.status !== k.status) {
    await changeStatus(tx, k, input.status, today);
    changed.push('status');
  }
  await tx.em.flush();
  return { payload: { constellation: k }, subject: { type: 'Constellation', id: k.id }, summary: { changed } };
}

/** A new hub household from `from`: the old hub's membership ends, and so does the new one's satellite place. */
async function changeHub(tx: Tx, k: Constellation, hubGlobalId: string, from: string): Promise<void> {
  const newHub = await visibleHousehold(tx, hubGlobalId, ['input', 'hubHouseholdId']);
  if (newHub.status === HouseholdStatus.DEREGISTERED) refuse(UserErrorCode.NOT_APPROVED, 'A deregistered household cannot be a hub.', ['input', 'hubHouseholdId']);
  const [old] = await findRows(tx.em, ConstellationMembership, `select ${MEMBERSHIP_COLUMNS} from constellation_membership m where ${hubOnDay('m', '$1', '$2::date')}`, [k.id, from]);
  const oldHubId = old ? old.household.id : null;
  if (oldHubId === newHub.id) refuse(UserErrorCode.INVALID_INPUT, 'That household is already the hub.', ['input', 'hubHouseholdId']);
  if (old) await endMembership(tx, old, from);
  // A satellite of this constellation becoming its hub leaves its satellite place on the same day.
  const [asSatellite] = await findRows(
    tx.em,
    ConstellationMembership,
    `select ${MEMBERSHIP_COLUMNS} from constellation_membership m where m.constellation_id = $1 and m.household_id = $2 and m.role = 'SATELLITE' and m.period @> $3::date`,
    [k.id, newHub.id, from],
  );
  if (asSatellite) await endMembership(tx, asSatellite, from);
  tx.em.create(ConstellationMembership, { organisation: tx.em.getReference(Organisation, tx.viewer.organisationId), constellation: k, household: newHub, role: MembershipRole.HUB, joinedOn: from });
  await asHub(() => tx.em.flush());
  await cascade(tx, { kind: 'hubChanged', constellationId: k.id, oldHubHouseholdId: oldHubId, newHubHouseholdId: newHub.id, from });
}

/** Beds come before the claims on them, and claims go before their beds (the cascade moves or refuses them). */
async function changeBeds(tx: Tx, k: Constellation, to: number): Promise<void> {
  const from = k.sleepoverBeds;
  if (to > from) {
    await sql(tx.em, `insert into hub_bed (constellation_id, bed, organisation_id) select $1, b, $2 from generate_series($3::int, $4::int) b`, [k.id, tx.viewer.organisationId, from + 1, to]);
    await cascade(tx, { kind: 'sleepoverBedsChanged', constellationId: k.id, from, to });
  } else {
    await cascade(tx, { kind: 'sleepoverBedsChanged', constellationId: k.id, from, to });
    await sql(tx.em, `delete from hub_bed where constellation_id = $1 and bed > $2`, [k.id, to]);
  }
  k.sleepoverBeds = to;
}

async function changeStatus(tx: Tx, k: Constellation, status: ConstellationStatus, today: string): Promise<void> {
  k.status = status;
  if (status === ConstellationStatus.CLOSED) {
    // A closed constellation keeps its history; its households are free to join another from today.
    // Every membership by a condition, so SQL rather than the unit of work (which would also write
    // the constellation's own pending changes before the cascade below); row by row, as it always was.
    const ended = await sql(tx.em, `select id, joined_on from constellation_membership where constellation_id = $1 and (left_on is null or left_on > $2)`, [k.id, today]);
    for (const m of ended) {
      if (today <= m.joined_on) await sql(tx.em, `delete from constellation_membership where id = $1`, [m.id]);
      else await sql(tx.em, `update constellation_membership set left_on = $2 where id = $1`, [m.id, today]);
    }
  }
  await cascade(tx, { kind: 'constellationStatusChanged', constellationId: k.id, status, from: today, reason: `The constellation was ${status.toLowerCase()}.` });
}

/**
 * Ends a membership on `on` ([joinedOn, leftOn) stays non-empty: one that had not begun is removed).
 * Flushed at once, one statement each: the exclusion constraints judge the next membership written
 * against this one's new end, and the unit of work would otherwise order its insert first.
 */
async function endMembership(tx: Tx, m: ConstellationMembership, on: string) {
  if (on <= m.joinedOn) tx.em.remove(m);
  else m.leftOn = on;
  await tx.em.flush();
}

export async function addConstellationMember(tx: Tx, input: ConstellationMemberInput): Promise<Outcome<{ constellation: Constellation }>> {
  const k = await lockConstellation(tx, input.constellationId);
  // A liaison worker sees only their constellations' households, so choosing a new one is the fostering team's.
  if (!isManager(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only a fostering manager or administrator can add a household to a constellation.');
  const p = new Problems();
  checkDate(p, input.date, ['input', 'date']);
  p.throwIfAny();
  if (k.status === ConstellationStatus.CLOSED) refuse(UserErrorCode.INVALID_STATE, 'The constellation is closed.', ['input', 'constellationId']);
  const h = await visibleHousehold(tx, input.householdId, ['input', 'householdId']);
  if (h.status === HouseholdStatus.DEREGISTERED) refuse(UserErrorCode.NOT_APPROVED, 'A deregistered household cannot join.', ['input', 'householdId']);
  const joinedOn = input.date ?? todayLondon();
  tx.em.create(ConstellationMembership, { organisation: tx.em.getReference(Organisation, tx.viewer.organisationId), constellation: k, household: h, role: MembershipRole.SATELLITE, joinedOn });
  return { payload: { constellation: k }, subject: { type: 'Constellation', id: k.id }, summary: { household: h.id, joinedOn } };
}

export async function removeConstellationMember(tx: Tx, input: ConstellationMemberInput): Promise<Outcome<{ constellation: Constellation }>> {
  const k = await lockConstellation(tx, input.constellationId);
  if (!mayManageConstellation(tx.viewer, k.id)) refuse(UserErrorCode.FORBIDDEN, "Only a manager or this constellation's liaison worker can change its members.");
  const p = new Problems();
  checkDate(p, input.date, ['input', 'date']);
  p.throwIfAny();
  const hid = idOf('Household', input.householdId);
  const leftOn = input.date ?? todayLondon();
  const [m] = hid
    ? await findRows(
        tx.em,
        ConstellationMembership,
        `select ${MEMBERSHIP_COLUMNS} from constellation_membership m
          where m.constellation_id = $1 and m.household_id = $2 and (m.left_on is null or m.left_on > $3) and m.joined_on <= $3
          order by m.joined_on desc limit 1 for update`,
        [k.id, hid, leftOn],
      )
    : [];
  if (!m) refuse(UserErrorCode.NOT_FOUND, 'That household is not a member on that date.', ['input', 'householdId']);
  if (m.role === MembershipRole.HUB) refuse(UserErrorCode.INVALID_STATE, 'The hub cannot leave; change the hub with updateConstellation.', ['input', 'householdId']);
  // Flushed before the cascade: its handlers read the membership's end in SQL.
  await endMembership(tx, m, leftOn);
  await cascade(tx, { kind: 'membershipEnded', constellationId: k.id, householdId: hid!, from: leftOn, reason: 'The household left the constellation.' });
  return { payload: { constellation: k }, subject: { type: 'Constellation', id: k.id }, summary: { household: hid, leftOn } };
}
