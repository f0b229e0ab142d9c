import { childVisible, householdVisible } from '../auth/scope';
import { Child } from '../children/child.entity';
import { Household } from '../households/household.entity';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { optionalText } from '../platform/validation';
import { mayWriteNeedsAndSkills } from './matching.policy';
import { NeedArea } from './needs.entity';
import type { SetChildNeedsInput, SetHouseholdSkillsInput } from './needs.types';

/** Enough for any care plan; a longer list is a mistake (a paste, a loop), not a child. */
export const MAX_NEEDS = 20;
export const MAX_SKILLS = 30;
export const MAX_DETAIL = 200;
/** Bedrooms available to fostered children; the database holds the same bound (household_bedrooms_rule). */
export const MAX_BEDROOMS = 20;

const AREAS = new Set<string>(Object.values(NeedArea));

function requireStaff(tx: Tx) {
  if (!mayWriteNeedsAndSkills(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only staff can record needs and skills.');
}

/** Area and detail of each entry; an entry repeated exactly (same area and detail) is refused. */
function checkEntries(p: Problems, list: { area: NeedArea; detail?: string | null }[], max: number, field: string[], noun: string): (string | null)[] {
  if (list.length > max) p.add(UserErrorCode.INVALID_INPUT, `At most ${max} ${noun}.`, field);
  const seen = new Set<string>();
  return list.map((e, i) => {
    if (!AREAS.has(e.area)) p.add(UserErrorCode.INVALID_INPUT, 'Unknown area.', [...field, String(i), 'area']);
    const detail = optionalText(p, e.detail, [...field, String(i), 'detail'], MAX_DETAIL) ?? null;
    const key = `${e.area}\u0000${(detail ?? '').toLowerCase()}`;
    if (seen.has(key)) p.add(UserErrorCode.INVALID_INPUT, `The same ${noun.replace(/s$/, '')} is listed twice.`, [...field, String(i)]);
    seen.add(key);
    return detail;
  });
}

/** Replaces the child's needs with the list given (an empty list clears them). */
export async function setChildNeeds(tx: Tx, input: SetChildNeedsInput): Promise<Outcome<{ child: Child }>> {
  requireStaff(tx);
  const id = idOf('Child', input.childId);
  const p0 = new Params();
  const rows = id ? await findRows(tx.em, Child, `select c.* from child c where c.id = ${p0.add(id)}::uuid and ${childVisible(tx.viewer, 'c', p0)} for update`, p0.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childId']);
  const child = rows[0];
  const p = new Problems();
  const details = checkEntries(p, input.needs, MAX_NEEDS, ['input', 'needs'], 'needs');
  p.throwIfAny();
  await sql(tx.em, `delete from child_need where child_id = $1::uuid`, [child.id]);
  if (input.needs.length) {
    await sql(
      tx.em,
      `insert into child_need (child_id, position, organisation_id, area, detail, essential)
       select $1::uuid, n.position::smallint, $2::uuid, n.area, n.detail, n.essential
         from unnest($3::text[], $4::text[], $5::boolean[]) with ordinality as n(area, detail, essential, position)`,
      [child.id, tx.viewer.organisationId, input.needs.map((n) => n.area), details, input.needs.map((n) => n.essential ?? false)],
    );
  }
  // Counts only: the needs themselves are special category data and stay out of the audit trail.
  const essential = input.needs.filter((n) => n.essential).length;
  return { payload: { child }, subject: { type: 'Child', id: child.id }, summary: { needs: input.needs.length, essential } };
}

/** Replaces the household's skills; bedrooms change only when given. */
export async function setHouseholdSkills(tx: Tx, input: SetHouseholdSkillsInput): Promise<Outcome<{ household: Household }>> {
  requireStaff(tx);
  const id = idOf('Household', input.householdId);
  const p0 = new Params();
  const rows = id ? await findRows(tx.em, Household, `select h.* from household h where h.id = ${p0.add(id)}::uuid and ${householdVisible(tx.viewer, 'h', p0)} for update`, p0.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  const household = rows[0];
  const p = new Problems();
  const details = checkEntries(p, input.skills, MAX_SKILLS, ['input', 'skills'], 'skills');
  if (input.bedrooms != null && (!Number.isInteger(input.bedrooms) || input.bedrooms < 0 || input.bedrooms > MAX_BEDROOMS)) {
    p.add(UserErrorCode.INVALID_INPUT, `bedrooms must be between 0 and ${MAX_BEDROOMS}.`, ['input', 'bedrooms']);
  }
  p.throwIfAny();
  await sql(tx.em, `delete from household_skill where household_id = $1::uuid`, [household.id]);
  if (input.skills.length) {
    await sql(
      tx.em,
      `insert into household_skill (household_id, position, organisation_id, area, detail)
       select $1::uuid, s.position::smallint, $2::uuid, s.area, s.detail
         from unnest($3::text[], $4::text[]) with ordinality as s(area, detail, position)`,
      [household.id, tx.viewer.organisationId, input.skills.map((s) => s.area), details],
    );
  }
  const changed = ['skills'];
  if (input.bedrooms != null) {
    household.bedrooms = input.bedrooms;
    changed.push('bedrooms');
  }
  return { payload: { household }, subject: { type: 'Household', id: household.id }, summary: { changed, skills: input.skills.length } };
}
