import fs from 'node:fs';
import { execSync, spawn } from 'node:child_process';
import { TokenService } from '../src/auth/tokens';
import { seedBenchExtras } from '../bench/actors';
import { closedLoop } from '../bench/load';
import { HUB_DASHBOARD } from '../bench/queries';
import { addDays, todayLondon } from '../src/platform/time';
const DB = 'postgres://postgres@127.0.0.1:5432/hubnet_bench';
const SECRET = 'bench-secret-0123456789abcdefghij';
const ticks = (pid: number) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const pgTicks = () => execSync(`pgrep -u postgres postgres`).toString().trim().split('\n').map(Number).reduce((a, p) => { try { return a + ticks(p); } catch { return a; } }, 0);
async function run(label: string, args: string[], port: number) {
  const child = spawn(process.execPath, args, { cwd: '/work/main', env: { ...process.env, PORT: String(port), JWT_SECRET: SECRET, DATABASE_URL: DB, NODE_ENV: 'production', HUBNET_SKIP_MIGRATIONS: '1', LOG_LEVEL: 'warn', HUBNET_WORKER: '0', HUBNET_STATEMENT_HEADER: '0', DB_POOL_MAX: '10', TS_NODE_TRANSPILE_ONLY: '1' }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let i = 0; ; i++) { try { await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }); break; } catch { await new Promise((r) => setTimeout(r, 200)); } }
  const a = await seedBenchExtras(DB);
  const hub = await new TokenService(SECRET).issue(a.hubCarerUserId, a.organisationId);
  const today = todayLondon();
  const req = () => ({ headers: { 'content-type': 'application/json', authorization: `Bearer ${hub}` }, body: JSON.stringify({ query: HUB_DASHBOARD, variables: { from: today, to: addDays(today, 28), now: new Date().toISOString() } }) });
  await closedLoop(url, 10, 3, req);
  const n0 = ticks(child.pid!), p0 = pgTicks(), s0 = process.cpuUsage();
  const r = await closedLoop(url, 10, 10, req);
  const n1 = ticks(child.pid!), p1 = pgTicks(), s1 = process.cpuUsage(s0);
  const reqs = r.requests;
  console.log(`${label}: ${r.rps.toFixed(0)} req/s; CPU ms per request: server ${((n1 - n0) / reqs).toFixed(2)}, postgres ${((p1 - p0) / reqs).toFixed(2)}, load generator ${((s1.user + s1.system) / 1000 / reqs).toFixed(2)}`);
  child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r));
}
(async () => {
  await run('hubnet', ['dist/src/main.js'], 4811);
  if (!process.env.NOBASE) await run('baseline', ['-r', 'ts-node/register/transpile-only', 'bench/baseline/server.ts'], 4812);
})();
