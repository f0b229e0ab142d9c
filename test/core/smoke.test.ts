import { HubDashboardDocument } from '../generated/graphql';
import { startTestApp, type TestApp } from '../support/app';
import { FIXTURE_PASSWORD, gid } from '../support/fixtures';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

test('login, me, and a constellation dashboard', async () => {
  const login = await t.gql(`mutation($i: LoginInput!) { login(input: $i) { token user { name role } userErrors { code } } }`, {
    i: { email: (await t.fx.sql(`select email from app_user where id = $1`, [w.hubCarer.userId]))[0].email, password: FIXTURE_PASSWORD },
  });
  expect(login.errors).toBeUndefined();
  expect(login.data.login.userErrors).toEqual([]);
  expect(login.data.login.user).toEqual({ name: 'Helen Hub', role: 'CARER' });
  const token = login.data.login.token;
  const me = await t.gql(
    `{ me { name hubOf { id name sleepoverBeds hub { name } members { totalCount edges { node { household { name carers { name } } } } } children { edges { node { firstName age reference } } } } } }`,
    {},
    { token },
  );
  expect(me.errors).toBeUndefined();
  expect(me.data.me.name).toBe('Helen Hub');
  expect(me.data.me.hubOf.id).toBe(gid('Constellation', w.k));
  expect(me.data.me.hubOf.name).toBe('Riverside');
  expect(me.data.me.hubOf.sleepoverBeds).toBe(2);
  expect(me.data.me.hubOf.hub.name).toBe('Hub Home');
  expect(me.data.me.hubOf.members.totalCount).toBe(2);
  expect(me.data.me.hubOf.members.edges.map((e: any) => e.node.household.name)).toEqual(['Alder House', 'Birch House']);
  expect(me.data.me.hubOf.members.edges.map((e: any) => e.node.household.carers.map((c: any) => c.name))).toEqual([['Ann Alder'], ['Bob Birch']]);
  expect(me.data.me.hubOf.children.edges.map((e: any) => e.node.firstName)).toEqual(['Amy', 'Ava', 'Ben']);
  expect(me.data.me.hubOf.children.edges[0].node.reference).toBeNull();
});

test('typed operations from codegen drive the API', async () => {
  const r = await t.op(HubDashboardDocument, { first: 10 }, { token: w.hubCarer.token });
  expect(r.errors).toBeUndefined();
  expect(r.data.me?.hubOf?.members.edges.map((e) => e.node.household.name)).toEqual(['Alder House', 'Birch House']);
});
