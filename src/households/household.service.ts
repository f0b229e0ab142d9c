import { householdVisible } from '../auth/scope';
import { isStaff, type Viewer } from '../auth/viewer';
import { Organisation } from '../organisations/organisation.entity';
import { PlacementKind } from '../placements/enums';
import { cascade } from '../platform/cascades';
import type { Ctx } from '../platform/context';
import { afterCursor, containsPattern, Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { BY_NAME_THEN_ID, readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { idOf } from '../platform/graphql/ids';
import { activeStaffMember } from '../users/staff';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { todayLondon } from '../platform/time';
import { checkDate, optionalText, requireText } from '../platform/validation';
import { User } from '../users/user.entity';
import { Carer } from './carer.entity';
import { HouseholdStatus } from './enums';
import { Household } from './household.entity';
import { mayManageHouseholds } from './household.policy';
import type { AddCarerInput, ApprovalInput, CreateHouseholdInput, DeregisterHouseholdInput, HouseholdFilter, UpdateHouseholdInput } from './household.types';

const POSTCODE_DISTRICT_RE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;
/** However a carer is added (createHousehold, addCarer, a carer login), a household has at most this many. */
export const MAX_CARERS = 10;

/** Ordered by name, then id. */
export async function listHouseholds(ctx: Ctx, v: Viewer, args: PageArgs & { filter?: HouseholdFilter | null }) {
  const page = readPage(args, BY_NAME_THEN_ID);
  const f = args.filter ?? {};
  const p = new Params();
  const conds = [householdVisible(v, 'h', p)];
  // Status and vacancies are fields a carer may not read on other households; filtering on them
  // must not reveal them either, so for carers these filters match their own household only.
  const detailsVisible = isStaff(v) ? '' : `h.id = ${p.add(v.householdId)}::uuid and `;
  if (f.status?.length) conds.push(`(${detailsVisible}h.status = any(${p.add(f.status)}::text[]))`);
  if (f.constellationId != null) {
    const cid = idOf('Constellation', f.constellationId);
    conds.push(`exists (select 1 from constellation_membership m where m.household_id = h.id and m.constellation_id = ${p.add(cid)}::uuid and m.period @> ${p.add(todayLondon())}::date)`);
  }
  if (f.hasVacancy != null) {
    // The same rule as the vacancies field: only an APPROVED household has places to offer.
    const vacancy = `(h.status = 'APPROVED' and h.approval_max_children is not null
      and h.approval_max_children > (select count(*) from placement pl where pl.household_id = h.id and pl.period @> ${p.add(todayLondon())}::date))`;
    conds.push(`(${detailsVisible}${f.hasVacancy ? vacancy : `not ${vacancy}`})`);
  }
  if (f.search?.trim()) {
    const like = p.add(containsPattern(f.search));
    conds.push(`(h.name ilike ${like} or exists (select 1 from carer c where c.household_id = h.id and c.name ilike ${like}))`);
  }
  const where = conds.join(' and ');
  const countParams = [...p.values];
  const after = page.after as [string, string] | null;
  const rows = await findRows(
    ctx.em,
    Household,
    `select h.* from household h where ${where}
       ${afterCursor(p, '(h.name, h.id)', after, ['text', 'uuid'])}
     order by h.name, h.id limit ${p.add(page.limit + 1)}`,
    p.values,
  );
  return toConnection(
    rows,
    page,
    (h) => [h.name, h.id],
    (h) => h,
    async () => (await sqlOne(ctx.em, `select count(*)::int n from household h where ${where}`, countParams)).n,
  );
}

function requireManager(v: Viewer) {
  if (!mayManageHouseholds(v)) refuse(UserErrorCode.FORBIDDEN, 'Only the fostering team can change households.');
}

function checkApproval(p: Problems, a: ApprovalInput | null | undefined, field: string[]) {
  if (!a) return;
  if (!Number.isInteger(a.minAge) || a.minAge < 0 || a.minAge > 25) p.add(UserErrorCode.INVALID_INPUT, 'minAge must be between 0 and 25.', [...field, 'minAge']);
  if (!Number.isInteger(a.maxAge) || a.maxAge < a.minAge || a.maxAge > 25) p.add(UserErrorCode.INVALID_INPUT, 'maxAge must be between minAge and 25.', [...field, 'maxAge']);
  if (!Number.isInteger(a.maxChildren) || a.maxChildren < 1 || a.maxChildren > 20) p.add(UserErrorCode.INVALID_INPUT, 'maxChildren must be between 1 and 20.', [...field, 'maxChildren']);
  if (!a.kinds.length) p.add(UserErrorCode.INVALID_INPUT, 'An approval names at least one kind of placement.', [...field, 'kinds']);
}

function normalisePostcodeDistrict(p: Problems, value: string | null | undefined, field: string[]): string | null {
  if (value == null) return null;
  const v = value.trim().toUpperCase();
  if (!POSTCODE_DISTRICT_RE.test(v)) {
    p.add(UserErrorCode.INVALID_INPUT, 'postcodeDistrict must be an outward postcode such as LS6 or SW1A.', field);
    return null;
  }
  return v;
}

function approvalNeeded(p: Problems, status: HouseholdStatus, hasApproval: boolean, approvedOn: string | null | undefined) {
  if (status === HouseholdStatus.APPROVED || status === HouseholdStatus.TEMPORARILY_APPROVED) {
    if (!hasApproval) p.add(UserErrorCode.INVALID_INPUT, 'An approved household needs its approval (ages, children, kinds).', ['input', 'approval']);
    if (!approvedOn) p.add(UserErrorCode.INVALID_INPUT, 'An approved household needs approvedOn.', ['input', 'approvedOn']);
  }
}

export async function createHousehold(tx: Tx, input: CreateHouseholdInput): Promise<Outcome<{ household: Household }>> {
  requireManager(tx.viewer);
  const p = new Problems();
  const name = requireText(p, input.name, ['input', 'name']);
  const postcode = normalisePostcodeDistrict(p, input.postcodeDistrict, ['input', 'postcodeDistrict']);
  const status = input.status ?? HouseholdStatus.IN_ASSESSMENT;
  if (status === HouseholdStatus.DEREGISTERED) p.add(UserErrorCode.INVALID_INPUT, 'A new household cannot start deregistered.', ['input', 'status']);
  checkApproval(p, input.approval, ['input', 'approval']);
  checkDate(p, input.approvedOn, ['input', 'approvedOn']);
  approvalNeeded(p, status, !!input.approval, input.approvedOn);
  const carerNames = (input.carerNames ?? []).map((n, i) => requireText(p, n, ['input', 'carerNames', String(i)]));
  if (carerNames.length > MAX_CARERS) p.add(UserErrorCode.INVALID_INPUT, `At most ${MAX_CARERS} carers.`, ['input', 'carerNames']);
  const ssw = await activeStaffMember(tx, p, input.supervisingSocialWorkerId, ['input', 'supervisingSocialWorkerId']);
  p.throwIfAny();
  const org = tx.em.getReference(Organisation, tx.viewer.organisationId);
  const household = tx.em.create(Household, {
    organisation: org,
    name: name!,
    postcodeDistrict: postcode!,
    isKinship: input.isKinship ?? false,
    status,
    approvalMinAge: input.approval?.minAge ?? null,
    approvalMaxAge: input.approval?.maxAge ?? null,
    approvalMaxChildren: input.approval?.maxChildren ?? null,
    approvalKinds: input.approval ? [...new Set(input.approval.kinds)] : null,
    approvedOn: input.approvedOn ?? null,
    supervisingSocialWorker: ssw ? tx.em.getReference(User, ssw) : null,
  });
  for (const carerName of carerNames) tx.em.create(Carer, { organisation: org, household, name: carerName! });
  await tx.em.flush();
  return { payload: { household }, subject: { type: 'Household', id: household.id } };
}

async function lockHousehold(tx: Tx, globalId: string, field: string[]): Promise<Household> {
  const id = idOf('Household', globalId);
  const p = new Params();
  const rows = id ? await findRows(tx.em, Household, `select h.* from household h where h.id = ${p.add(id)} and ${householdVisible(tx.viewer, 'h', p)} for update`, p.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such household.', field);
  return rows[0];
}

export async function updateHousehold(tx: Tx, input: UpdateHouseholdInput): Promise<Outcome<{ household: Household }>> {
  requireManager(tx.viewer);
  const h = await lockHousehold(tx, input.householdId, ['input', 'householdId']);
  const p = new Problems();
  const name = input.name != null ? requireText(p, input.name, ['input', 'name']) : null;
  const postcode = input.postcodeDistrict != null ? normalisePostcodeDistrict(p, input.postcodeDistrict, ['input', 'postcodeDistrict']) : null;
  checkApproval(p, input.approval, ['input', 'approval']);
  checkDate(p, input.approvedOn, ['input', 'approvedOn']);
  if (input.status === HouseholdStatus.DEREGISTERED) p.add(UserErrorCode.INVALID_INPUT, 'Use deregisterHousehold, which records the date and reason.', ['input', 'status']);
  if (h.status === HouseholdStatus.DEREGISTERED && input.status && input.status !== HouseholdStatus.DEREGISTERED) {
    p.add(UserErrorCode.INVALID_STATE, 'A deregistered household cannot be reopened; register it again.', ['input', 'status']);
  }
  const ssw = await activeStaffMember(tx, p, input.supervisingSocialWorkerId, ['input', 'supervisingSocialWorkerId']);
  const newStatus = input.status ?? h.status;
  approvalNeeded(p, newStatus, !!(input.approval ?? h.approvalKinds), input.approvedOn ?? h.approvedOn);
  p.throwIfAny();
  const changed: string[] = [];
  if (name) {
    h.name = name;
    changed.push('name');
  }
  if (postcode) {
    h.postcodeDistrict = postcode;
    changed.push('postcodeDistrict');
  }
  if (input.approval) {
    h.approvalMinAge = input.approval.minAge;
    h.approvalMaxAge = input.approval.maxAge;
    h.approvalMaxChildren = input.approval.maxChildren;
    h.approvalKinds = [...new Set(input.approval.kinds)] as PlacementKind[];
    changed.push('approval');
  }
  if (input.approvedOn) {
    h.approvedOn = input.approvedOn;
    changed.push('approvedOn');
  }
  if (ssw !== undefined) {
    h.supervisingSocialWorker = ssw ? tx.em.getReference(User, ssw) : null;
    changed.push('supervisingSocialWorker');
  }
  const becameOnHold = input.status === HouseholdStatus.ON_HOLD && h.status !== HouseholdStatus.ON_HOLD;
  if (input.status && input.status !== h.status) {
    h.status = input.status;
    changed.push('status');
  }
  await tx.em.flush();
  if (becameOnHold) await cascade(tx, { kind: 'householdUnavailable', householdId: h.id, from: todayLondon(), reason: 'The household was put on hold.' });
  // A household on hold has its sleepovers ended above; any other narrower approval is refused
  // where what is already booked would no longer fit.
  else if (changed.includes('approval') || changed.includes('status')) {
    await cascade(tx, { kind: 'householdCapacityChanged', householdId: h.id, from: todayLondon(), field: changed.includes('approval') ? ['input', 'approval'] : ['input', 'status'] });
  }
  return { payload: { household: h }, subject: { type: 'Household', id: h.id }, summary: { changed } };
}

export async function deregisterHousehold(tx: Tx, input: DeregisterHouseholdInput): Promise<Outcome<{ household: Household }>> {
  requireManager(tx.viewer);
  const h = await lockHousehold(tx, input.householdId, ['input', 'householdId']);
  const p = new Problems();
  checkDate(p, input.deregisteredOn, ['input', 'deregisteredOn']);
  const note = optionalText(p, input.note, ['input', 'note']);
  if (h.status === HouseholdStatus.DEREGISTERED) p.add(UserErrorCode.INVALID_STATE, 'The household is already deregistered.', ['input', 'householdId']);
  if (h.approvedOn && input.deregisteredOn < h.approvedOn) p.add(UserErrorCode.INVALID_INPUT, 'deregisteredOn cannot be before approvedOn.', ['input', 'deregisteredOn']);
  p.throwIfAny();
  const placed = await sqlOne(tx.em, `select count(*)::int n from placement where household_id = $1 and (end_date is null or end_date > $2)`, [h.id, input.deregisteredOn]);
  if (placed.n > 0) refuse(UserErrorCode.INVALID_STATE, 'Children are still placed with this household after that date; end their placements first.', ['input', 'deregisteredOn']);
  // Leaving would leave its constellation without a hub (as removeConstellationMember refuses too).
  const hubOf = await sqlOne(
    tx.em,
    `select k.name from constellation_membership m join constellation k on k.id = m.constellation_id
      where m.household_id = $1 and m.role = 'HUB' and (m.left_on is null or m.left_on > $2) limit 1`,
    [h.id, input.deregisteredOn],
  );
  if (hubOf) refuse(UserErrorCode.INVALID_STATE, `${h.name} is the hub of ${hubOf.name} after that date; give the constellation another hub first.`, ['input', 'householdId']);
  h.status = HouseholdStatus.DEREGISTERED;
  h.deregisteredOn = input.deregisteredOn;
  h.deregistrationReason = input.reason;
  h.deregistrationNote = note ?? null;
  await tx.em.flush();
  // A deregistered household leaves its constellation on that day.
  const memberships = await sql(
    tx.em,
    `update constellation_membership set left_on = $2 where household_id = $1 and period @> $2::date and joined_on < $2
     returning constellation_id`,
    [h.id, input.deregisteredOn],
  );
  await sql(tx.em, `delete from constellation_membership where household_id = $1 and joined_on >= $2`, [h.id, input.deregisteredOn]);
  for (const m of memberships) {
    await cascade(tx, { kind: 'membershipEnded', constellationId: m.constellation_id, householdId: h.id, from: input.deregisteredOn, reason: 'The household was deregistered.' });
  }
  await cascade(tx, { kind: 'householdUnavailable', householdId: h.id, from: input.deregisteredOn, reason: 'The household was deregistered.' });
  return { payload: { household: h }, subject: { type: 'Household', id: h.id }, summary: { reason: input.reason } };
}

export async function addCarer(tx: Tx, input: AddCarerInput): Promise<Outcome<{ household: Household }>> {
  requireManager(tx.viewer);
  const h = await lockHousehold(tx, input.householdId, ['input', 'householdId']);
  const p = new Problems();
  const name = requireText(p, input.name, ['input', 'name']);
  p.throwIfAny();
  const count = await sqlOne(tx.em, `select count(*)::int n from carer where household_id = $1`, [h.id]);
  if (count.n >= MAX_CARERS) refuse(UserErrorCode.INVALID_STATE, `A household has at most ${MAX_CARERS} carers.`, ['input', 'name']);
  tx.em.create(Carer, { organisation: tx.em.getReference(Organisation, tx.viewer.organisationId), household: h, name: name! });
  await tx.em.flush();
  return { payload: { household: h }, subject: { type: 'Household', id: h.id } };
}
