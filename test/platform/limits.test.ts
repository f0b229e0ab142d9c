import { LOGIN_LIMITS } from '../../src/auth/login-limiter';
import { LIMITS } from '../../src/platform/http/limits';
import { HubDashboardDocument } from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/app';
import { FIXTURE_PASSWORD } from '../support/fixtures';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

test('the real dashboard passes the limits; its answer is for this user only (no shared cache keeps it)', async () => {
  const r = await t.op(HubDashboardDocument, { first: 100 }, { token: w.hubCarer.token });
  expect(r.errors).toBeUndefined();
  expect(r.headers.get('cache-control')).toBe('no-store');
});

test('too deep a query is QUERY_TOO_COMPLEX and runs nothing', async () => {
  let q = 'name';
  for (let i = 0; i < LIMITS.maxDepth; i++) q = `hub { constellation { ${q} } }`;
  const r = await t.gql(`{ me { hubOf { ${q} } } }`, {}, { token: w.hubCarer.token });
  expect(codes(r)).toContain('QUERY_TOO_COMPLEX');
  expect(r.data).toBeUndefined();
  expect(r.statements).toBeLessThanOrEqual(1);
});

test('too many aliases is QUERY_TOO_COMPLEX', async () => {
  const aliases = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { name }`).join(' ');
  const r = await t.gql(`{ ${aliases} }`, {}, { token: w.hubCarer.token });
  expect(codes(r)).toEqual(['QUERY_TOO_COMPLEX']);
});

test('too costly a query is QUERY_TOO_COMPLEX', async () => {
  const wide = 'edges { node { household { name carers { name user { name email } } constellation { name hub { name carers { name } } } } } }';
  const r = await t.gql(
    `{ constellations(first: 100) { edges { node { members(first: 100) { ${wide} } children(first: 100) { edges { node { siblings { siblings { placements { household { name } } } } } } } } } } }`,
    {},
    { token: w.manager.token },
  );
  expect(codes(r)).toContain('QUERY_TOO_COMPLEX');
});

test('too many directives and too many tokens are QUERY_TOO_COMPLEX', async () => {
  const dirs = Array.from({ length: LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
  expect(codes(await t.gql(`{ me { name ${dirs} } }`, {}, { token: w.hubCarer.token }))).toContain('QUERY_TOO_COMPLEX');
  const tokens = Array.from({ length: LIMITS.maxTokens }, () => 'name').join(' ');
  expect(codes(await t.gql(`{ me { ${tokens} } }`, {}, { token: w.hubCarer.token }))).toContain('QUERY_TOO_COMPLEX');
});

test('batched HTTP requests are refused', async () => {
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ me { name } }' }, { query: '{ me { name } }' }]) });
  expect(res.status).toBe(400);
});

test('a body over 1 MB is 413', async () => {
  const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { name } } # ${'x'.repeat(1_100_000)}` }) });
  expect(res.status).toBe(413);
});

test('a simple cross-site request carries no credential and cannot post a form', async () => {
  const res = await fetch(`${t.url}?query=${encodeURIComponent('{ me { name } }')}`, { method: 'GET' });
  expect(res.status).toBe(200);
  expect(((await res.json()) as any).data.me).toBeNull();
  const form = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ me { name } }' }) });
  expect(form.status).toBe(415);
});

test('failed logins are limited per account and address, the same for an unknown account, without a hint', async () => {
  const email = (await t.fx.sql(`select email from app_user where id = $1`, [w.carerA.userId]))[0].email;
  // Counters live in Redis when REDIS_URL is set and outlive a test run: a fresh unknown name each run.
  const nobody = `nobody-${process.pid}-${Date.now()}@example.test`;
  const login = (e: string, p: string) => t.gql(`mutation($i: LoginInput!) { login(input: $i) { token userErrors { code message } } }`, { i: { email: e, password: p } });
  for (let i = 0; i < LOGIN_LIMITS.perAccountAddress; i++) {
    expect((await login(email, 'wrong-password-123')).data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    expect((await login(nobody, 'wrong-password-123')).data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
  }
  const known = await login(email, FIXTURE_PASSWORD);
  const unknown = await login(nobody, FIXTURE_PASSWORD);
  expect(known.data.login).toEqual({ token: null, userErrors: [{ code: 'RATE_LIMITED', message: expect.any(String) }] });
  expect(unknown.data.login).toEqual(known.data.login);
  // Another account from the same address is unaffected until the address limit.
  const other = (await t.fx.sql(`select email from app_user where id = $1`, [w.carerB.userId]))[0].email;
  expect((await login(other, FIXTURE_PASSWORD)).data.login.token).toEqual(expect.any(String));
});

test('text with a NUL character is refused as bad input, in variables and in literals', async () => {
  const viaVariable = await t.gql(`mutation($i: AddCarerInput!) { addCarer(input: $i) { userErrors { code } } }`, { i: { householdId: 'x', name: 'a\u0000b' } }, { token: w.manager.token });
  // A request error: 200 for a client of application/json (t.gql), 400 for graphql-response+json.
  expect(viaVariable.status).toBe(200);
  expect(codes(viaVariable)).toEqual(['BAD_USER_INPUT']);
  const viaLiteral = await t.gql(`mutation { addCarer(input: { householdId: "x", name: "a\\u0000b" }) { userErrors { code } } }`, {}, { token: w.manager.token });
  expect(codes(viaLiteral)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
});
