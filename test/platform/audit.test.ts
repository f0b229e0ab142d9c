import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const ADD_CARER = `mutation($i: AddCarerInput!) { addCarer(input: $i) { household { id } userErrors { code } } }`;
const AUDIT = `query($s: ID, $first: Int, $after: String) { auditEvents(subjectId: $s, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id at action subjectId requestId summary actor { name } } } } }`;

test('a mutation writes its audit event, readable by managers, newest first, with the request id', async () => {
  const household = gid('Household', w.lone);
  const first = await t.gql(ADD_CARER, { i: { householdId: household, name: 'Dora Cedar' } }, { token: w.manager.token });
  expect(first.data.addCarer.userErrors).toEqual([]);
  const second = await t.gql(ADD_CARER, { i: { householdId: household, name: 'Eli Cedar' } }, { token: w.admin.token });
  expect(second.data.addCarer.userErrors).toEqual([]);

  const r = await t.gql(AUDIT, { s: household }, { token: w.admin.token });
  expect(r.errors).toBeUndefined();
  const nodes = r.data.auditEvents.edges.map((e: any) => e.node);
  expect(nodes.map((n: any) => n.action)).toEqual(['Household.addCarer', 'Household.addCarer']);
  expect(nodes[0].requestId).toBe(second.headers.get('x-request-id'));
  expect(nodes[1].requestId).toBe(first.headers.get('x-request-id'));
  expect(new Date(nodes[0].at).getTime()).toBeGreaterThanOrEqual(new Date(nodes[1].at).getTime());
  expect(nodes.every((n: any) => n.subjectId === household)).toBe(true);
  // The summary names fields, never the carer's name.
  expect(nodes[0].summary).not.toContain('Eli');
  expect(JSON.parse(nodes[0].summary).fields).toEqual(['householdId', 'name']);

  const paged = await t.gql(AUDIT, { s: household, first: 1 }, { token: w.admin.token });
  expect(paged.data.auditEvents.pageInfo.hasNextPage).toBe(true);
  const next = await t.gql(AUDIT, { s: household, first: 1, after: paged.data.auditEvents.pageInfo.endCursor }, { token: w.admin.token });
  expect(next.data.auditEvents.edges[0].node.id).toBe(nodes[1].id);
});

test('a refused mutation writes no audit event', async () => {
  const before = (await t.fx.sql(`select count(*)::int n from audit_event`))[0].n;
  const r = await t.gql(ADD_CARER, { i: { householdId: gid('Household', w.lone), name: '' } }, { token: w.manager.token });
  expect(r.data.addCarer.userErrors[0].code).toBe('INVALID_INPUT');
  expect((await t.fx.sql(`select count(*)::int n from audit_event`))[0].n).toBe(before);
});

test.each([
  ['supervising social worker', () => w.ssw.token],
  ['liaison worker', () => w.liaison.token],
  ['hub carer', () => w.hubCarer.token],
  ['carer', () => w.carerA.token],
])('a %s may not read the audit trail', async (_who, token) => {
  const r = await t.gql(AUDIT, {}, { token: token() });
  expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

test('another organisation sees none of it', async () => {
  const r = await t.gql(AUDIT, {}, { token: w.foreignAdmin.token });
  expect(r.data.auditEvents.totalCount).toBe(0);
});
