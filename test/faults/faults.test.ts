import { execSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { TokenService } from '../../src/auth/tokens';
import { createHubnetOrm } from '../../src/app/orm';
import { startServiceProcess, type ServiceProcess } from '../support/process';

/**
 * Faults on a real PostgreSQL, against the service running as its own process: connections
 * killed and the server restarted mid-load. Requests must fail cleanly (masked error with a
 * request id, no hang past the pool's acquire timeout), /readyz must say so, the service must
 * recover by itself, and nothing may be half-written.
 */
const BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SECRET = 'fault-test-secret-0123456789abcdef';
const ACQUIRE_TIMEOUT_MS = 10_000;

let dbName: string;
let dbUrl: string;
let admin: pg.Client;
let svc: ServiceProcess;
let token: string;

const CREATE = `mutation($i: CreateHouseholdInput!) { createHousehold(input: $i) { household { id } userErrors { code } } }`;

async function send(name: string): Promise<{ ok: boolean; masked: boolean; ms: number; status: number; body?: string }> {
  const started = Date.now();
  try {
    const res = await fetch(svc.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE, variables: { i: { name, postcodeDistrict: 'LS6' } } }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as any;
    const ok = !!body.data?.createHousehold?.household?.id;
    const err = body.errors?.[0];
    const masked =
      !ok && err?.message === 'Internal server error' && err.extensions?.code === 'INTERNAL_SERVER_ERROR' && typeof err.extensions?.requestId === 'string' && !JSON.stringify(body).includes('    at ');
    const unauth = err?.extensions?.code === 'UNAUTHENTICATED';
    return { ok, masked: masked || unauth, ms: Date.now() - started, status: res.status, body: JSON.stringify(body).slice(0, 500) };
  } catch (e) {
    return { ok: false, masked: false, ms: Date.now() - started, status: 0, body: String(e) };
  }
}

async function counts(prefix: string) {
  const h = await admin.query(`select count(*)::int n from household where name like $1`, [`${prefix}%`]);
  const a = await admin.query(
    `select count(*)::int n from audit_event e join household h on e.subject_id = rtrim(translate(encode(convert_to('Household:' || h.id::text, 'UTF8'), 'base64'), '+/', '-_'), '=')
      where h.name like $1`,
    [`${prefix}%`],
  );
  const audits = await admin.query(`select count(*)::int n from audit_event where action = 'Household.create' and request_id is not null`);
  return { households: h.rows[0].n, matchedAudits: a.rows[0].n, allAudits: audits.rows[0].n };
}

async function ready(): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${svc.port}/readyz`, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}

async function untilReady(ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await ready()) === 200) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

async function connectAdmin() {
  admin = new pg.Client({ connectionString: dbUrl });
  admin.on('error', () => undefined);
  await admin.connect();
}

beforeAll(async () => {
  dbName = `hubnet_fault_${crypto.randomBytes(4).toString('hex')}`;
  const a = new pg.Client({ connectionString: BASE });
  await a.connect();
  await a.query(`create database ${dbName}`);
  await a.end();
  const u = new URL(BASE);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
  svc = await startServiceProcess({ DATABASE_URL: dbUrl, JWT_SECRET: SECRET, DB_POOL_MAX: '5' });
  await connectAdmin();
  const org = await admin.query(`insert into organisation (name, kind) values ('Fault Council', 'LOCAL_AUTHORITY') returning id`);
  const user = await admin.query(`insert into app_user (organisation_id, email, name, role, password_hash) values ($1, $2, 'Manager', 'FOSTERING_MANAGER', 'x') returning id`, [
    org.rows[0].id,
    `m-${dbName}@example.test`,
  ]);
  token = await new TokenService(SECRET).issue(user.rows[0].id, org.rows[0].id);
}, 90_000);

afterAll(async () => {
  await svc?.stop();
  await admin?.end().catch(() => undefined);
  const a = new pg.Client({ connectionString: BASE });
  await a.connect();
  await a.query(`drop database if exists ${dbName} with (force)`);
  await a.end();
});

/** Keeps `concurrency` requests in flight until `total` are sent. */
async function load(prefix: string, total: number, concurrency: number, midway: () => Promise<void>) {
  const results: Awaited<ReturnType<typeof send>>[] = [];
  let next = 0;
  let fired = false;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      if (!fired && i >= total / 3) {
        fired = true;
        await midway();
      }
      results.push(await send(`${prefix}${i}`));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

test("killing the service's connections mid-load: clean failures, recovery, no partial writes", async () => {
  const results = await load('kill-', 120, 8, async () => {
    await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'hubnet'`, [dbName]);
  });
  const ok = results.filter((r) => r.ok).length;
  const failedCleanly = results.filter((r) => !r.ok && r.masked).length;
  console.log(`pg_terminate_backend mid-load: ${results.length} requests, ${ok} succeeded, ${failedCleanly} failed cleanly, slowest ${Math.max(...results.map((r) => r.ms))} ms`);
  expect(results.filter((r) => !r.ok && !r.masked).map((r) => r.body)).toEqual([]);
  expect(ok + failedCleanly).toBe(results.length);
  expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(ACQUIRE_TIMEOUT_MS + 5_000);
  expect(await untilReady(15_000)).toBe(true);
  expect((await send('kill-after')).ok).toBe(true);
  const c = await counts('kill-');
  // Every household written has its audit event (same transaction), and only successes were written.
  expect(c.households).toBe(ok + 1);
  expect(c.matchedAudits).toBe(c.households);
}, 120_000);

