import { addTrustedDocuments } from '../../src/documents/trusted-documents';
import { createHubnetClient, manifestOf } from '../../examples/typed-client/client';
import { hubDashboard } from '../../examples/typed-client/example';
import * as operations from '../../examples/typed-client/graphql';
import { startTestApp, type TestApp } from '../support/app';
import { FIXTURE_PASSWORD } from '../support/fixtures';

/**
 * The guide's typed client against a server that runs only registered documents: the manifest
 * built from the example operations is registered, and the screens run by id.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const documents = Object.entries(operations)
  .filter(([name]) => name.endsWith('Document'))
  .map(([, d]) => d as any);

beforeAll(async () => {
  t = await startTestApp({ HUBNET_TRUSTED_DOCUMENTS: 'only' });
  w = await t.fx.world();
  await addTrustedDocuments(t.db.orm.em.fork(), Object.entries(await manifestOf(documents)));
});
afterAll(async () => t.stop());

test('every example operation is in the manifest, and the hub dashboard runs by id', async () => {
  expect(documents.length).toBeGreaterThanOrEqual(10);
  const email = (await t.fx.sql(`select email from app_user where id = $1`, [w.hubCarer.userId]))[0].email;
  // The login mutation is a registered document too; its full text would be refused.
  const byId = createHubnetClient({ url: t.url, byDocumentId: true });
  const login = await byId(operations.LoginDocument, { input: { email, password: FIXTURE_PASSWORD } });
  expect(login.data?.login.token).toEqual(expect.any(String));
  const byText = createHubnetClient({ url: t.url });
  expect((await byText(operations.LoginDocument, { input: { email, password: FIXTURE_PASSWORD } })).errors?.[0].extensions?.code).toBe('TRUSTED_DOCUMENTS_ONLY');

  const token = login.data!.login.token!;
  const request = createHubnetClient({ url: t.url, token: () => token, byDocumentId: true });
  const today = new Date().toISOString().slice(0, 10);
  const r = await request(operations.HubDashboardDocument, { from: today, to: today, now: new Date().toISOString() });
  expect(r.errors).toBeUndefined();
  expect(r.data?.me?.hubOf?.name).toBe('Riverside');
  expect(r.data?.me?.hubOf?.members.edges.length).toBeGreaterThan(0);
});

test('the example screen code runs by id', async () => {
  const email = (await t.fx.sql(`select email from app_user where id = $1`, [w.hubCarer.userId]))[0].email;
  const screen = await hubDashboard(t.url, email, FIXTURE_PASSWORD, true);
  expect(screen).toMatchObject({ constellation: 'Riverside', freeBedsTonight: expect.any(Number), waitingRequests: 0 });
  expect(screen.households.length).toBeGreaterThan(1);
  await expect(hubDashboard(t.url, email, FIXTURE_PASSWORD, false)).rejects.toThrow(/TRUSTED_DOCUMENTS_ONLY/);
});
