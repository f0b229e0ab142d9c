import 'reflect-metadata';
import http from 'node:http';
import { startTestApp, type TestApp } from '../test/support/app';
import { CONFIRM } from '../test/sleepovers/support';

/**
 * Confirmation throughput over HTTP against a real PostgreSQL (a benchmark, not a test):
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx ts-node --transpile-only bench/sleepover-confirmations.ts
 *
 * One hub: confirmations of sleepovers on distinct nights (each succeeds), serialised by the hub's
 * bed lock. Many hubs: the same load spread over 20 hubs. Sequential: one at a time, for latency.
 * Env: CONCURRENCY (default 20), PER_HUB (default 200). The client runs in the same process as the
 * server (node:http with keep-alive: fetch adds ~20 ms a request here), so figures are a floor.
 */
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 20);
const PER_HUB = Number(process.env.PER_HUB ?? 200);

interface Hub {
  k: string;
  liaison: string;
  children: string[];
}

async function hub(t: TestApp, org: string, name: string, children: number): Promise<Hub> {
  const fx = t.fx;
  const liaisonUser = await fx.user(org, 'LIAISON_WORKER');
  const h = await fx.household(org, { name: `${name} hub` });
  const k = await fx.constellation(org, h, { name, liaison: liaisonUser.id });
  const sat = await fx.household(org, { name: `${name} satellite`, maxChildren: 20 });
  await fx.member(org, k, sat);
  const ids = await fx.sql(
    `with c as (insert into child (organisation_id, reference, first_name, date_of_birth)
                select $1, $2 || g, 'Child' || g, current_date - 3000 from generate_series(1, $3::int) g returning id)
     insert into placement (organisation_id, child_id, household_id, setting, kind, start_date)
     select $1, c.id, $4, 'FOSTER_HOUSEHOLD', 'LONG_TERM', current_date - 100 from c returning child_id`,
    [org, `${name}-`, children, sat],
  );
  // Consent standing for every child, as confirmation needs.
  await fx.sql(`insert into sleepover_consent (organisation_id, child_id, given_by, given_on, room_sharing) select $1, unnest($2::uuid[]), 'Bench CSC', current_date - 100, 'OTHER_CHILDREN'`, [
    org,
    ids.map((r) => r.child_id),
  ]);
  return { k, liaison: liaisonUser.token, children: ids.map((r) => r.child_id) };
}

/** Requested sleepovers of one night each on distinct nights, written straight to the tables. */
async function waiting(t: TestApp, org: string, h: Hub, count: number, firstNight: number): Promise<string[]> {
  const sat = (await t.fx.sql(`select household_id from constellation_membership where constellation_id = $1 and role = 'SATELLITE'`, [h.k]))[0].household_id;
  const rows = await t.fx.sql(
    `with s as (insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date)
                select $1, $2, $3, 'PLANNED', 'REQUESTED', current_date + $4::int + g, current_date + $4::int + g + 1 from generate_series(0, $5::int - 1) g
                returning id, start_date)
     select id from s order by start_date`,
    [org, h.k, sat, firstNight, count],
  );
  const ids = rows.map((r) => r.id as string);
  await t.fx.sql(`insert into sleepover_child (sleepover_id, child_id, organisation_id) select unnest($1::uuid[]), unnest($2::uuid[]), $3`, [ids, h.children.slice(0, count), org]);
  return ids.map((id) => Buffer.from(`Sleepover:${id}`).toString('base64url'));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One confirmation over HTTP; true when it confirmed. */
function confirm(url: string, token: string, sleepoverId: string): Promise<boolean> {
  const body = JSON.stringify({ query: CONFIRM, variables: { i: { sleepoverId } } });
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const r = JSON.parse(text);
          resolve(!r.errors && r.data.confirmSleepover.userErrors.length === 0);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(t: TestApp, jobs: { token: string; id: string }[], concurrency: number) {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const t0 = performance.now();
        const confirmed = await confirm(t.url, job.token, job.id);
        latencies.push(performance.now() - t0);
        if (confirmed) ok++;
        else failed++;
      }
    }),
  );
  const s = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  return `${ok} confirmed, ${failed} failed in ${s.toFixed(2)} s = ${(ok / s).toFixed(0)} confirmations/s; latency p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`;
}

async function main() {
  if (!process.env.TEST_DATABASE_URL) throw new Error('Set TEST_DATABASE_URL to a real PostgreSQL.');
  const t = await startTestApp({ DB_POOL_MAX: String(Math.max(10, CONCURRENCY)) });
  try {
    const org = await t.fx.organisation('Bench Council');
    const one = await hub(t, org, 'Solo', PER_HUB + 50);
    // Warm up (JIT, pools, plans).
    const warm = await waiting(t, org, one, 50, 1);
    await run(
      t,
      warm.map((id) => ({ token: one.liaison, id })),
      5,
    );

    const seq = await waiting(t, org, one, 50, 100);
    console.log(
      `sequential, one hub:            ${await run(
        t,
        seq.map((id) => ({ token: one.liaison, id })),
        1,
      )}`,
    );
    const contended = await waiting(t, org, { ...one, children: one.children.slice(50) }, PER_HUB, 200);
    console.log(
      `${CONCURRENCY} concurrent, one hub:         ${await run(
        t,
        contended.map((id) => ({ token: one.liaison, id })),
        CONCURRENCY,
      )}`,
    );

    const hubs: Hub[] = [];
    for (let i = 0; i < 20; i++) hubs.push(await hub(t, org, `Hub${i}`, Math.ceil(PER_HUB / 20) + 1));
    const spread: { token: string; id: string }[] = [];
    for (const h of hubs) for (const id of await waiting(t, org, h, Math.ceil(PER_HUB / 20), 1)) spread.push({ token: h.liaison, id });
    console.log(`${CONCURRENCY} concurrent, 20 hubs:         ${await run(t, spread, CONCURRENCY)}`);
  } finally {
    await t.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
