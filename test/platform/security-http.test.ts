import http from 'node:http';
import { LOGIN_LIMITS } from '../../src/auth/login-limiter';
import { startService } from '../../src/app/boot';
import { loadConfig, startProblem } from '../../src/platform/config';
import { seedDemo } from '../../src/seed/demo';
import { browserKeys, vapidEnv } from '../notifications/support';
import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';
import { FIXTURE_PASSWORD, gid } from '../support/fixtures';

// Request errors are 400 for this media type (GraphQL over HTTP); plain application/json answers them with 200.
const GRAPHQL_RESPONSE = { accept: 'application/graphql-response+json' };

/**
 * The HTTP path against a production-mode server behind two trusted proxies (TRUST_PROXY=2):
 * login and password limits, what error texts reveal, malformed requests, push endpoints,
 * request ids and what a production start requires.
 */
jest.setTimeout(120_000);
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp({ NODE_ENV: 'production', TRUST_PROXY: '2', PUSH_ENDPOINT_HOSTS: 'push.example.test', ...vapidEnv() });
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { token userErrors { code } } }`;
let addresses = 0;
/** A client address of its own, as the nearest trusted proxy reports it (the entry two hops from the right). */
const fromAddress = (ip = `203.0.113.${++addresses}`) => ({ 'x-forwarded-for': `198.51.100.7, ${ip}, 10.0.0.2` });
const login = (email: string, password: string, headers: Record<string, string>) => t.gql(LOGIN, { i: { email, password } }, { headers });
const emailOf = async (userId: string) => (await t.fx.sql(`select email from app_user where id = $1`, [userId]))[0].email as string;

describe('login limits', () => {
  test('16 concurrent wrong passwords: only the limit are checked, the rest are refused unchecked', async () => {
    const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
    const headers = fromAddress();
    const results = await Promise.all(Array.from({ length: 16 }, () => login(user.email, 'wrong-password-123', headers)));
    const got = results.map((r) => r.data.login.userErrors[0].code);
    expect(got.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(LOGIN_LIMITS.perAccountAddress);
    expect(got.filter((c) => c === 'RATE_LIMITED')).toHaveLength(16 - LOGIN_LIMITS.perAccountAddress);
  });

  test('a burst of 30 wrong passwords from one address does not lock the carer out from another', async () => {
    const email = await emailOf(w.hubCarer.userId!);
    const attacker = fromAddress();
    for (let i = 0; i < 30; i++) await login(email, `wrong-password-${i}`, attacker);
    expect((await login(email, FIXTURE_PASSWORD, attacker)).data.login.userErrors[0].code).toBe('RATE_LIMITED');
    const carer = await login(email, FIXTURE_PASSWORD, fromAddress());
    expect(carer.data.login.token).toEqual(expect.any(String));
  });

  test('one address trying many accounts is stopped by the per-address limit', async () => {
    const headers = fromAddress();
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      expect((await login(`spray-${i}-${Date.now()}@example.test`, 'wrong-password-123', headers)).data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
    expect((await login(await emailOf(w.carerB.userId!), FIXTURE_PASSWORD, headers)).data.login.userErrors[0].code).toBe('RATE_LIMITED');
    // Fifty password checks: slow on a loaded machine.
  }, 600_000);

  test('TRUST_PROXY=2: the address is the one two hops from the right; what the client wrote further left is ignored', async () => {
    const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
    // The same real client, claiming a fresh address each time in the part of the header it writes.
    for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++) {
      await login(user.email, 'wrong-password-123', { 'x-forwarded-for': `192.0.2.${i}, 203.0.113.250, 10.0.0.2` });
    }
    const r = await login(user.email, FIXTURE_PASSWORD, { 'x-forwarded-for': `192.0.2.99, 203.0.113.250, 10.0.0.2` });
    expect(r.data.login.userErrors[0].code).toBe('RATE_LIMITED');
  });
});

describe('password changes', () => {
  const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { userErrors { code } } }`;

  test('changePassword is limited as login is, counted before the password is checked', async () => {
    const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
    const results = await Promise.all(Array.from({ length: 10 }, () => t.gql(CHANGE, { i: { currentPassword: 'not-the-password', newPassword: 'another-long-password' } }, { token: user.token })));
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    const got = results.map((r) => r.data.changePassword.userErrors[0].code);
    expect(got.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(LOGIN_LIMITS.perUserPasswordChange);
    expect(got.filter((c) => c === 'RATE_LIMITED')).toHaveLength(10 - LOGIN_LIMITS.perUserPasswordChange);
    const right = await t.gql(CHANGE, { i: { currentPassword: FIXTURE_PASSWORD, newPassword: 'another-long-password' } }, { token: user.token });
    expect(right.data.changePassword.userErrors[0].code).toBe('RATE_LIMITED');
  });

  test('a password change ends every token issued before it, this one included', async () => {
    const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
    const second = (await login(user.email, FIXTURE_PASSWORD, fromAddress())).data.login.token as string;
    const r = await t.gql(CHANGE, { i: { currentPassword: FIXTURE_PASSWORD, newPassword: 'another-long-password' } }, { token: user.token });
    expect(r.data.changePassword.userErrors).toEqual([]);
    for (const token of [user.token, second]) {
      const me = await t.gql(`{ me { id } }`, {}, { token });
      expect(me.status).toBe(401);
      expect(codes(me)).toEqual(['UNAUTHENTICATED']);
    }
    expect((await login(user.email, 'another-long-password', fromAddress())).data.login.token).toEqual(expect.any(String));
  });
});

