import { serverAudits } from 'graphql-http';
import { startTestApp, type TestApp } from '../support/app';

/**
 * graphql-http's audits of the GraphQL-over-HTTP specification, run one after another against
 * the started service. Each audit's requests are watched so the ones that need introspection
 * (`__type(…)`, `__schema`) are known by what they send, not from a hand-kept list.
 */
async function audit(url: string) {
  let current = '';
  const introspecting = new Set<string>();
  const fetchFn: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const sent = decodeURIComponent(url) + (typeof init?.body === 'string' ? init.body : '');
    if (/__type\s*\(|__schema/.test(sent)) introspecting.add(current);
    return fetch(input, init);
  };
  const results = [];
  for (const a of serverAudits({ url, fetchFn })) {
    current = a.id;
    results.push(await a.fn());
  }
  const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.id} ${r.status}: ${r.name} (${'reason' in r ? r.reason : ''})`);
  return { results, notOk, introspecting };
}

describe('outside production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.stop());

  test('every audit is ok: no warning, no notice', async () => {
    const { results, notOk } = await audit(t.url);
    expect(results).toHaveLength(61);
    expect(notOk).toEqual([]);
  });

  test('application/json: a document that parses but fails validation is 200 with errors; graphql-response+json: 400', async () => {
    const send = (accept: string) => fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query: '{ nope }' }) });
    const legacy = await send('application/json');
    expect(legacy.status).toBe(200);
    expect(((await legacy.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const modern = await send('application/graphql-response+json');
    expect(modern.status).toBe(400);
    expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  test('a POST without a JSON body is refused as an unsupported media type', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('in production', () => {
  test('every audit that does not rely on introspection is ok', async () => {
    const t = await startTestApp({ NODE_ENV: 'production' });
    try {
      const { results, notOk, introspecting } = await audit(t.url);
      expect(results).toHaveLength(61);
      expect(introspecting.size).toBeGreaterThan(0);
      expect(notOk.filter((line) => !introspecting.has(line.slice(0, 4)))).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
