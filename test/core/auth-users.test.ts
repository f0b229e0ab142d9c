import { SignJWT } from 'jose';
import { ChangePasswordDocument, CreateUserDocument, DeactivateUserDocument, LoginDocument, MeDocument, UserNodeDocument, UsersDocument } from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/app';
import { RANDOM_UUID } from '../support/errors';
import { FIXTURE_PASSWORD, gid } from '../support/fixtures';
import { auditOf, auditOfRequest, expectNothingWritten } from '../support/state';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const JWT_SECRET = 'test-secret-0123456789'; // the secret startTestApp configures
const emailOf = async (userId: string) => (await t.fx.sql(`select email from app_user where id = $1`, [userId]))[0].email as string;
const login = (email: string, password: string) => t.op(LoginDocument, { input: { email, password } });

describe('login', () => {
  test('checks the argon2 hash and returns a signed JWT that authenticates later requests', async () => {
    const [{ password_hash }] = await t.fx.sql(`select password_hash from app_user where id = $1`, [w.carerA.userId]);
    expect(password_hash).toMatch(/^\$argon2id\$/);

    const r = await login(await emailOf(w.carerA.userId!), FIXTURE_PASSWORD);
    expect(r.errors).toBeUndefined();
    expect(r.data.login.userErrors).toEqual([]);
    expect(r.data.login.user).toMatchObject({ id: gid('User', w.carerA.userId!), name: 'Ann Alder', role: 'CARER' });
    const token = r.data.login.token!;
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });

    const me = await t.op(MeDocument, {}, { token });
    expect(me.data.me).toMatchObject({ id: gid('User', w.carerA.userId!), household: { name: 'Alder House' }, hubOf: null });
  });

  test('the login payload resolves as the user who just logged in (organisation, household, hub)', async () => {
    const r = await t.gql(`mutation($i: LoginInput!) { login(input: $i) { token user { id email organisation { name } household { name } hubOf { name } } userErrors { code } } }`, {
      i: { email: await emailOf(w.hubCarer.userId!), password: FIXTURE_PASSWORD },
    });
    expect(r.errors).toBeUndefined();
    expect(r.data.login.user).toEqual({
      id: gid('User', w.hubCarer.userId!),
      email: await emailOf(w.hubCarer.userId!),
      organisation: { name: 'Test Council' },
      household: { name: 'Hub Home' },
      hubOf: { name: 'Riverside' },
    });
  });

  test('email is matched case-insensitively and trimmed', async () => {
    const r = await login(`  ${(await emailOf(w.manager.id)).toUpperCase()} `, FIXTURE_PASSWORD);
    expect(r.data.login.userErrors).toEqual([]);
    expect(r.data.login.token).toEqual(expect.any(String));
  });

  test('a wrong password, an unknown email and an inactive user get the same INVALID_CREDENTIALS answer', async () => {
    const inactive = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER', { active: false });
    const wrongPassword = await expectNothingWritten(t, () => login(w.admin.email, 'not-the-password'));
    const unknownEmail = await expectNothingWritten(t, () => login('nobody-here@example.test', FIXTURE_PASSWORD));
    const inactiveUser = await expectNothingWritten(t, () => login(inactive.email, FIXTURE_PASSWORD));
    const empty = await login('', '');
    expect(wrongPassword.data.login).toEqual({
      token: null,
      user: null,
      userErrors: [{ code: 'INVALID_CREDENTIALS', field: [], message: expect.any(String) }],
    });
    for (const other of [unknownEmail, inactiveUser, empty]) {
      expect(other.status).toBe(wrongPassword.status);
      expect(other.data).toEqual(wrongPassword.data);
    }
  });

  test('requests carry Authorization: Bearer; anything else is refused, never treated as anonymous', async () => {
    const anonymous = await t.op(MeDocument, {}, {});
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data.me).toBeNull();

    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Token ${w.admin.token}`, `Bearer ${w.admin.token}x`]) {
      const r = await t.gql(`{ me { id } }`, {}, { headers: { authorization } });
      expect(r.status).toBe(401);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(r.data ?? null).toBeNull();
    }
    const ok = await t.gql(`{ me { id } }`, {}, { headers: { authorization: `bearer ${w.admin.token}` } });
    expect(ok.data.me.id).toBe(gid('User', w.admin.id));
  });

  test('tokens are checked: a forged signature, another secret, an expired token and a foreign issuer are all refused', async () => {
    const forge = (secret: string, opts: { exp?: number; iss?: string; sub?: string } = {}) =>
      new SignJWT({ org: w.org })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(opts.sub ?? w.admin.id)
        .setIssuer(opts.iss ?? 'hubnet')
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
        .sign(new TextEncoder().encode(secret));
    // The real secret signs an acceptable token, so the refusals below are about the one thing changed.
    const good = await t.gql(`{ me { id } }`, {}, { token: await forge(JWT_SECRET) });
    expect(good.data.me.id).toBe(gid('User', w.admin.id));

    const [h, , s] = w.carerA.token!.split('.');
    const swappedPayload = Buffer.from(JSON.stringify({ sub: w.admin.id, iss: 'hubnet', exp: 9999999999 })).toString('base64url');
    const tokens = [
      `${h}.${swappedPayload}.${s}`,
      await forge('another-secret-0123456789'),
      await forge(JWT_SECRET, { exp: Math.floor(Date.now() / 1000) - 10 }),
      await forge(JWT_SECRET, { iss: 'someone-else' }),
      await forge(JWT_SECRET, { sub: RANDOM_UUID }),
    ];
    for (const token of tokens) {
      const r = await t.gql(`{ me { id } }`, {}, { token });
      expect(r.status).toBe(401);
      expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  test('queries other than me need a login (deny by default)', async () => {
    for (const q of [
      `{ households { totalCount } }`,
      `{ children { totalCount } }`,
      `{ constellations { totalCount } }`,
      `{ users { totalCount } }`,
      `{ node(id: "${gid('Household', w.satA)}") { id } }`,
    ]) {
      const r = await t.gql(q);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(Object.values(r.data ?? {}).filter((v) => v !== null)).toEqual([]);
    }
    const m = await expectNothingWritten(t, () => t.op(CreateUserDocument, { input: { email: 'anon@example.test', name: 'Anon', role: 'ADMIN', password: 'long-enough-password' } }, {}));
    expect(m.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('changePassword', () => {
  test('needs the current password and a good new one; nothing is written otherwise', async () => {
    const u = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
    const wrong = await expectNothingWritten(t, () => t.op(ChangePasswordDocument, { input: { currentPassword: 'wrong-password', newPassword: 'a-new-long-password' } }, { token: u.token }));
    expect(wrong.data.changePassword).toEqual({ user: null, userErrors: [{ code: 'INVALID_CREDENTIALS', field: ['input', 'currentPassword'], message: expect.any(String) }] });
    const short = await expectNothingWritten(t, () => t.op(ChangePasswordDocument, { input: { currentPassword: FIXTURE_PASSWORD, newPassword: 'short' } }, { token: u.token }));
    expect(short.data.changePassword.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'newPassword'], message: expect.stringMatching(/at least 10/) }]);
  });

  test('changes the hash, audits without the passwords, and only the new password logs in', async () => {
    const u = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
    const r = await t.op(ChangePasswordDocument, { input: { currentPassword: FIXTURE_PASSWORD, newPassword: 'brand-new-password-1' } }, { token: u.token });
    expect(r.data.changePassword).toEqual({ user: { id: gid('User', u.id) }, userErrors: [] });
    expect((await login(u.email, FIXTURE_PASSWORD)).data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    expect((await login(u.email, 'brand-new-password-1')).data.login.token).toEqual(expect.any(String));
    const [audit] = (await auditOf(t, 'User.changePassword')).filter((a) => a.actor_id === u.id);
    expect(audit.subject_id).toBe(gid('User', u.id));
    expect(JSON.stringify(audit.summary)).not.toContain('brand-new-password-1');
    expect(JSON.stringify(audit.summary)).not.toContain(FIXTURE_PASSWORD);
  });
});

describe('createUser', () => {
  const input = (o: Record<string, unknown> = {}) => ({
    email: `new-${Math.random().toString(36).slice(2)}@example.test`,
    name: 'New Person',
    role: 'SUPERVISING_SOCIAL_WORKER' as const,
    password: 'a-long-password',
    ...o,
  });

  test('an administrator creates a staff login; the email is stored lower-case; the audit event is in the same transaction', async () => {
    const email = `Mixed.Case-${Date.now()}@Example.TEST`;
    const r = await t.op(CreateUserDocument, { input: input({ email, name: '  Sam Staff ' }) }, { token: w.admin.token, headers: { 'x-request-id': 'create-user-1' } });
    expect(r.data.createUser.userErrors).toEqual([]);
    expect(r.data.createUser.user).toMatchObject({
      name: 'Sam Staff',
      email: email.toLowerCase(),
      role: 'SUPERVISING_SOCIAL_WORKER',
      active: true,
      household: null,
      organisation: { name: 'Test Council' },
    });
    const [audit] = await auditOfRequest(t, 'create-user-1');
    expect(audit).toMatchObject({ action: 'User.create', actor_id: w.admin.id, subject_id: r.data.createUser.user!.id });
    expect(JSON.stringify(audit.summary)).not.toContain('a-long-password');
    // now() is the transaction's start time: equal timestamps put the row and its audit in one transaction.
    const [same] = await t.fx.sql(`select u.created_at = a.at as same from app_user u, audit_event a where u.email = $1 and a.id = $2`, [email.toLowerCase(), audit.id]);
    expect(same).toEqual({ same: true });
    expect((await login(email, 'a-long-password')).data.login.token).toEqual(expect.any(String));
  });

  test('only an administrator may create users', async () => {
    for (const token of [w.manager.token, w.ssw.token, w.liaison.token, w.hubCarer.token!]) {
      const r = await expectNothingWritten(t, () => t.op(CreateUserDocument, { input: input() }, { token }));
      expect(r.data.createUser).toEqual({ user: null, userErrors: [{ code: 'FORBIDDEN', field: [], message: expect.any(String) }] });
    }
  });

  test('a CARER login attaches to the carer of the same name that has no login yet', async () => {
    const h = await t.fx.household(w.org, { name: 'Elm House' });
    const pat = await t.fx.carer(w.org, h, { name: 'Pat Elm', login: false });
    await t.fx.carer(w.org, h, { name: 'Lee Elm', login: false });
    const r = await t.op(CreateUserDocument, { input: input({ name: 'pat elm', role: 'CARER', householdId: gid('Household', h) }) }, { token: w.admin.token });
    expect(r.data.createUser.userErrors).toEqual([]);
    expect(r.data.createUser.user!.household).toEqual({ id: gid('Household', h), name: 'Elm House' });
    const carers = await t.fx.sql(`select id, name, user_id from carer where household_id = $1 order by name`, [h]);
    expect(carers).toHaveLength(2);
    const [newUser] = await t.fx.sql(`select id from app_user where email = $1`, [r.data.createUser.user!.email]);
    expect(r.data.createUser.user!.id).toBe(gid('User', newUser.id));
    expect(carers.find((c: any) => c.id === pat.carerId).user_id).toBe(newUser.id);
    expect(carers.find((c: any) => c.name === 'Lee Elm').user_id).toBeNull();
  });

  test('a CARER login with no matching carer becomes a new carer of the household', async () => {
    const h = await t.fx.household(w.org, { name: 'Fir House' });
    await t.fx.carer(w.org, h, { name: 'Jo Fir' }); // has a login already: not reused even with the same name
    const r = await t.op(CreateUserDocument, { input: input({ name: 'Jo Fir', role: 'CARER', householdId: gid('Household', h) }) }, { token: w.admin.token });
    expect(r.data.createUser.userErrors).toEqual([]);
    const carers = await t.fx.sql(`select name, user_id from carer where household_id = $1`, [h]);
    expect(carers).toHaveLength(2);
    expect(carers.every((c: any) => c.user_id)).toBe(true);
  });

  test('a CARER login that would be an eleventh carer is refused; one that takes up an existing carer is not', async () => {
    const h = await t.fx.household(w.org);
    for (let i = 0; i < 9; i++) await t.fx.carer(w.org, h, { name: `Full ${i}` });
    await t.fx.carer(w.org, h, { name: 'Waiting Carer', login: false });
    const eleventh = await expectNothingWritten(t, () =>
      t.op(CreateUserDocument, { input: input({ name: 'Someone New', role: 'CARER', householdId: gid('Household', h) }) }, { token: w.admin.token }),
    );
    expect(eleventh.data.createUser.userErrors).toEqual([{ code: 'INVALID_STATE', field: ['input', 'householdId'], message: expect.stringMatching(/at most 10/) }]);
    const existing = await t.op(CreateUserDocument, { input: input({ name: 'Waiting Carer', role: 'CARER', householdId: gid('Household', h) }) }, { token: w.admin.token });
    expect(existing.data.createUser.userErrors).toEqual([]);
  });

  test('household rules: CARER needs one, others must not have one, and it must be ours', async () => {
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ role: 'CARER' }, 'INVALID_INPUT', ['input', 'householdId']],
      [{ role: 'FOSTERING_MANAGER', householdId: gid('Household', w.satA) }, 'INVALID_INPUT', ['input', 'householdId']],
      [{ role: 'CARER', householdId: gid('Household', w.foreignHousehold) }, 'NOT_FOUND', ['input', 'householdId']],
      [{ role: 'CARER', householdId: gid('Household', RANDOM_UUID) }, 'NOT_FOUND', ['input', 'householdId']],
      [{ role: 'CARER', householdId: gid('Child', w.childA) }, 'NOT_FOUND', ['input', 'householdId']],
      [{ role: 'CARER', householdId: gid('Constellation', w.satA) }, 'NOT_FOUND', ['input', 'householdId']],
      [{ role: 'CARER', householdId: 'not-an-id' }, 'NOT_FOUND', ['input', 'householdId']],
    ];
    for (const [o, code, field] of cases) {
      const r = await expectNothingWritten(t, () => t.op(CreateUserDocument, { input: input(o) }, { token: w.admin.token }));
      expect(r.data.createUser.userErrors).toEqual([{ code, field, message: expect.any(String) }]);
    }
  });

  test('an email already in use (any case, any organisation) is a CONFLICT, worded the same', async () => {
    const ours = await expectNothingWritten(t, () => t.op(CreateUserDocument, { input: input({ email: w.manager.email.toUpperCase() }) }, { token: w.admin.token }));
    const theirs = await expectNothingWritten(t, () => t.op(CreateUserDocument, { input: input({ email: w.foreignAdmin.email }) }, { token: w.admin.token }));
    expect(ours.data.createUser.userErrors).toEqual([{ code: 'CONFLICT', field: ['input', 'email'], message: expect.any(String) }]);
    expect(theirs.data).toEqual(ours.data);
  });

  test('two logins racing for one address: one is created, the other is a CONFLICT', async () => {
    const email = `race-${Date.now()}@example.test`;
    const results = await Promise.all([1, 2, 3].map(() => t.op(CreateUserDocument, { input: input({ email }) }, { token: w.admin.token })));
    const outcomes = results.map((r) => r.errors?.[0]?.extensions?.code ?? (r.data.createUser.userErrors.map((e) => e.code).join() || 'created')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'CONFLICT', 'created']);
    expect(await t.fx.sql(`select id from app_user where email = $1`, [email])).toHaveLength(1);
  });

  test('bad email, name and password are each reported, and nothing is written', async () => {
    const r = await expectNothingWritten(t, () => t.op(CreateUserDocument, { input: input({ email: 'not an email', name: '   ', password: 'short' }) }, { token: w.admin.token }));
    expect(r.data.createUser.userErrors.map((e) => [e.code, e.field.join('.')])).toEqual([
      ['INVALID_INPUT', 'input.email'],
      ['INVALID_INPUT', 'input.name'],
      ['INVALID_INPUT', 'input.password'],
    ]);
  });
});

describe('deactivateUser', () => {
  test("the user's next request with their old token is UNAUTHENTICATED, and they cannot log in", async () => {
    const h = await t.fx.household(w.org);
    const c = await t.fx.carer(w.org, h, { name: 'Gone Soon' });
    const email = await emailOf(c.userId!);
    expect((await t.op(MeDocument, {}, { token: c.token })).data.me?.name).toBe('Gone Soon');

    const r = await t.op(DeactivateUserDocument, { input: { userId: gid('User', c.userId!) } }, { token: w.admin.token, headers: { 'x-request-id': 'deactivate-1' } });
    expect(r.data.deactivateUser).toEqual({ user: { id: gid('User', c.userId!), active: false }, userErrors: [] });
    expect(await auditOfRequest(t, 'deactivate-1')).toEqual([expect.objectContaining({ action: 'User.deactivate', subject_id: gid('User', c.userId!) })]);

    const after = await t.op(MeDocument, {}, { token: c.token });
    expect(after.status).toBe(401);
    expect(after.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const m = await t.gql(`mutation { changePassword(input: { currentPassword: "${FIXTURE_PASSWORD}", newPassword: "whatever-else-1" }) { userErrors { code } } }`, {}, { token: c.token });
    expect(m.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const relogin = await login(email, FIXTURE_PASSWORD);
    expect(relogin.data.login).toEqual({ token: null, user: null, userErrors: [expect.objectContaining({ code: 'INVALID_CREDENTIALS' })] });

    const list = await t.op(UsersDocument, { filter: { role: ['CARER'] }, first: 100 }, { token: w.admin.token });
    expect(list.data.users.edges.map((e) => e.node.id)).not.toContain(gid('User', c.userId!));
    const all = await t.op(UsersDocument, { filter: { role: ['CARER'], includeInactive: true }, first: 100 }, { token: w.admin.token });
    expect(all.data.users.edges.find((e) => e.node.id === gid('User', c.userId!))?.node.active).toBe(false);
  });

  test('refusals: not an administrator, oneself, unknown, foreign or wrong-type ids', async () => {
    const victim = gid('User', w.ssw.id);
    const cases: [string, string, string, string[]][] = [
      [w.manager.token, victim, 'FORBIDDEN', []],
      [w.hubCarer.token!, victim, 'FORBIDDEN', []],
      [w.admin.token, gid('User', w.admin.id), 'INVALID_STATE', ['input', 'userId']],
      [w.admin.token, gid('User', w.foreignAdmin.id), 'NOT_FOUND', ['input', 'userId']],
      [w.admin.token, gid('User', RANDOM_UUID), 'NOT_FOUND', ['input', 'userId']],
      [w.admin.token, gid('Household', w.ssw.id), 'NOT_FOUND', ['input', 'userId']],
      [w.admin.token, 'garbage', 'NOT_FOUND', ['input', 'userId']],
    ];
    for (const [token, userId, code, field] of cases) {
      const r = await expectNothingWritten(t, () => t.op(DeactivateUserDocument, { input: { userId } }, { token }));
      expect(r.data.deactivateUser).toEqual({ user: null, userErrors: [{ code, field, message: expect.any(String) }] });
    }
    // The foreign admin still works: nothing crossed the boundary.
    expect((await t.op(MeDocument, {}, { token: w.foreignAdmin.token })).data.me?.id).toBe(gid('User', w.foreignAdmin.id));
  });
});

describe('users and User fields', () => {
  test('users is staff only and scoped to the organisation, ordered by name', async () => {
    const r = await t.op(UsersDocument, { first: 100 }, { token: w.ssw.token });
    const ids = r.data.users.edges.map((e) => e.node.id);
    expect(ids).toContain(gid('User', w.carerA.userId!));
    expect(ids).not.toContain(gid('User', w.foreignAdmin.id));
    const names = r.data.users.edges.map((e) => e.node.name);
    expect(names).toEqual([...names].sort());
    expect(r.data.users.totalCount).toBe(ids.length);

    const carer = await t.op(UsersDocument, {}, { token: w.carerA.token });
    expect(carer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  test("User.email: staff see every address; a carer sees staff addresses and their own, not other carers'", async () => {
    const coCarer = await t.fx.carer(w.org, w.satA, { name: 'Andy Alder' });
    const asCarer = async (userId: string) => (await t.op(UserNodeDocument, { id: gid('User', userId) }, { token: w.carerA.token })).data.node as any;
    expect((await asCarer(w.carerA.userId!)).email).toBe(await emailOf(w.carerA.userId!));
    expect((await asCarer(w.liaison.id)).email).toBe(w.liaison.email);
    // A co-carer of the same household is visible, but their address is not.
    expect(await asCarer(coCarer.userId!)).toMatchObject({ name: 'Andy Alder', email: null });
    // A carer of another household is not visible at all.
    expect(await asCarer(w.carerB.userId!)).toBeNull();

    const asStaff = (await t.op(UserNodeDocument, { id: gid('User', coCarer.userId!) }, { token: w.liaison.token })).data.node as any;
    expect(asStaff.email).toBe(await emailOf(coCarer.userId!));
  });

  test('hub and liaison rights follow from the household and the assignment, not the role', async () => {
    const hub = (await t.op(UserNodeDocument, { id: gid('User', w.hubCarer.userId!) }, { token: w.manager.token })).data.node as any;
    expect(hub).toMatchObject({ role: 'CARER', hubOf: { name: 'Riverside' }, household: { name: 'Hub Home' }, liaisonFor: [] });
    const sat = (await t.op(UserNodeDocument, { id: gid('User', w.carerA.userId!) }, { token: w.manager.token })).data.node as any;
    expect(sat).toMatchObject({ hubOf: null, household: { name: 'Alder House' } });
    // A fostering manager named as liaison worker gets that constellation's liaison rights.
    const fm = await t.fx.user(w.org, 'FOSTERING_MANAGER');
    await t.fx.sql(`update constellation set liaison_worker_id = $1 where id = $2`, [fm.id, w.k2]);
    try {
      const me = await t.op(MeDocument, {}, { token: fm.token });
      expect(me.data.me?.liaisonFor).toEqual([{ id: gid('Constellation', w.k2), name: 'Hillside' }]);
    } finally {
      await t.fx.sql(`update constellation set liaison_worker_id = $1 where id = $2`, [w.otherLiaison.id, w.k2]);
    }
  });
});