describe('what errors reveal in production', () => {
  test('no enum-value suggestions, in documents or variables', async () => {
    const doc = await t.gql(`mutation { createUser(input: { email: "a@b.test", name: "A", role: ADMN, password: "a-long-enough-password" }) { userErrors { code } } }`, {}, { token: w.admin.token });
    expect(codes(doc)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(JSON.stringify(doc.errors)).not.toMatch(/Did you mean|ADMIN/);
    const vars = await t.gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { userErrors { code } } }`,
      { i: { email: 'a@b.test', name: 'A', role: 'ADMN', password: 'a-long-enough-password' } },
      { token: w.admin.token },
    );
    expect(codes(vars)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(vars.errors)).not.toMatch(/Did you mean|ADMIN|"Role"/);
  });

  test('variable-coercion messages do not name input types', async () => {
    const r = await t.gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { userErrors { code } } }`,
      { i: { email: 'a@b.test', nope: 1 } },
      { token: w.admin.token, headers: GRAPHQL_RESPONSE },
    );
    expect(r.status).toBe(400);
    expect(codes(r).every((c) => c === 'BAD_USER_INPUT')).toBe(true);
    const text = JSON.stringify(r.errors);
    expect(text).not.toMatch(/CreateUserInput|String!|Role!/);
    expect(text).toMatch(/nope|name/);
  });

  test('introspection is off', async () => {
    const r = await t.gql(`{ __schema { types { name } } }`, {}, { token: w.admin.token });
    expect(r.errors!.length).toBeGreaterThan(0);
    expect(codes(r).every((c) => c === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
  });
});

describe('malformed requests get 400-class errors, never INTERNAL_SERVER_ERROR', () => {
  const forged = [
    Buffer.from(JSON.stringify(['1', 'x'])).toString('base64url'),
    Buffer.from(JSON.stringify(['2026-13-45T99:99:99Z', '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
    Buffer.from(JSON.stringify([1, 2, 3])).toString('base64url'),
    'not-base64-%%%',
  ];
  const lists: [string, string][] = [
    ['auditEvents', `query($a: String) { auditEvents(after: $a) { totalCount edges { cursor } } }`],
    ['me.notifications', `query($a: String) { me { notifications(after: $a) { totalCount edges { cursor } } } }`],
    ['constellation.sessions', `query($a: String, $k: ID!) { node(id: $k) { ... on Constellation { sessions(after: $a) { totalCount edges { cursor } } } } }`],
    ['constellation.sleepovers', `query($a: String, $k: ID!) { node(id: $k) { ... on Constellation { sleepovers(after: $a) { totalCount edges { cursor } } } } }`],
    ['sleepovers', `query($a: String) { sleepovers(after: $a) { totalCount edges { cursor } } }`],
    ['users', `query($a: String) { users(after: $a) { totalCount edges { cursor } } }`],
    ['children', `query($a: String) { children(after: $a) { totalCount edges { cursor } } }`],
  ];
  test.each(lists)('a forged cursor on %s', async (_name, query) => {
    const first = await t.gql(query, { a: forged[0], k: gid('Constellation', w.k) }, { token: w.admin.token });
    expect(codes(first)).toEqual(['BAD_USER_INPUT']);
    for (const a of forged) {
      const r = await t.gql(query, { a, k: gid('Constellation', w.k) }, { token: w.admin.token });
      // A cursor that happens to fit the list's key (any text and a uuid, for lists by name) is a
      // cursor like any other; one that does not is bad input.
      expect(r.status).toBeLessThan(500);
      expect(codes(r).every((c) => c === 'BAD_USER_INPUT')).toBe(true);
      expect(JSON.stringify(r.errors ?? [])).not.toMatch(/syntax|timestamp|invalid input/i);
    }
  });

  test('a truncated query is a 400 parse failure', async () => {
    const r = await t.gql(`{ me { name `, {}, { token: w.admin.token, headers: GRAPHQL_RESPONSE });
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  test('an automatic persisted query whose hash does not match is a 400', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${w.admin.token}` },
      body: JSON.stringify({ query: '{ me { name } }', extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors.map((e: any) => e.extensions.code)).toEqual(['BAD_REQUEST']);
  });

  test('51 duplicated directives give one error', async () => {
    const dirs = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
    const r = await t.gql(`{ me { name ${dirs} } }`, {}, { token: w.admin.token });
    expect(r.errors).toHaveLength(1);
    expect(codes(r)).toEqual(['QUERY_TOO_COMPLEX']);
    const few = Array.from({ length: 5 }, () => '@include(if: true)').join(' ');
    const dup = await t.gql(`{ me { name ${few} } }`, {}, { token: w.admin.token });
    expect(dup.errors).toHaveLength(1);
  });

  test('a body over 1 MB gets a 413 the client can read, even while it is still sending', async () => {
    const url = new URL(t.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      req.write('{"query":"{ me { name } }","pad":"');
      pump();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('push endpoints', () => {
  const R = `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { registered userErrors { code field } } }`;
  test('https on port 443 only', async () => {
    const k = browserKeys();
    for (const endpoint of ['https://push.example.test:8443/x', 'https://push.example.test:22/x', 'https://push.example.test:443x/x']) {
      const r = await t.gql(R, { i: { endpoint, keys: { p256dh: k.p256dh, auth: k.auth } } }, { token: w.carerA.token });
      expect(r.data.registerPushSubscription.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'endpoint'] }]);
    }
    const ok = await t.gql(R, { i: { endpoint: 'https://push.example.test:443/ok', keys: { p256dh: k.p256dh, auth: k.auth } } }, { token: w.carerA.token });
    expect(ok.data.registerPushSubscription).toEqual({ registered: true, userErrors: [] });
  });

  test('re-registering an endpoint known in another organisation does not move it there', async () => {
    const k = browserKeys();
    const endpoint = `https://push.example.test/cross-${Date.now()}`;
    const mine = await t.gql(R, { i: { endpoint, keys: { p256dh: k.p256dh, auth: k.auth } } }, { token: w.carerA.token });
    expect(mine.data.registerPushSubscription.registered).toBe(true);
    const theirs = await t.gql(R, { i: { endpoint, keys: { p256dh: k.p256dh, auth: k.auth } } }, { token: w.foreignAdmin.token });
    expect(theirs.data.registerPushSubscription.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'endpoint'] }]);
    expect(await t.fx.sql(`select user_id, organisation_id from push_subscription where endpoint = $1`, [endpoint])).toEqual([{ user_id: w.carerA.userId, organisation_id: w.org }]);
    // Within one organisation it is one browser changing hands, as before.
    const colleague = await t.gql(R, { i: { endpoint, keys: { p256dh: k.p256dh, auth: k.auth } } }, { token: w.carerB.token });
    expect(colleague.data.registerPushSubscription.registered).toBe(true);
  });
});

describe('request ids', () => {
  test('a well-formed X-Request-Id from the trusted proxy is the audit request id; anything else is replaced', async () => {
    const M = `mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { userErrors { code } } }`;
    const good = await t.gql(M, { i: { preferences: [{ kind: 'SESSION_REMINDER', push: false }] } }, { token: w.carerA.token, headers: { 'x-request-id': 'edge-4f1c2a' } });
    expect(good.headers.get('x-request-id')).toBe('edge-4f1c2a');
    for (const sent of ["x' or 1=1 --", 'a'.repeat(200), 'line\tbreak']) {
      const r = await t.gql(`{ me { id } }`, {}, { token: w.carerA.token, headers: { 'x-request-id': sent } });
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  // A second service in this file needs a second database connection: the embedded database has one.
  (embedded() ? test.skip : test)("without a trusted proxy, the client's X-Request-Id is never the audit request id", async () => {
    const direct = await startTestApp({ NODE_ENV: 'production', TRUST_PROXY: '0' });
    try {
      const admin = await direct.fx.user(await direct.fx.organisation(), 'ADMIN');
      const r = await direct.gql(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { userErrors { code } } }`,
        { i: { email: `rid-${Date.now()}@example.test`, name: 'R', role: 'SUPERVISING_SOCIAL_WORKER', password: 'a-long-enough-password' } },
        { token: admin.token, headers: { 'x-request-id': 'chosen-by-client' } },
      );
      expect(r.data.createUser.userErrors).toEqual([]);
      const [audit] = await direct.fx.sql(`select request_id from audit_event where action = 'User.create'`);
      expect(audit.request_id).not.toBe('chosen-by-client');
      expect(audit.request_id).toBe(r.headers.get('x-request-id'));
    } finally {
      await direct.stop();
    }
  });
});

describe('starting in production', () => {
  test('NODE_ENV=production without DATABASE_URL refuses to start, saying why', async () => {
    const config = loadConfig({ NODE_ENV: 'production', HUBNET_DATA_DIR: 'memory', JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent', PORT: '0' });
    expect(startProblem(config)).toMatch(/DATABASE_URL/);
    await expect(startService(config)).rejects.toThrow(/NODE_ENV=production needs DATABASE_URL/);
  });

  test('HOST: loopback outside production, every interface in production, or as set; TRUST_PROXY must be a hop count', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(() => loadConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });

  test('demo data never goes into a database that already has an organisation', async () => {
    const before = await t.fx.sql(`select count(*)::int n from organisation`);
    expect(await seedDemo(t.service.app.orm.em.fork() as any)).toBeNull();
    expect(await t.fx.sql(`select count(*)::int n from organisation`)).toEqual(before);
  });
});
