import { Child } from '../children/child.entity';
import { isManager } from '../auth/viewer';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { cascade } from '../platform/cascades';
import { findRows } from '../platform/db/rows';
import { sqlOne } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { ageOn, todayLondon } from '../platform/time';
import { checkDate, optionalText } from '../platform/validation';
import { eligibilityOf } from './eligibility';
import { PlacementSetting } from './enums';
import { Placement } from './placement.entity';
import { mayManagePlacements } from './placement.policy';
import type { EndPlacementInput, StartPlacementInput } from './placement.types';

const OVERLAP_MESSAGE = "The child's placements would overlap: end the current one first.";
registerConstraintError('placement_child_no_overlap', UserErrorCode.OVERLAP, OVERLAP_MESSAGE, ['input', 'startDate']);

function requirePlacementManager(tx: Tx) {
  if (!mayManagePlacements(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only the fostering team can start or end placements.');
}

/**
 * Checked as on startDate: the household approved then, the approval covering the child's age
 * then and the kind, and a place free on every day from startDate. The household row is locked,
 * so two placements racing for its last place are decided one after the other.
 */
export async function startPlacement(tx: Tx, input: StartPlacementInput): Promise<Outcome<{ placement: Placement }>> {
  requirePlacementManager(tx);
  const { setting, providerName, hubReason, childId, householdId } = checkStartInput(input);
  const child = (await findRows(tx.em, Child, `select * from child where id = $1 and organisation_id = $2`, [childId, tx.viewer.organisationId]))[0];
  if (!child) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childId']);
  let household: Household | null = null;
  if (householdId) {
    household = (await findRows(tx.em, Household, `select * from household where id = $1 and organisation_id = $2 for update`, [householdId, tx.viewer.organisationId]))[0] ?? null;
    if (!household) refuse(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  }
  await checkPlacementRules(tx, input, child, household, hubReason);

  const placement = tx.em.create(Placement, {
    organisation: tx.em.getReference(Organisation, tx.viewer.organisationId),
    child,
    household,
    setting,
    providerName: providerName ?? null,
    kind: input.kind,
    startDate: input.startDate,
    hubOverrideReason: hubReason ?? null,
  });
  await tx.em.flush();
  // A child placed with a hub household counts, every night, toward its number and the fostering
  // limit alongside the sleepovers it hosts: judged with them under the hub's lock.
  if (household) {
    const today = todayLondon();
    await cascade(tx, { kind: 'householdCapacityChanged', householdId: household.id, from: input.startDate > today ? input.startDate : today, field: ['input', 'householdId'] });
  }
  return { payload: { placement }, subject: { type: 'Placement', id: placement.id }, summary: { setting, kind: input.kind } };
}

/** The request's own checks, every problem at once; a household is named for a FOSTER_HOUSEHOLD placement only. */
function checkStartInput(input: StartPlacementInput) {
  const p = new Problems();
  checkDate(p, input.startDate, ['input', 'startDate']);
  const setting = input.setting ?? PlacementSetting.FOSTER_HOUSEHOLD;
  const providerName = optionalText(p, input.providerName, ['input', 'providerName'], 200);
  const hubReason = optionalText(p, input.hubOverrideReason, ['input', 'hubOverrideReason'], 2000);
  const childId = idOf('Child', input.childId);
  if (!childId) p.add(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childId']);
  let householdId: string | null = null;
  if (setting === PlacementSetting.FOSTER_HOUSEHOLD) {
    if (input.householdId == null) p.add(UserErrorCode.INVALID_INPUT, 'A placement with a fostering household names the household.', ['input', 'householdId']);
    else if (!(householdId = idOf('Household', input.householdId))) p.add(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  } else if (input.householdId != null) {
    p.add(UserErrorCode.INVALID_INPUT, 'Only FOSTER_HOUSEHOLD placements name a household; give providerName instead.', ['input', 'householdId']);
  }
  p.throwIfAny();
  return { setting, providerName, hubReason, childId, householdId };
}

/**
 * Every rule the request breaks is listed, so the fostering team sees the whole picture at once;
 * the rules themselves are the SQL shared with the matching call list (src/placements/eligibility.ts).
 */
async function checkPlacementRules(tx: Tx, input: StartPlacementInput, child: Child, household: Household | null, hubReason: string | null | undefined): Promise<void> {
  const rules = new Problems();
  if (input.startDate < child.dateOfBirth) rules.add(UserErrorCode.INVALID_INPUT, 'A placement cannot start before the child was born.', ['input', 'startDate']);
  if (household) {
    const age = ageOn(child.dateOfBirth, input.startDate);
    const e = await eligibilityOf(tx.em, { householdId: household.id, childId: child.id, startDate: input.startDate, age, kind: input.kind });
    if (!e.approved) rules.add(UserErrorCode.NOT_APPROVED, `${household.name} is not approved on ${input.startDate}.`, ['input', 'householdId']);
    if (household.approvalMinAge != null) {
      if (input.startDate >= child.dateOfBirth && !e.ageCovered) {
        rules.add(UserErrorCode.OUTSIDE_APPROVAL, `${household.name} is approved for ages ${household.approvalMinAge}–${household.approvalMaxAge}; the child is ${age} on ${input.startDate}.`, [
          'input',
          'childId',
        ]);
      }
      if (!e.kindCovered) rules.add(UserErrorCode.OUTSIDE_APPROVAL, `${household.name} is not approved for ${input.kind} placements.`, ['input', 'kind']);
      if (e.peak >= household.approvalMaxChildren!) {
        rules.add(UserErrorCode.NO_VACANCY, `${household.name} has no place free on every day from ${input.startDate}.`, ['input', 'householdId']);
      }
    }
    if (e.hub && !hubReason) {
      rules.add(UserErrorCode.INVALID_STATE, `${household.name} is a hub home: its beds are kept for sleepovers. A manager may override with a reason.`, ['input', 'hubOverrideReason']);
    } else if (e.hub && !isManager(tx.viewer)) {
      rules.add(UserErrorCode.FORBIDDEN, 'Only a fostering manager can place a child with a hub home.', ['input', 'hubOverrideReason']);
    }
  }
  // The exclusion constraint is the final word (a racing request lands there); asking first lets
  // the overlap be listed with the other problems.
  const overlap = await sqlOne(tx.em, `select 1 from placement where child_id = $1 and period && daterange($2::date, null, '[)')`, [child.id, input.startDate]);
  if (overlap) rules.add(UserErrorCode.OVERLAP, OVERLAP_MESSAGE, ['input', 'startDate']);
  rules.throwIfAny();
}

export async function endPlacement(tx: Tx, input: EndPlacementInput): Promise<Outcome<{ placement: Placement }>> {
  requirePlacementManager(tx);
  const p = new Problems();
  checkDate(p, input.endDate, ['input', 'endDate']);
  const id = idOf('Placement', input.placementId);
  if (!id) p.add(UserErrorCode.NOT_FOUND, 'No such placement.', ['input', 'placementId']);
  p.throwIfAny();
  const placement = (await findRows(tx.em, Placement, `select * from placement where id = $1 and organisation_id = $2 for update`, [id, tx.viewer.organisationId]))[0];
  if (!placement) refuse(UserErrorCode.NOT_FOUND, 'No such placement.', ['input', 'placementId']);
  if (placement.endDate) refuse(UserErrorCode.INVALID_STATE, 'The placement has already ended.', ['input', 'placementId']);
  if (input.endDate <= placement.startDate) refuse(UserErrorCode.INVALID_INPUT, 'endDate must be after the placement started.', ['input', 'endDate']);
  placement.endDate = input.endDate;
  placement.endReason = input.reason;
  placement.unplanned = input.unplanned;
  await tx.em.flush();
  await cascade(tx, {
    kind: 'placementEnded',
    childId: placement.child.id,
    householdId: placement.household?.id ?? null,
    from: input.endDate,
    reason: 'The placement ended.',
  });
  return { payload: { placement }, subject: { type: 'Placement', id: placement.id }, summary: { reason: input.reason, unplanned: input.unplanned } };
}
