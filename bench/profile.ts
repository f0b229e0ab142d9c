/**
 * `npm run bench:profile`: where a screen's time goes, on the national data set that `npm run bench`
 * loaded (run that first). Writes bench/PROFILE.md with
 *
 *  1. every SQL statement each screen sends, with `EXPLAIN (ANALYZE, BUFFERS)`'s planning and
 *     execution time and the plan's top lines (the statements are captured from a real request);
 *  2. CPU profiles of the Hubnet process (`node --cpu-prof`) under a closed loop of the hub
 *     dashboard and of the hub carer's day screen, summed by self time per function and per package.
 *
 *   BENCH_DATABASE_URL   as for `npm run bench`
 *   BENCH_SECONDS        seconds of load for the CPU profile (default 10)
 *   --explain-only / --cpu-only
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
// pg's own conversion of a JS array into a PostgreSQL array literal.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- pg/lib/utils is an internal CommonJS module with no types
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (v: unknown) => string };
import { TokenService } from '../src/auth/tokens';
import { loadConfig } from '../src/platform/config';
import { startService } from '../src/app/boot';
import { toGlobalId } from '../src/platform/graphql/ids';
import { addDays, todayLondon } from '../src/platform/time';
import { seedBenchExtras } from './actors';
import { closedLoop, graphqlRequest as json, probe, type Request } from './load';
import { freePort } from '../test/support/process';
import { buildService, ROOT, SERVER_NODE_FLAGS, waitForGraphql } from './server-process';
import { CARER_HOME, HUB_DASHBOARD, HUB_DASHBOARD_WITH_DAY, MATCHES, STABILITY_REPORT } from './queries';
import { hubDayVariables } from './screens';

const SECRET = 'bench-secret-0123456789abcdefghij';
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hubnet_bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const args = new Set(process.argv.slice(2));

interface Captured {
  text: string;
  values: unknown[];
}

/** Records what pg sends while `capturing` is set (the in-process service shares this pg module). */
let capturing: Captured[] | null = null;
function installCapture(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
  const original = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: unknown, ...a: unknown[]) {
    if (capturing) {
      const q = a[0] as string | { text?: unknown; values?: unknown[] } | null | undefined;
      if (typeof q === 'string') capturing.push({ text: q, values: Array.isArray(a[1]) ? a[1] : [] });
      else if (q && typeof q.text === 'string') capturing.push({ text: q.text, values: q.values ?? (Array.isArray(a[1]) ? a[1] : []) });
    }
    return original.apply(this, a);
  };
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release|set\s+(local\s+)?transaction)/i;

