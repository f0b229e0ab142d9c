import { childVisible } from '../auth/scope';
import { isStaff, type Viewer } from '../auth/viewer';
import { Organisation } from '../organisations/organisation.entity';
import type { Ctx } from '../platform/context';
import { afterCursor, containsPattern, Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { BY_NAME_THEN_ID, readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { ageOn, todayLondon } from '../platform/time';
import { checkDate, optionalText, requireText } from '../platform/validation';
import { Child } from './child.entity';
import { mayManageChildren } from './child.policy';
import type { ChildFilter, RegisterChildInput, UpdateChildInput } from './child.types';
import { consentFilterConditions } from '../sleepovers/consent.scope';
import { tonightLondon } from '../sleepovers/tonight';

registerConstraintError('child_organisation_id_reference_unique', UserErrorCode.CONFLICT, 'Another child already has that case reference.', ['input', 'reference']);

const MAX_SIBLINGS = 15;

/** Ordered by first name, then id. Carers search by first name only (case references are staff-only). */
export async function listChildren(ctx: Ctx, v: Viewer, args: PageArgs & { filter?: ChildFilter | null }) {
  const page = readPage(args, BY_NAME_THEN_ID);
  const f = args.filter ?? {};
  const p = new Params();
  const conds = [childVisible(v, 'c', p)];
  const today = todayLondon();
  if (f.search?.trim()) {
    const like = p.add(containsPattern(f.search));
    conds.push(isStaff(v) ? `(c.first_name ilike ${like} or c.reference ilike ${like})` : `c.first_name ilike ${like}`);
  }
  if (f.constellationId != null) {
    const cid = idOf('Constellation', f.constellationId);
    const d = p.add(today);
    conds.push(`exists (select 1 from placement pl join constellation_membership m on m.household_id = pl.household_id
      where pl.child_id = c.id and pl.period @> ${d}::date and m.constellation_id = ${p.add(cid)}::uuid and m.role = 'SATELLITE' and m.period @> ${d}::date)`);
  }
  if (f.placed != null) {
    const placed = `exists (select 1 from placement pl where pl.child_id = c.id and pl.period @> ${p.add(today)}::date)`;
    conds.push(f.placed ? placed : `not ${placed}`);
  }
  conds.push(...consentFilterConditions('c', p, tonightLondon(), f));
  const where = conds.join(' and ');
  const countParams = [...p.values];
  const after = page.after as [string, string] | null;
  const rows = await findRows(
    ctx.em,
    Child,
    `select c.* from child c where ${where}
       ${afterCursor(p, '(c.first_name, c.id)', after, ['text', 'uuid'])}
     order by c.first_name, c.id limit ${p.add(page.limit + 1)}`,
    p.values,
  );
  return toConnection(
    rows,
    page,
    (c) => [c.firstName, c.id],
    (c) => c,
    async () => (await sqlOne(ctx.em, `select count(*)::int n from child c where ${where}`, countParams)).n,
  );
}

function requireChildManager(v: Viewer) {
  if (!mayManageChildren(v)) refuse(UserErrorCode.FORBIDDEN, 'Only the fostering team can register or change children.');
}

function checkDateOfBirth(p: Problems, dob: string | null | undefined) {
  if (dob == null) return;
  if (!checkDate(p, dob, ['input', 'dateOfBirth'])) return;
  const today = todayLondon();
  if (dob > today) p.add(UserErrorCode.INVALID_INPUT, 'dateOfBirth cannot be in the future.', ['input', 'dateOfBirth']);
  else if (ageOn(dob, today) > 25) p.add(UserErrorCode.INVALID_INPUT, 'A child looked after is at most 25 (care leavers).', ['input', 'dateOfBirth']);
}

async function resolveSiblings(tx: Tx, p: Problems, globalIds: string[] | null | undefined, selfId: string | null): Promise<string[] | null> {
  if (globalIds == null) return null;
  if (globalIds.length > MAX_SIBLINGS) {
    p.add(UserErrorCode.INVALID_INPUT, `At most ${MAX_SIBLINGS} siblings.`, ['input', 'siblingIds']);
    return null;
  }
  const ids = globalIds.map((g) => idOf('Child', g));
  if (ids.some((id) => !id)) {
    p.add(UserErrorCode.NOT_FOUND, 'No such child among the siblings.', ['input', 'siblingIds']);
    return null;
  }
  const unique = [...new Set(ids as string[])];
  if (selfId && unique.includes(selfId)) p.add(UserErrorCode.INVALID_INPUT, 'A child is not their own sibling.', ['input', 'siblingIds']);
  const found = await sql(tx.em, `select id from child where id = any($1::uuid[]) and organisation_id = $2`, [unique, tx.viewer.organisationId]);
  if (found.length !== unique.length) p.add(UserErrorCode.NOT_FOUND, 'No such child among the siblings.', ['input', 'siblingIds']);
  return unique;
}

async function replaceSiblings(tx: Tx, childId: string, siblingIds: string[]) {
  await sql(tx.em, `delete from child_sibling where child_id = $1 or sibling_id = $1`, [childId]);
  if (!siblingIds.length) return;
  await sql(
    tx.em,
    `insert into child_sibling (child_id, sibling_id, organisation_id)
     select a, b, $3 from unnest($2::uuid[]) s, lateral (values ($1::uuid, s), (s, $1::uuid)) v(a, b)
     on conflict do nothing`,
    [childId, siblingIds, tx.viewer.organisationId],
  );
}

export async function registerChild(tx: Tx, input: RegisterChildInput): Promise<Outcome<{ child: Child }>> {
  requireChildManager(tx.viewer);
  const p = new Problems();
  const reference = requireText(p, input.reference, ['input', 'reference'], { max: 50 });
  const firstName = requireText(p, input.firstName, ['input', 'firstName'], { max: 100 });
  checkDateOfBirth(p, input.dateOfBirth);
  const notes = optionalText(p, input.sleepoverNotes, ['input', 'sleepoverNotes'], 5000);
  const siblings = await resolveSiblings(tx, p, input.siblingIds, null);
  p.throwIfAny();
  const child = tx.em.create(Child, {
    organisation: tx.em.getReference(Organisation, tx.viewer.organisationId),
    reference: reference!,
    firstName: firstName!,
    dateOfBirth: input.dateOfBirth,
    sleepoverNotes: notes ?? null,
  });
  await tx.em.flush();
  if (siblings?.length) await replaceSiblings(tx, child.id, siblings);
  return { payload: { child }, subject: { type: 'Child', id: child.id } };
}

export async function updateChild(tx: Tx, input: UpdateChildInput): Promise<Outcome<{ child: Child }>> {
  requireChildManager(tx.viewer);
  const id = idOf('Child', input.childId);
  const p0 = new Params();
  const rows = id ? await findRows(tx.em, Child, `select c.* from child c where c.id = ${p0.add(id)} and ${childVisible(tx.viewer, 'c', p0)} for update`, p0.values) : [];
  const child = rows[0];
  if (!child) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childId']);
  const p = new Problems();
  const reference = input.reference != null ? requireText(p, input.reference, ['input', 'reference'], { max: 50 }) : null;
  const firstName = input.firstName != null ? requireText(p, input.firstName, ['input', 'firstName'], { max: 100 }) : null;
  checkDateOfBirth(p, input.dateOfBirth);
  if (input.dateOfBirth && !p.any) {
    // startPlacement refuses a placement before birth; a corrected birth date must not create one.
    const first = await sqlOne(tx.em, `select min(start_date) as d from placement where child_id = $1`, [child.id]);
    if (first?.d && input.dateOfBirth > first.d) {
      p.add(UserErrorCode.INVALID_INPUT, `The child's first placement began on ${first.d}, before that date of birth.`, ['input', 'dateOfBirth']);
    }
  }
  const notes = optionalText(p, input.sleepoverNotes, ['input', 'sleepoverNotes'], 5000);
  const siblings = await resolveSiblings(tx, p, input.siblingIds, child.id);
  p.throwIfAny();
  const changed: string[] = [];
  if (reference) {
    child.reference = reference;
    changed.push('reference');
  }
  if (firstName) {
    child.firstName = firstName;
    changed.push('firstName');
  }
  if (input.dateOfBirth) {
    child.dateOfBirth = input.dateOfBirth;
    changed.push('dateOfBirth');
  }
  if (notes !== undefined) {
    child.sleepoverNotes = notes;
    changed.push('sleepoverNotes');
  }
  await tx.em.flush();
  if (siblings) {
    await replaceSiblings(tx, child.id, siblings);
    changed.push('siblings');
  }
  return { payload: { child }, subject: { type: 'Child', id: child.id }, summary: { changed } };
}
