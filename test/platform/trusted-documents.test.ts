import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { addTrustedDocuments, parseManifest, sha256Hex } from '../../src/documents/trusted-documents';
import { SCHEDULE, scheduleOk, sessionInput } from '../sessions/helpers';
import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';

const ME = 'query Me { me { name } }';
const SESSION_CHANGED = 'subscription SessionChanged { peerSupportSessionChanged { kind session { title } } }';
const GREET = 'query Greet($id: ID!) { node(id: $id) { id } }';
const manifest = (...docs: string[]) => Object.fromEntries(docs.map((d) => [sha256Hex(d), d]));

async function post(t: TestApp, body: Record<string, unknown>, token?: string, accept = 'application/graphql-response+json') {
  const res = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}
const code = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) => r.body.errors?.map((e) => e.extensions?.code);

/** Runs one operation over graphql-ws and returns its first result (or the error the server sent). */
function overSocket(t: TestApp, clients: Client[], token: string, payload: Record<string, unknown>): Promise<any> {
  const client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  clients.push(client);
  return new Promise((resolve) => {
    client.subscribe(payload as any, { next: resolve, error: (errors) => resolve({ errors }), complete: () => undefined });
  });
}

describe('manifests', () => {
  test('an entry whose hash is not its document, or that does not parse, is refused; the rest is checked too', () => {
    const good = manifest(ME);
    expect(parseManifest(JSON.stringify(good))).toEqual({ entries: [[sha256Hex(ME), ME]], problems: [] });
    const r = parseManifest(JSON.stringify({ ...good, [sha256Hex('other')]: ME, [sha256Hex('{ me')]: '{ me', ABC: ME }));
    expect(r.problems).toHaveLength(3);
    expect(r.problems.join('\n')).toMatch(/does not match its document/);
    expect(r.problems.join('\n')).toMatch(/not a GraphQL document/);
    expect(r.problems.join('\n')).toMatch(/not a sha256/);
    expect(parseManifest('[]').problems).toHaveLength(1);
    expect(parseManifest('{}').problems).toEqual(['the manifest has no documents']);
  });
});