async function explainScreens(out: string[]): Promise<void> {
  installCapture();
  const actors = await seedBenchExtras(DB_URL);
  const tokens = new TokenService(SECRET);
  const hub = await tokens.issue(actors.hubCarerUserId, actors.organisationId);
  const carer = await tokens.issue(actors.carerUserId, actors.organisationId);
  const manager = await tokens.issue(actors.managerUserId, actors.organisationId);
  const config = loadConfig({ ...process.env, DATABASE_URL: DB_URL, JWT_SECRET: SECRET, PORT: '0', HUBNET_SKIP_MIGRATIONS: '1', HUBNET_WORKER: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production' });
  const service = await startService(config);
  const db = new pg.Client({ connectionString: DB_URL });
  await db.connect();
  const today = todayLondon();
  const now = new Date().toISOString();
  const screens: [string, Request][] = [
    ['hub dashboard', json(hub, HUB_DASHBOARD, { from: today, to: addDays(today, 28), now })],
    ["hub dashboard with the hub carer's day", json(hub, HUB_DASHBOARD_WITH_DAY, hubDayVariables(today))],
    ['carer home', json(carer, CARER_HOME, { now })],
    ['organisation stability report (1 year)', json(manager, STABILITY_REPORT, { from: addDays(today, -365), to: today })],
    ['placement matches', json(manager, MATCHES, { childId: toGlobalId('Child', actors.matchChildId), startDate: today })],
  ];
  try {
    for (const [name, req] of screens) await explainScreen(db, service.url, name, req, out);
  } finally {
    await db.end();
    await service.stop();
  }
}

/** One screen: every statement one request of it sends, timed and planned, as a table and the plans below it. */
async function explainScreen(db: pg.Client, url: string, name: string, req: Request, out: string[]): Promise<void> {
  const statements = await statementsOf(url, req);
  out.push(`## ${name}: ${statements.length} statements`, '');
  out.push(
    '| # | planning ms | execution ms | generic plan execution ms | steady plan | est. cost custom / generic | steady planning ms | steady execution ms | shared hit / read | statement (start) |',
    '| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |',
  );
  const plans: string[] = [];
  let total = 0;
  let genericTotal = 0;
  let steadyTotal = 0;
  for (const [i, s] of statements.entries()) {
    const [row] = (await db.query(`explain (analyze, buffers, format json) ${s.text}`, s.values)).rows;
    const plan = row['QUERY PLAN'][0];
    const text = (await db.query(`explain (analyze, buffers, costs off, timing on) ${s.text}`, s.values)).rows.map((r) => r['QUERY PLAN']);
    total += plan['Planning Time'] + plan['Execution Time'];
    const top = plan.Plan;
    // The service runs named prepared statements, which PostgreSQL may run on a generic plan
    // (one for any values) after five executions: that plan, forced, with the same values.
    const generic = await genericPlan(db, s);
    genericTotal += generic.ms;
    const steady = await steadyPlan(db, s);
    steadyTotal += steady.planning + steady.execution;
    out.push(
      `| ${i + 1} | ${plan['Planning Time'].toFixed(2)} | ${plan['Execution Time'].toFixed(2)} | ${generic.ms.toFixed(2)} | ${steady.kind} | ${steady.costs[0].toFixed(0)} / ${steady.costs[1].toFixed(0)} | ${steady.planning.toFixed(2)} | ${steady.execution.toFixed(2)} | ${top['Shared Hit Blocks'] ?? 0} / ${top['Shared Read Blocks'] ?? 0} | \`${oneLine(s.text).slice(0, 110)}\` |`,
    );
    plans.push(...planSection(`${name} #${i + 1}`, s, text, generic.plan));
  }
  out.push(
    '',
    `Planning + execution, all statements: ${total.toFixed(1)} ms; on generic plans, execution ${genericTotal.toFixed(1)} ms; in the steady state, planning + execution ${steadyTotal.toFixed(1)} ms.`,
    '',
    '<details><summary>Statements and plans</summary>',
    '',
    ...plans,
    '</details>',
    '',
  );
  console.log(`${name}: ${statements.length} statements, ${total.toFixed(1)} ms in PostgreSQL`);
}

/** The statements one request sends (transaction control left out), after warming the caches the way a running service has them. */
async function statementsOf(url: string, req: Request): Promise<Captured[]> {
  for (let i = 0; i < 3; i++) await probe(url, req);
  capturing = [];
  await probe(url, req);
  const statements = capturing.filter((s) => !TRANSACTION_CONTROL.test(s.text));
  capturing = null;
  return statements;
}

/** A statement, its plan (the first 40 lines) and its generic plan (the first 30), for PROFILE.md's details. */
function planSection(title: string, s: Captured, plan: string[], generic: string[]): string[] {
  return [
    `### ${title}`,
    '',
    '```sql',
    s.text.trim(),
    '```',
    '',
    '```',
    ...plan.slice(0, 40),
    ...(plan.length > 40 ? [`… ${plan.length - 40} more lines`] : []),
    '```',
    '',
    'Generic plan:',
    '',
    '```',
    ...generic.slice(0, 30),
    '```',
    '',
  ];
}

let prepared = 0;
async function genericPlan(db: pg.Client, s: Captured): Promise<{ ms: number; plan: string[] }> {
  if (!s.values.length) return { ms: 0, plan: ['(no parameters: no generic plan)'] };
  const name = `profile_${++prepared}`;
  await db.query(`prepare ${name} as ${s.text}`);
  try {
    await db.query(`set plan_cache_mode = force_generic_plan`);
    const args = s.values.map((v) => (v == null ? 'null' : db.escapeLiteral(v instanceof Date ? v.toISOString() : prepareValue(v)))).join(', ');
    const plan = (await db.query(`explain (analyze, buffers, costs off) execute ${name}(${args})`)).rows.map((r) => r['QUERY PLAN'] as string);
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1] ?? NaN);
    return { ms, plan };
  } finally {
    await db.query(`set plan_cache_mode = auto`);
    await db.query(`deallocate ${name}`);
  }
}

/**
 * The plan a running service settles on: the statement prepared, run ten times as the service runs
 * it (PostgreSQL chooses between a plan for each execution's values and one generic plan after the
 * fifth), then once more under EXPLAIN. A "custom" statement is planned again on every request.
 */
