import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords';
import { Role } from '../auth/roles';
import { userVisible } from '../auth/scope';
import { isStaff, type Viewer } from '../auth/viewer';
import { Carer } from '../households/carer.entity';
import { Household } from '../households/household.entity';
import { MAX_CARERS } from '../households/household.service';
import { Organisation } from '../organisations/organisation.entity';
import type { Ctx } from '../platform/context';
import { afterCursor, Params } from '../platform/db/params';
import { sqlOne } from '../platform/db/sql';
import { findRows } from '../platform/db/rows';
import { BY_NAME_THEN_ID, readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { forbidden } from '../platform/graphql/errors';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Tx } from '../platform/mutation';
import { now } from '../platform/time';
import { EMAIL_RE, requireText } from '../platform/validation';
import { User, USER_COLUMNS } from './user.entity';
import { mayManageUsers } from './user.policy';
import type { CreateUserInput, UserFilter } from './user.types';

// The address check in createUser answers first; two requests racing with one address meet here.
registerConstraintError('app_user_email_unique', UserErrorCode.CONFLICT, 'That email address already has a login.', ['input', 'email']);

/** Staff only (a liaison worker sees staff and their constellations' carers); ordered by name, then id. */
export async function listUsers(ctx: Ctx, v: Viewer, args: PageArgs & { filter?: UserFilter | null }) {
  if (!isStaff(v)) throw forbidden('Only staff can list users.');
  const page = readPage(args, BY_NAME_THEN_ID);
  const roles = args.filter?.role?.length ? args.filter.role : null;
  const includeInactive = args.filter?.includeInactive ?? false;
  const p = new Params();
  const conds = [userVisible(v, 'u', p)];
  if (roles) conds.push(`u.role = any(${p.add(roles)}::text[])`);
  if (!includeInactive) conds.push('u.active');
  const where = conds.join(' and ');
  const countParams = [...p.values];
  const after = page.after as [string, string] | null;
  const rows = await findRows(
    ctx.em,
    User,
    `select ${USER_COLUMNS} from app_user u where ${where}
        ${afterCursor(p, '(u.name, u.id)', after, ['text', 'uuid'])}
      order by u.name, u.id limit ${p.add(page.limit + 1)}`,
    p.values,
  );
  return toConnection(
    rows,
    page,
    (u) => [u.name, u.id],
    (u) => u,
    async () => {
      const r = await sqlOne(ctx.em, `select count(*)::int as n from app_user u where ${where}`, countParams);
      return r.n;
    },
  );
}

export async function createUser(tx: Tx, input: CreateUserInput) {
  const { em, viewer } = tx;
  if (!mayManageUsers(viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only an administrator can create users.');
  const p = new Problems();
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email) || email.length > 254) p.add(UserErrorCode.INVALID_INPUT, 'Enter a valid email address.', ['input', 'email']);
  const name = requireText(p, input.name, ['input', 'name'], { max: 200 });
  const pw = passwordProblem(input.password);
  if (pw) p.add(UserErrorCode.INVALID_INPUT, pw, ['input', 'password']);
  let householdId: string | null = null;
  if (input.role === Role.CARER) {
    householdId = idOf('Household', input.householdId);
    if (input.householdId == null) p.add(UserErrorCode.INVALID_INPUT, 'A carer login needs a household.', ['input', 'householdId']);
    else if (!householdId) p.add(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  } else if (input.householdId != null) {
    p.add(UserErrorCode.INVALID_INPUT, 'Only carer logins belong to a household.', ['input', 'householdId']);
  }
  p.throwIfAny();
  if (householdId) {
    const h = await sqlOne(em, `select id from household where id = $1 and organisation_id = $2 for update`, [householdId, viewer.organisationId]);
    if (!h) refuse(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  }
  const taken = await sqlOne(em, `select 1 from app_user where email = $1`, [email]);
  // Another organisation's login reads the same as ours: the address is simply in use.
  if (taken) refuse(UserErrorCode.CONFLICT, 'That email address already has a login.', ['input', 'email']);
  const user = em.create(User, {
    organisation: em.getReference(Organisation, viewer.organisationId),
    email,
    name: name!,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    active: true,
  });
  if (householdId) {
    const [existing] = await findRows(em, Carer, `select * from carer where household_id = $1 and user_id is null and lower(name) = lower($2) order by created_at limit 1`, [householdId, name]);
    // The unit of work inserts the user before it links the carer to it.
    if (existing) existing.user = user;
    else {
      const count = await sqlOne(em, `select count(*)::int n from carer where household_id = $1`, [householdId]);
      if (count.n >= MAX_CARERS) refuse(UserErrorCode.INVALID_STATE, `A household has at most ${MAX_CARERS} carers; this login would be another.`, ['input', 'householdId']);
      em.create(Carer, {
        organisation: em.getReference(Organisation, viewer.organisationId),
        household: em.getReference(Household, householdId),
        name: name!,
        user,
      });
    }
  }
  await em.flush();
  return { payload: { user }, subject: { type: 'User', id: user.id }, summary: { role: input.role } };
}

export async function deactivateUser(tx: Tx, userGlobalId: string) {
  const { em, viewer } = tx;
  if (!mayManageUsers(viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only an administrator can deactivate users.');
  const id = idOf('User', userGlobalId);
  const [user] = id ? await findRows(em, User, `select ${USER_COLUMNS} from app_user u where id = $1 and organisation_id = $2 for update`, [id, viewer.organisationId]) : [];
  if (!user) refuse(UserErrorCode.NOT_FOUND, 'No such user.', ['input', 'userId']);
  if (user.id === viewer.userId) refuse(UserErrorCode.INVALID_STATE, 'You cannot deactivate your own login.', ['input', 'userId']);
  user.active = false;
  user.deactivatedAt = user.deactivatedAt ?? now();
  await runDeactivationCascades(tx, user.id);
  // Open sockets close only once the deactivation is committed.
  tx.afterCommit(() => {
    for (const close of tx.ctx.app.onUserDeactivated) close(user.id);
  });
  return { payload: { user }, subject: { type: 'User', id: user.id } };
}

/** What else stops when a user is deactivated (calendar feeds, push subscriptions …); capabilities register here. */
type DeactivationCascade = (tx: Tx, userId: string) => Promise<void>;
const deactivationCascades: DeactivationCascade[] = [];
export function onUserDeactivated(fn: DeactivationCascade): void {
  deactivationCascades.push(fn);
}
async function runDeactivationCascades(tx: Tx, userId: string) {
  for (const fn of deactivationCascades) await fn(tx, userId);
}

export async function changePassword(tx: Tx, currentPassword: string, newPassword: string) {
  const { em, viewer } = tx;
  const [user] = await findRows(em, User, `select ${USER_COLUMNS}, u.password_hash from app_user u where id = $1 for update`, [viewer.userId]);
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
    refuse(UserErrorCode.INVALID_CREDENTIALS, 'The current password is not right.', ['input', 'currentPassword']);
  }
  const problem = passwordProblem(newPassword);
  if (problem) refuse(UserErrorCode.INVALID_INPUT, problem, ['input', 'newPassword']);
  // A trigger moves the token generation with it: every earlier token stops working.
  user.passwordHash = await hashPassword(newPassword);
  return { payload: { user }, subject: { type: 'User', id: viewer.userId } };
}
