import { SignJWT } from 'jose';
import { LIMITS } from '../../src/platform/http/limits';
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, MAX_FRAME_BYTES } from '../../src/platform/http/socket';
import { startTestApp, type TestApp } from '../support/app';
import { day, FIXTURE_PASSWORD, gid } from '../support/fixtures';
import { errorsOf, openSocket } from '../support/socket';

/**
 * GraphQL over WebSocket, against a production-mode server: every operation on a socket meets the
 * HTTP path's rules (limits, validation, masking, NUL check, introspection off) and is
 * authenticated on its own; only subscriptions are served.
 */
jest.setTimeout(60_000);
const JWT_SECRET = 'test-secret-0123456789';
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp({ NODE_ENV: 'production', JWT_SECRET });
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const SUB = `subscription { sleepoverChanged { kind constellation { name } } }`;
const codes = (r: { type: string; payload: any }) => errorsOf(r).map((e) => e.extensions?.code);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function blockANight(token: string, offset: number) {
  const r = await t.gql(
    `mutation($i: HubNightsInput!) { blockHubNights(input: $i) { userErrors { code } } }`,
    { i: { constellationId: gid('Constellation', w.k), from: day(offset), to: day(offset + 1) } },
    { token },
  );
  expect(r.data.blockHubNights.userErrors).toEqual([]);
}

test('a subscription over the socket works, and its events arrive', async () => {
  const s = await openSocket(t.url, w.liaison.token);
  expect(s.acked).toBe(true);
  const first = s.run(SUB);
  await sleep(200);
  await blockANight(w.hubCarer.token!, 40);
  const r = await first;
  expect(r.type).toBe('next');
  expect(r.payload.data.sleepoverChanged.constellation.name).toBe('Riverside');
  s.close();
});

test('queries and mutations are not served over the socket (an expired-token createUser cannot run there either)', async () => {
  const s = await openSocket(t.url, w.admin.token);
  const q = await s.run(`{ me { name } }`);
  expect(q.type).toBe('error');
  expect(codes(q)).toEqual(['BAD_REQUEST']);
  const before = await t.fx.sql(`select count(*)::int n from app_user`);
  const m = await s.run(`mutation { createUser(input: { email: "ws-admin@example.test", name: "X", role: ADMIN, password: "a-long-enough-password" }) { user { id } } }`);
  expect(codes(m)).toEqual(['BAD_REQUEST']);
  expect(await t.fx.sql(`select count(*)::int n from app_user`)).toEqual(before);
  s.close();
});

test('login over the socket is refused, so it cannot go around the per-address limit', async () => {
  const s = await openSocket(t.url, w.carerA.token);
  const r = await s.run(`mutation { login(input: { email: "x@example.test", password: "wrong-password-123" }) { token } }`);
  expect(codes(r)).toEqual(['BAD_REQUEST']);
  s.close();
});