async function steadyPlan(db: pg.Client, s: Captured): Promise<{ kind: string; planning: number; execution: number; costs: [number, number] }> {
  if (!s.values.length) return { kind: '(simple)', planning: NaN, execution: NaN, costs: [NaN, NaN] };
  const name = `profile_${++prepared}`;
  await db.query(`prepare ${name} as ${s.text}`);
  try {
    const args = s.values.map((v) => (v == null ? 'null' : db.escapeLiteral(v instanceof Date ? v.toISOString() : prepareValue(v)))).join(', ');
    for (let i = 0; i < 10; i++) await db.query(`execute ${name}(${args})`);
    const plan = (await db.query(`explain (analyze, costs off) execute ${name}(${args})`)).rows.map((r) => r['QUERY PLAN'] as string).join('\n');
    const [counts] = (await db.query(`select generic_plans, custom_plans from pg_prepared_statements where name = $1`, [name])).rows;
    // PostgreSQL keeps the generic plan only when its estimated cost is no more than the custom
    // plans' average (plus an allowance for planning): the two estimates say why it chose as it did.
    const cost = async (mode: string) => {
      await db.query(`set plan_cache_mode = ${mode}`);
      const [top] = (await db.query(`explain (format json) execute ${name}(${args})`)).rows[0]['QUERY PLAN'] as [{ Plan: { 'Total Cost': number } }];
      return top.Plan['Total Cost'];
    };
    let costs: [number, number];
    try {
      costs = [await cost('force_custom_plan'), await cost('force_generic_plan')];
    } finally {
      await db.query(`set plan_cache_mode = auto`);
    }
    return {
      costs,
      kind: Number(counts.generic_plans) > 0 ? 'generic' : 'custom',
      planning: Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1] ?? 0),
      execution: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN),
    };
  } finally {
    await db.query(`deallocate ${name}`);
  }
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function and per package from a .cpuprofile (samples × interval). */
function summarise(file: string, out: string[]): void {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const url = n.callFrame.url;
    const where = url.includes('node_modules/')
      ? url
          .slice(url.lastIndexOf('node_modules/') + 13)
          .split('/')
          .slice(0, url.includes('node_modules/@') ? 2 : 1)
          .join('/')
      : url.includes('/src/') || url.includes('/dist/')
        ? 'hubnet src/'
        : url.startsWith('node:')
          ? 'node core'
          : n.callFrame.functionName.startsWith('(')
            ? n.callFrame.functionName
            : 'other';
    pkg.set(where, (pkg.get(where) ?? 0) + us);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(ROOT + '/', '')}:${n.callFrame.lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
  }
  const pct = (us: number) => ((100 * us) / total).toFixed(1);
  out.push(`Samples: ${(total / 1000).toFixed(0)} ms of CPU in the Hubnet process.`, '');
  out.push('| where | self % |', '| --- | ---: |');
  for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`| ${k} | ${pct(us)} |`);
  out.push('', '| function | self % |', '| --- | ---: |');
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 30)) out.push(`| \`${k.replace(/\|/g, '\\|')}\` | ${pct(us)} |`);
  out.push('');
}

/** CPU profiles of the Hubnet process under a closed loop of each screen whose time is in the server. */
async function cpuProfiles(out: string[]): Promise<void> {
  const actors = await seedBenchExtras(DB_URL);
  const tokens = new TokenService(SECRET);
  const hub = await tokens.issue(actors.hubCarerUserId, actors.organisationId);
  const today = todayLondon();
  // Compiled and with the flags it is deployed with (as `npm run bench` runs it).
  buildService();
  await cpuProfile(out, 'hub dashboard', () => json(hub, HUB_DASHBOARD, { from: today, to: addDays(today, 28), now: new Date().toISOString() }));
  await cpuProfile(out, "hub dashboard with the hub carer's day", () => json(hub, HUB_DASHBOARD_WITH_DAY, hubDayVariables(today)));
}

async function cpuProfile(out: string[], name: string, request: () => Request): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubnet-prof-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/src/app/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      JWT_SECRET: SECRET,
      DATABASE_URL: DB_URL,
      TS_NODE_TRANSPILE_ONLY: '1',
      NODE_ENV: 'production',
      HUBNET_SKIP_MIGRATIONS: '1',
      LOG_LEVEL: 'warn',
      HUBNET_WORKER: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForGraphql(url, child, () => 'Hubnet');
  await closedLoop(url, 10, 3, request);
  const r = await closedLoop(url, 10, SECONDS, request);
  child.kill('SIGTERM');
  await new Promise((res) => child.once('exit', res));
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile written in ${dir}`);
  out.push(`## CPU profile: ${name}, closed loop, 10 clients, ${SECONDS} s (${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms)`, '');
  summarise(path.join(dir, file), out);
  console.log(`CPU profile of the ${name}: ${path.join(dir, file)} (open it in Chrome DevTools or speedscope for the call tree)`);
}

async function main() {
  const out = [
    '# Profile',
    '',
    `Run ${new Date().toISOString()} with \`npm run bench:profile\` on ${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}, on the national data set.`,
    '',
  ];
  if (!args.has('--cpu-only')) await explainScreens(out);
  if (!args.has('--explain-only')) await cpuProfiles(out);
  fs.writeFileSync(path.join(__dirname, 'PROFILE.md'), out.join('\n'));
  console.log(`Wrote ${path.join(__dirname, 'PROFILE.md')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