describe('HUBNET_TRUSTED_DOCUMENTS=allow (the default)', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<TestApp['fx']['world']>>;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp();
    w = await t.fx.world();
    await addTrustedDocuments(t.db.orm.em.fork(), Object.entries(manifest(ME, SESSION_CHANGED, GREET)));
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await t.stop();
  });

  test('the database refuses a document stored under another hash', async () => {
    await expect(t.db.sql(`insert into trusted_document (hash, document) values ($1, $2)`, [sha256Hex('something else'), ME])).rejects.toThrow(/trusted_document_hash_rule/);
  });

  test('a registered document runs by documentId, by Apollo hash, and by GET, with variables', async () => {
    const byId = await post(t, { documentId: `sha256:${sha256Hex(ME)}` }, w.hubCarer.token!);
    expect(byId).toEqual({ status: 200, body: { data: { me: { name: 'Helen Hub' } } } });
    const byApq = await post(t, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(ME) } } }, w.hubCarer.token!);
    expect(byApq.body).toEqual({ data: { me: { name: 'Helen Hub' } } });
    const url = new URL(t.url);
    url.searchParams.set('documentId', `sha256:${sha256Hex(GREET)}`);
    url.searchParams.set('variables', JSON.stringify({ id: 'nonsense' }));
    const get = await fetch(url, { headers: { authorization: `Bearer ${w.hubCarer.token}` } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { node: null } });
  });

  test('any full document runs; an unknown id is PERSISTED_QUERY_NOT_FOUND (400); a malformed id is BAD_REQUEST', async () => {
    expect((await post(t, { query: '{ me { id } }' }, w.hubCarer.token!)).status).toBe(200);
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const unknown = await post(t, { documentId: `sha256:${sha256Hex('{ me { id } }')}` }, w.hubCarer.token!, accept);
      expect([unknown.status, code(unknown)]).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    }
    const malformed = await post(t, { documentId: 'md5:abc' });
    expect([malformed.status, code(malformed)]).toEqual([400, ['BAD_REQUEST']]);
    // An automatic-persisted-query client retries with the text after a miss; it runs when it matches.
    const apq = await post(t, { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ me { id } }') } } }, w.hubCarer.token!);
    expect(apq.status).toBe(200);
    const lying = await post(t, { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ me { name } }') } } }, w.hubCarer.token!);
    // A text sent with a hash that is not its own is refused as a bad request, registered or not.
    expect([lying.status, code(lying)]).toEqual([400, ['BAD_REQUEST']]);
  });

  test('documents:add registers a manifest once, and refuses a bad one whole; what it registers runs', async () => {
    // The operator's command as a real process: on the test's own database where it can share it,
    // on an embedded database of its own otherwise (the embedded one has a single connection).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubnet-documents-'));
    const env = embedded() ? { DATABASE_URL: '', HUBNET_DATA_DIR: dir } : { DATABASE_URL: t.db.url };
    const cli = (file: string) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', 'src/app/cli.ts', 'documents:add', file],
          { cwd: path.resolve(__dirname, '../..'), env: { ...process.env, ...env } },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        );
      });
    const ping = '{ __typename }';
    try {
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(good, JSON.stringify(manifest(ME, ping)));
      const bad = path.join(dir, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify({ ...manifest('{ me { id } }'), [sha256Hex('tampered')]: ME }));
      expect(await cli(bad)).toEqual({ code: 1, out: expect.stringMatching(/does not match its document[\s\S]*nothing was registered/) });
      expect(await cli(good)).toEqual({ code: 0, out: expect.stringMatching(embedded() ? /Registered 2 document\(s\)/ : /Registered 1 document\(s\) from .*; 1 already registered/) });
      if (!embedded()) {
        expect((await post(t, { documentId: `sha256:${sha256Hex(ping)}` })).body).toEqual({ data: { __typename: 'Query' } });
        const [{ n }] = await t.db.sql(`select count(*)::int as n from trusted_document where hash = $1`, [sha256Hex('{ me { id } }')]);
        expect(n).toBe(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Each run on an embedded database starts and migrates one of its own.
  }, 480_000);

  test('a subscription named by id receives its events', async () => {
    const client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${w.carerA.token}` }, lazy: false, retryAttempts: 0 });
    clients.push(client);
    const connected = new Promise((r) => client.on('connected', r));
    const first = new Promise<any>((resolve) => {
      client.subscribe({ query: '', documentId: `sha256:${sha256Hex(SESSION_CHANGED)}` } as any, { next: resolve, error: (errors) => resolve({ errors }), complete: () => undefined });
    });
    await connected;
    await new Promise((r) => setTimeout(r, 150));
    await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'By id' });
    expect(await first).toEqual({ data: { peerSupportSessionChanged: { kind: 'SCHEDULED', session: { title: 'By id' } } } });
  });
});

describe('HUBNET_TRUSTED_DOCUMENTS=only', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<TestApp['fx']['world']>>;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp({ HUBNET_TRUSTED_DOCUMENTS: 'only' });
    w = await t.fx.world();
    await addTrustedDocuments(t.db.orm.em.fork(), Object.entries(manifest(ME, SESSION_CHANGED, SCHEDULE)));
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await t.stop();
  });

  test('over HTTP: registered documents run, a full document is TRUSTED_DOCUMENTS_ONLY, an unknown id PERSISTED_QUERY_NOT_FOUND, both 400', async () => {
    expect((await post(t, { documentId: `sha256:${sha256Hex(ME)}` }, w.hubCarer.token!)).body).toEqual({ data: { me: { name: 'Helen Hub' } } });
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const full = await post(t, { query: ME }, w.hubCarer.token!, accept);
      expect([full.status, code(full)]).toEqual([400, ['TRUSTED_DOCUMENTS_ONLY']]);
      expect(full.body.errors![0].message).toMatch(/documentId/);
    }
    const unknown = await post(t, { documentId: `sha256:${sha256Hex('{ me { id } }')}` }, w.hubCarer.token!);
    expect([unknown.status, code(unknown)]).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
    // Sending the text along with an unregistered hash does not get it run.
    const apq = await post(t, { query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ me { id } }') } } }, w.hubCarer.token!);
    expect(code(apq)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const url = new URL(t.url);
    url.searchParams.set('query', ME);
    const get = await fetch(url, { headers: { authorization: `Bearer ${w.hubCarer.token}` } });
    expect(get.status).toBe(400);
  });

  test('over WebSocket alike (the socket serves subscriptions only)', async () => {
    const token = w.hubCarer.token!;
    // A registered subscription runs by id, and hears its event.
    const client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    clients.push(client);
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const first = new Promise<any>((resolve) => {
      client.subscribe({ query: '', documentId: `sha256:${sha256Hex(SESSION_CHANGED)}` } as any, { next: resolve, error: (errors) => resolve({ errors }), complete: () => undefined });
    });
    await connected;
    await new Promise((r) => setTimeout(r, 150));
    const scheduled = await post(t, { documentId: `sha256:${sha256Hex(SCHEDULE)}`, variables: { i: sessionInput(w.k, { title: 'Only by id' }) } }, token);
    expect(scheduled.body.data.schedulePeerSupportSession.userErrors).toEqual([]);
    expect(await first).toEqual({ data: { peerSupportSessionChanged: { kind: 'SCHEDULED', session: { title: 'Only by id' } } } });
    // A full document is refused before anything else is looked at, an unknown id is not found,
    // and a registered query named by id is still a query: not served on the socket.
    const full = await overSocket(t, clients, token, { query: SESSION_CHANGED });
    expect(full.errors.map((e: any) => e.extensions?.code)).toEqual(['TRUSTED_DOCUMENTS_ONLY']);
    const unknown = await overSocket(t, clients, token, { query: '', documentId: `sha256:${sha256Hex('subscription { peerSupportSessionChanged { kind } }')}` });
    expect(unknown.errors.map((e: any) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const query = await overSocket(t, clients, token, { query: '', documentId: `sha256:${sha256Hex(ME)}` });
    expect(query.errors.map((e: any) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
  });
});