test('introspection is refused over the socket in production, and suggestions are hidden', async () => {
  const s = await openSocket(t.url, w.carerA.token);
  const intro = await s.run(`query { __schema { types { name } } }`);
  expect(intro.type).toBe('error');
  const typo = await s.run(`subscription { sleepoverChange { kind } }`);
  expect(codes(typo)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(JSON.stringify(typo.payload)).not.toMatch(/Did you mean|sleepoverChanged/);
  const enumTypo = await s.run(`subscription { sleepoverChanged { kind constellation { status(x: 1) } } }`);
  expect(JSON.stringify(enumTypo.payload)).not.toMatch(/Did you mean/);
  s.close();
});

test('aliases, depth, directives and tokens are limited over the socket as over HTTP', async () => {
  const s = await openSocket(t.url, w.liaison.token);
  const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: kind`).join(' ');
  const started = Date.now();
  expect(codes(await s.run(`subscription { sleepoverChanged { ${aliases} } }`))).toEqual(['QUERY_TOO_COMPLEX']);
  expect(Date.now() - started).toBeLessThan(2000);
  let deep = 'name';
  for (let i = 0; i < LIMITS.maxDepth; i++) deep = `hub { constellation { ${deep} } }`;
  expect(codes(await s.run(`subscription { sleepoverChanged { constellation { ${deep} } } }`))).toContain('QUERY_TOO_COMPLEX');
  const tokens = Array.from({ length: LIMITS.maxTokens }, () => 'kind').join(' ');
  expect(codes(await s.run(`subscription { sleepoverChanged { ${tokens} } }`))).toEqual(['QUERY_TOO_COMPLEX']);
  const dirs = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
  const many = await s.run(`subscription { sleepoverChanged { kind ${dirs} } }`);
  expect(errorsOf(many)).toHaveLength(1);
  s.close();
});

test('NUL characters are refused over the socket, in variables and in literals', async () => {
  const s = await openSocket(t.url, w.liaison.token);
  expect(codes(await s.run(`subscription($k: ID) { sleepoverChanged(constellationId: $k) { kind } }`, { k: 'a\u0000b' }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await s.run(`subscription { sleepoverChanged(constellationId: "a\\u0000b") { kind } }`))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  s.close();
});

test('a malformed operation gets a clean error on the socket, never internal text, and the socket stays open', async () => {
  const s = await openSocket(t.url, w.liaison.token);
  const truncated = await s.run(`subscription { sleepoverChanged { kind `);
  expect(codes(truncated)).toEqual(['GRAPHQL_PARSE_FAILED']);
  const forged = await s.run(`subscription { sleepoverChanged(constellationId: "not-an-id'; select 1") { kind } }`);
  for (const e of errorsOf(forged)) expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  expect(JSON.stringify(forged.payload)).not.toMatch(/syntax|invalid input|uuid/i);
  expect(s.ws.readyState).toBe(s.ws.OPEN);
  s.close();
});

test('a frame over the cap closes the socket before anyone is authenticated', async () => {
  const s = await openSocket(t.url, null, { init: false });
  s.ws.send('x'.repeat(3 * 1024 * 1024));
  const { code } = await s.closed;
  expect(code).toBe(1009);
  expect(MAX_FRAME_BYTES).toBeLessThan(3 * 1024 * 1024);
});

test('no token, a bad token, or a deactivated user cannot connect', async () => {
  expect((await openSocket(t.url, null)).acked).toBe(false);
  const bad = await openSocket(t.url, 'not.a.token');
  expect(bad.acked).toBe(false);
  expect((await bad.closed).code).toBe(CLOSE_UNAUTHORIZED);
  const gone = await t.fx.user(w.org, 'FOSTERING_MANAGER', { active: false });
  const refused = await openSocket(t.url, gone.token);
  expect(refused.acked).toBe(false);
  expect((await refused.closed).code).toBe(CLOSE_FORBIDDEN);
});

test('a token that expires closes the socket with 4401; no operation runs on it afterwards', async () => {
  const key = new TextEncoder().encode(JWT_SECRET);
  const soon = await new SignJWT({ org: w.org, gen: 0 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(w.admin.id)
    .setIssuer('hubnet')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
    .sign(key);
  const s = await openSocket(t.url, soon);
  expect(s.acked).toBe(true);
  const { code } = await s.closed;
  expect(code).toBe(CLOSE_UNAUTHORIZED);
  expect((await s.run(SUB)).type).toBe('closed');
});

test("a password change closes the user's sockets (4401) and ends every earlier token, over HTTP and socket", async () => {
  const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
  const s = await openSocket(t.url, user.token);
  expect(s.acked).toBe(true);
  const pending = s.run(SUB);
  await sleep(200);
  const r = await t.gql(
    `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { userErrors { code } } }`,
    { i: { currentPassword: FIXTURE_PASSWORD, newPassword: 'a-brand-new-password' } },
    { token: user.token },
  );
  expect(r.data.changePassword.userErrors).toEqual([]);
  expect((await s.closed).code).toBe(CLOSE_UNAUTHORIZED);
  expect((await pending).type).not.toBe('next');
  expect((await t.gql(`{ me { id } }`, {}, { token: user.token })).status).toBe(401);
  const again = await openSocket(t.url, user.token);
  expect(again.acked).toBe(false);
  // The new password gives a token that works on both transports.
  const login = await t.gql(`mutation($i: LoginInput!) { login(input: $i) { token } }`, { i: { email: user.email, password: 'a-brand-new-password' } });
  const fresh = login.data.login.token as string;
  expect((await t.gql(`{ me { id } }`, {}, { token: fresh })).status).toBe(200);
  expect((await openSocket(t.url, fresh)).acked).toBe(true);
});

test('a password changed outside the API (the database) is checked at the next operation on an open socket', async () => {
  const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
  const s = await openSocket(t.url, user.token);
  expect(s.acked).toBe(true);
  await t.fx.sql(`update app_user set password_hash = password_hash || 'x' where id = $1`, [user.id]);
  const r = await s.run(SUB);
  expect(r.type === 'closed' || codes(r).includes('UNAUTHENTICATED')).toBe(true);
  expect((await s.closed).code).toBe(CLOSE_UNAUTHORIZED);
});

test("a deactivation closes the user's sockets with 4403, and a deactivated user's open socket runs nothing more", async () => {
  const user = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
  const s = await openSocket(t.url, user.token);
  expect(s.acked).toBe(true);
  const r = await t.gql(`mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { userErrors { code } } }`, { i: { userId: gid('User', user.id) } }, { token: w.admin.token });
  expect(r.data.deactivateUser.userErrors).toEqual([]);
  expect((await s.closed).code).toBe(CLOSE_FORBIDDEN);
});
