import 'reflect-metadata';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createHubnetOrm } from '../src/app/orm';
import { sql } from '../src/platform/db/sql';
import { countStatements, installStatementCounter } from '../src/platform/db/statement-counter';
import { addDays } from '../src/platform/time';
import { constellationReturns, type ReturnFigures } from '../src/returns/returns.service';
import { DEFAULT_AS_OF } from '../bench/seed/national';

/**
 * Times the constellation return on a seeded database (scripts/seed-national.ts):
 *
 *   npx ts-node --transpile-only scripts/bench-returns.ts <DATABASE_URL> [runs]
 *
 * A year to the data set's asOf date: every return of the organisation with the most
 * constellations (what constellationReturns computes), and the return of its constellation with
 * the most support entries. Prints the statements per call and min / median / p95 / max over the
 * runs after two warm-ups. Wall-clock times on a shared machine include waiting for a CPU.
 */
async function main() {
  const [url, runsArg] = process.argv.slice(2);
  if (!url) throw new Error('usage: bench-returns.ts <DATABASE_URL> [runs]');
  const runs = Number(runsArg ?? 30);
  installStatementCounter();
  const orm = await createHubnetOrm({ url, poolMax: 10 });
  const em = orm.em.fork() as unknown as EntityManager;
  const to = DEFAULT_AS_OF;
  const from = addDays(to, -364);
  const [org] = await sql(em, `select organisation_id as id, count(*)::int as n from constellation group by 1 order by 2 desc, 1 limit 1`);
  const ks = (await sql(em, `select id from constellation where organisation_id = $1 order by name, id`, [org.id])).map((r) => r.id as string);
  const [busiest] = await sql(
    em,
    `select constellation_id as id, count(*)::int as n from support_log_entry where organisation_id = $1 and at >= $2::date and at < $3::date + 1 group by 1 order by 2 desc, 1 limit 1`,
    [org.id, from, to],
  );
  const [{ n: entries }] = await sql(em, `select count(*)::int as n from support_log_entry`);
  console.log(`${entries} support entries in all; organisation ${org.id}: ${org.n} constellations; constellation ${busiest?.id}: ${busiest?.n} entries in the year`);
  const input = (ids: string[], comparison: boolean) => ({ organisationId: org.id, constellationIds: ids, comparison, from, to, now: new Date(`${to}T12:00:00Z`), today: to });
  const cases: [string, () => Promise<unknown>][] = [
    [`constellationReturns: ${ks.length} constellations + the comparison group, one year`, () => constellationReturns(em, input(ks, true))],
    ['one constellation, one year', () => constellationReturns(em, input([busiest.id], false))],
  ];
  for (const [name, run] of cases) {
    await run();
    await run();
    const { result, counter } = countStatements(run);
    const first = (await result) as ReturnFigures[];
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      await run();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${name}: ${counter.count} statements; ms min ${q(0)} median ${q(0.5)} p95 ${q(0.95)} max ${q(1)}`);
    const r = first[0];
    console.log(`  first row: support ${JSON.stringify(r.support)}; sleepovers ${JSON.stringify(r.sleepovers)}; contact ${JSON.stringify(r.contact)}`);
  }
  await orm.close(true);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
