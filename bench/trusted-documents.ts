/**
 * The hub dashboard sent by trusted-document id against the same dashboard as full text: what
 * naming a registered document saves the server (parsing and hashing the text; the id is looked
 * up once, then held in memory). A scratch database on DATABASE_URL's server with the demo data;
 * the service runs in this process, as in production (NODE_ENV=production).
 *
 *   npx ts-node --transpile-only bench/trusted-documents.ts [seconds=15] [connections=8]
 */
import 'reflect-metadata';
import pg from 'pg';
import { addTrustedDocuments, sha256Hex } from '../src/documents/trusted-documents';
import { loadConfig } from '../src/platform/config';
import { startService } from '../src/app/boot';
import { DEMO_PASSWORD, seedDemo } from '../src/seed/demo';
import { todayLondon, addDays } from '../src/platform/time';
import { closedLoop, probe, type Request } from './load';
import { HUB_DASHBOARD } from './queries';

async function main() {
  const seconds = Number(process.argv[2] ?? 15);
  const connections = Number(process.argv[3] ?? 8);
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hubnet_bench_documents_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    PORT: '0',
    DATABASE_URL: url.toString(),
    HUBNET_DATA_DIR: 'memory',
    JWT_SECRET: 'bench-secret-0123456789abcdef',
    LOG_LEVEL: 'silent',
    HUBNET_WORKER: '0',
  });
  const service = await startService(config);
  try {
    await seedDemo(service.app.orm.em.fork());
    await addTrustedDocuments(service.app.orm.em.fork(), [[sha256Hex(HUB_DASHBOARD), HUB_DASHBOARD]]);
    const login = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($i: LoginInput!) { login(input: $i) { token } }', variables: { i: { email: 'hub@demo.hubnet.test', password: DEMO_PASSWORD } } }),
    });
    const token = ((await login.json()) as { data: { login: { token: string } } }).data.login.token;
    const today = todayLondon();
    const variables = { from: today, to: addDays(today, 28), now: new Date().toISOString() };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const byText: Request = { headers, body: JSON.stringify({ query: HUB_DASHBOARD, variables }) };
    const byId: Request = { headers, body: JSON.stringify({ documentId: `sha256:${sha256Hex(HUB_DASHBOARD)}`, variables }) };
    await probe(service.url, byText);
    await probe(service.url, byId);
    console.log(`hub dashboard, ${connections} connections, ${seconds} s each (closed loop), request body ${byText.body.length} B by text, ${byId.body.length} B by id`);
    for (let round = 0; round < 2; round++) {
      for (const [label, r] of [
        ['full document', byText],
        ['documentId', byId],
      ] as const) {
        const res = await closedLoop(service.url, connections, seconds, () => r);
        console.log(`${label.padEnd(14)} ${res.rps.toFixed(0).padStart(5)} req/s  p50 ${res.p50} ms  p99 ${res.p99} ms  errors ${res.errors}`);
      }
    }
  } finally {
    await service.stop();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
