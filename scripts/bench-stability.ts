import 'reflect-metadata';
import fs from 'node:fs';
import pg from 'pg';
import { createHubnetOrm } from '../src/app/orm';
import { sql } from '../src/platform/db/sql';
import { addDays } from '../src/platform/time';
import { DEFAULT_AS_OF } from '../bench/seed/national';
import { childStability, stabilityReport, type StabilityReport } from '../src/stability/stability.service';

/**
 * Times the stability queries on a seeded database (scripts/seed-national.ts):
 *
 *   npx ts-node --transpile-only scripts/bench-stability.ts <DATABASE_URL> [runs] [--explain]
 *
 * The organisation with the most children, a year to the data set's asOf date; the constellation
 * of that organisation with the most satellites; childStability for 20 of its children. Prints
 * the statements each call sent and min / median / p95 / max over the runs, after two warm-up
 * runs. --explain prints EXPLAIN (ANALYZE, BUFFERS) of each statement.
 *
 * On a busy machine wall-clock times measure the queue for a CPU as much as the query, so when
 * PostgreSQL runs on this machine the CPU time its backend spent per call is printed too (from
 * /proc; 10 ms ticks, averaged over the runs).
 */
async function main() {
  const args = process.argv.slice(2);
  const url = args[0];
  const runs = Number(args.find((a, i) => i > 0 && /^\d+$/.test(a)) ?? 30);
  const explain = args.includes('--explain');
  if (!url) throw new Error('usage: bench-stability.ts <DATABASE_URL> [runs] [--explain]');
  const orm = await createHubnetOrm({ url, poolMax: 1 });
  const em = orm.em.fork();

  // Records what reaches the database. Services send their SQL straight to pg (src/platform/db/sql.ts),
  // so pg's client is where every statement passes.
  const statements: [string, unknown[]][] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
  const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (this: unknown, ...a: unknown[]) {
    const q = a[0] as string | { text?: unknown; values?: unknown[] } | null | undefined;
    if (typeof q === 'string') statements.push([q, Array.isArray(a[1]) ? a[1] : []]);
    else if (q && typeof q.text === 'string') statements.push([q.text, q.values ?? []]);
    return query.apply(this, a);
  };

  const to = DEFAULT_AS_OF;
  const from = addDays(to, -364);
  const [org] = await sql(em, `select organisation_id as id, count(*)::int as n from child group by 1 order by 2 desc limit 1`);
  const [constellation] = await sql(
    em,
    `select m.constellation_id as id, count(*)::int as n from constellation_membership m
     where m.organisation_id = $1 and m.role = 'SATELLITE' and m.period @> $2::date
     group by 1 order by 2 desc, 1 limit 1`,
    [org.id, to],
  );
  const children = (await sql(em, `select id from child where organisation_id = $1 order by md5(id::text) limit 20`, [org.id])).map((r) => r.id as string);
  console.log(`organisation ${org.id}: ${org.n} children; constellation ${constellation.id}: ${constellation.n} satellites on ${to}`);
  const [{ pid }] = await sql(em, `select pg_backend_pid() as pid`);
  const ticks = (): number | null => {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
    } catch {
      return null; // PostgreSQL is on another machine
    }
  };
  statements.length = 0;

  const cases: [string, () => Promise<unknown>][] = [
    ['organisation report, one year', () => stabilityReport(em, { organisationId: org.id, scope: { kind: 'ORGANISATION' }, from, to })],
    ['constellation report, one year', () => stabilityReport(em, { organisationId: org.id, scope: { kind: 'CONSTELLATION', constellationId: constellation.id }, from, to })],
    ['no-constellation report, one year', () => stabilityReport(em, { organisationId: org.id, scope: { kind: 'NO_CONSTELLATION' }, from, to })],
    ['childStability, 20 children', () => childStability(em, org.id, children, to)],
  ];
  for (const [name, run] of cases) {
    await run();
    await run();
    statements.length = 0;
    const first = await run();
    const perCall = statements.length;
    const captured = [...statements];
    const times: number[] = [];
    const cpuBefore = ticks();
    const nodeBefore = process.cpuUsage();
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const cpuAfter = ticks();
    const node = process.cpuUsage(nodeBefore);
    const cpu = cpuBefore === null || cpuAfter === null ? '' : `; CPU per call: PostgreSQL ${(((cpuAfter - cpuBefore) * 10) / runs).toFixed(1)} ms`;
    const nodeCpu = `, Node ${((node.user + node.system) / 1000 / runs).toFixed(1)} ms`;
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${name}: ${perCall} statement(s); ms min ${q(0)} median ${q(0.5)} p95 ${q(0.95)} max ${q(1)}${cpu}${cpu ? nodeCpu : ''}`);
    if (name.includes('report')) {
      const r = first as StabilityReport;
      console.log(
        `  looked after ${r.childrenLookedAfter}, 3+ ${r.childrenWithThreeOrMorePlacements} (${r.threeOrMorePlacementsRate?.toFixed(3)}), long-term ${r.longTermStable}/${r.longTermEligible}, endings ${r.placementEndings} (${r.unplannedEndings} unplanned), nights ${r.sleepoverNightsUsed}, households ${r.householdsAtStart} (-${r.householdsDeregistered})`,
      );
    }
    if (explain) {
      for (const [q, params] of captured) {
        const plan = await sql<{ 'QUERY PLAN': string }>(em, `explain (analyze, buffers) ${q}`, params);
        console.log(plan.map((row) => row['QUERY PLAN']).join('\n'));
      }
    }
  }
  await orm.close(true);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