test('restarting PostgreSQL mid-load: not ready while it is down, recovers by itself, no partial writes', async () => {
  const cluster = fs.readdirSync('/etc/postgresql')[0];
  let sawNotReady = false;
  const results = await load('restart-', 90, 6, async () => {
    // Stop, observe /readyz while the database is down, then start again.
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main stop -m fast`, { stdio: 'ignore' });
    sawNotReady = (await ready()) === 503;
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${cluster} main start`, { stdio: 'ignore' });
  });
  await admin.end().catch(() => undefined);
  await connectAdmin();
  const ok = results.filter((r) => r.ok).length;
  const failedCleanly = results.filter((r) => !r.ok && r.masked).length;
  console.log(`PostgreSQL restart mid-load: ${results.length} requests, ${ok} succeeded, ${failedCleanly} failed cleanly, slowest ${Math.max(...results.map((r) => r.ms))} ms`);
  expect(sawNotReady).toBe(true);
  expect(ok + failedCleanly).toBe(results.length);
  expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(ACQUIRE_TIMEOUT_MS + 5_000);
  expect(await untilReady(30_000)).toBe(true);
  expect((await send('restart-after')).ok).toBe(true);
  const c = await counts('restart-');
  expect(c.households).toBeGreaterThanOrEqual(ok + 1);
  expect(c.matchedAudits).toBe(c.households);
}, 180_000);

test('connections carry statement and idle-in-transaction timeouts', async () => {
  const orm = await createHubnetOrm({ url: dbUrl, poolMax: 1 });
  try {
    const em = orm.em.fork();
    const [st] = await em.execute(`show statement_timeout`);
    const [it] = await em.execute(`show idle_in_transaction_session_timeout`);
    expect(st.statement_timeout).toBe('15s');
    expect(it.idle_in_transaction_session_timeout).toBe('30s');
  } finally {
    await orm.close(true);
  }
});

test('graceful shutdown: in-flight requests finish, new ones are refused', async () => {
  // Hold the requests inside the service: a lock makes every insert wait in the database.
  const locker = new pg.Client({ connectionString: dbUrl });
  await locker.connect();
  await locker.query('begin');
  await locker.query('lock table household in exclusive mode');
  const inflight = Array.from({ length: 20 }, (_, i) => send(`shutdown-${i}`));
  const end = Date.now() + 10_000;
  for (;;) {
    const waiting = await admin.query(`select count(*)::int n from pg_stat_activity where datname = $1 and application_name = 'hubnet' and wait_event_type = 'Lock'`, [dbName]);
    if (waiting.rows[0].n >= 5 || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300)); // the other 15 are queued for a pooled connection
  const exit = svc.stop('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  const late = await send('shutdown-late');
  await locker.query('commit');
  await locker.end();
  const results = await Promise.all(inflight);
  expect(await exit).toBe(0);
  expect(results.filter((r) => !r.ok).map((r) => r.body)).toEqual([]);
  expect(late.ok).toBe(false);
  expect([0, 503]).toContain(late.status);
  const c = await counts('shutdown-');
  expect(c.households).toBe(20);
  expect(c.matchedAudits).toBe(20);
}, 60_000);
