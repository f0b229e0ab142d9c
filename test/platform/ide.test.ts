import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { scheduleOk } from '../sessions/helpers';
import { startTestApp, type TestApp } from '../support/app';
import { FIXTURE_PASSWORD } from '../support/fixtures';

/**
 * The IDE in a real headless Chromium (Debian's package): it must load the schema, log in, run a
 * query and a subscription, and make no request to anywhere but this service.
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) console.warn(`IDE browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
const browserTest = haveChromium ? test : test.skip;

// The embedded database serves one app at a time: each describe runs its own, one after another.
describe('outside production', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<TestApp['fx']['world']>>;
  beforeAll(async () => {
    t = await startTestApp();
    w = await t.fx.world();
  });
  afterAll(async () => t.stop());

  test('a browser asking for /graphql gets the IDE page with a strict policy; GraphQL clients and unknown files do not', async () => {
    const page = await fetch(t.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe|https?:/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const src of html.match(/(?:src|href)="\/ide\/[^"]+"/g)!) {
      const res = await fetch(new URL(src.split('"')[1], t.url));
      expect([src, res.status]).toEqual([src, 200]);
    }
    expect((await fetch(new URL('/ide/../package.json', t.url))).status).toBe(404);
    expect((await fetch(new URL('/ide/package.json', t.url))).status).toBe(404);
    // A query by GET is the API's even from a browser.
    const api = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html,application/json;q=0.9' } });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });

  browserTest(
    'GraphiQL loads the schema, logs in, runs a query and a subscription, and asks nothing of any other origin',
    async () => {
      const origin = new URL(t.url).origin;
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubnet-ide-chromium-'));
      let context: BrowserContext | undefined;
      try {
        context = await chromium.launchPersistentContext(userDataDir, {
          executablePath: CHROMIUM,
          headless: true,
          args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
          viewport: { width: 1400, height: 900 },
        });
        const requests: string[] = [];
        const problems: string[] = [];
        context.on('request', (r) => requests.push(r.url()));
        const page: Page = context.pages()[0] ?? (await context.newPage());
        let subscribed!: () => void;
        const subscribeSent = new Promise<void>((r) => (subscribed = r));
        page.on('websocket', (ws) => {
          requests.push(ws.url());
          ws.on('framesent', (f) => String(f.payload).includes('"type":"subscribe"') && subscribed());
        });
        page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`console: ${m.text()}`);
        });

        const introspected = page.waitForResponse((r) => r.url() === t.url && (r.request().postData() ?? '').includes('__schema'));
        const nav = await page.goto(`${origin}/graphql`);
        expect(nav?.status()).toBe(200);
        expect((await (await introspected).json()).data.__schema.queryType.name).toBe('Query');

        // The schema's docs: the root query type and one of its fields with its description.
        await page.getByRole('button', { name: /documentation explorer/i }).click();
        await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
        await page.locator('.graphiql-doc-explorer').getByText('stabilityReport', { exact: true }).first().waitFor();

        // Log in through the panel; the token lands in the Headers tab.
        const email = (await t.fx.sql(`select email from app_user where id = $1`, [w.hubCarer.userId]))[0].email;
        await page
          .getByRole('button', { name: /log in/i })
          .first()
          .click();
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill(FIXTURE_PASSWORD);
        await page.locator('.hubnet-login button[type=submit]').click();
        await page
          .getByText('Logged in as Helen Hub', { exact: false })
          .waitFor()
          .catch(async (err) => {
            if (process.env.IDE_SCREENSHOT) await page.screenshot({ path: process.env.IDE_SCREENSHOT });
            throw err;
          });
        const editors = await page.evaluate<string[]>(`[...document.querySelectorAll('.graphiql-editor-tool .CodeMirror')].map((e) => e.CodeMirror.getValue())`);
        expect(editors.some((text) => /"Authorization": "Bearer [\w.-]+"/.test(text))).toBe(true);

        // The default query, with the token.
        await page.locator('.graphiql-execute-button').click();
        await page.locator('.result-window').getByText('"Helen Hub"').waitFor();

        // A subscription over graphql-ws with the same token.
        // CodeMirror 5 hangs its editor object on its element.
        await page.evaluate(
          `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify('subscription Sessions {\n  peerSupportSessionChanged {\n    kind\n    session { title }\n  }\n}\n')})`,
        );
        // GraphiQL takes the operation's name from the editor after a debounce; run before it has and
        // it sends the previous query's name ("Me") with the new document.
        await page.waitForFunction(`!document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue().includes('query Me')`);
        await page.waitForTimeout(1_000);
        await page.locator('.graphiql-execute-button').click();
        await Promise.race([subscribeSent, page.waitForTimeout(30_000).then(() => Promise.reject(new Error('the IDE sent no subscribe message over its WebSocket')))]);
        // The server registers the operation's listener just after the subscribe message arrives.
        await page.waitForTimeout(300);
        await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Seen in the IDE' });
        await page.locator('.result-window').getByText('"Seen in the IDE"').waitFor();

        if (process.env.IDE_SCREENSHOT) await page.screenshot({ path: process.env.IDE_SCREENSHOT });

        expect(requests.length).toBeGreaterThan(5);
        expect(requests.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith(`${origin.replace(/^http/, 'ws')}/`) || u.startsWith('data:')))).toEqual([]);
        expect(requests).toContain(`${origin.replace(/^http/, 'ws')}/graphql`);
        expect(problems).toEqual([]);
      } finally {
        await context?.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('in production', () => {
  test('in production the IDE is off unless HUBNET_IDE=1, and introspection follows it', async () => {
    for (const [ide, on] of [
      ['', false],
      ['1', true],
    ] as const) {
      const p = await startTestApp({ NODE_ENV: 'production', HUBNET_IDE: ide });
      try {
        const page = await fetch(p.url, { headers: { accept: 'text/html' } });
        expect(page.headers.get('content-type') ?? '').toMatch(on ? /^text\/html/ : /json/);
        expect((await fetch(new URL('/ide/hubnet-ide.js', p.url))).status).toBe(on ? 200 : 404);
        const schema = await p.gql('{ __schema { queryType { name } } }');
        // Off: refused (one error per introspection field); on: answered.
        expect((schema.errors?.length ?? 0) > 0).toBe(!on);
        if (on) expect(schema.data.__schema.queryType.name).toBe('Query');
      } finally {
        await p.stop();
      }
    }
  });
});
