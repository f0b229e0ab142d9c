import 'reflect-metadata';
import pg from 'pg';
import { migrateUp } from '../src/platform/db/migrate';
import { createHubnetOrm } from '../src/app/orm';
import { generate, type Scale } from '../bench/seed/national';

/**
 * Migrates a database and fills it with the synthetic data set (bench/seed/national.ts):
 *
 *   npx ts-node --transpile-only scripts/seed-national.ts <DATABASE_URL> [seed] [national|demo]
 *
 * All rows go in one transaction, so a failure leaves the database as it was. Refuses a database
 * that already has organisations: the generator adds a whole data set, it does not merge.
 */
async function main() {
  const [url, seedArg, scaleArg] = process.argv.slice(2);
  if (!url) {
    console.error('usage: seed-national.ts <DATABASE_URL> [seed] [national|demo]');
    process.exit(2);
  }
  const seed = Number(seedArg ?? 1);
  const scale = (scaleArg ?? 'national') as Scale;
  if (!Number.isInteger(seed) || (scale !== 'national' && scale !== 'demo')) {
    console.error('seed must be an integer and scale national or demo');
    process.exit(2);
  }

  const started = Date.now();
  const orm = await createHubnetOrm({ url, poolMax: 1 });
  try {
    const applied = await migrateUp(orm);
    console.log(`migrations applied: ${applied.length}`);
  } finally {
    await orm.close(true);
  }

  const client = new pg.Client({ connectionString: url, application_name: 'hubnet-seed' });
  await client.connect();
  try {
    const existing = await client.query('select count(*)::int as n from organisation');
    if (existing.rows[0].n > 0) {
      console.error(`the database already has ${existing.rows[0].n} organisations; seed an empty one`);
      process.exitCode = 1;
      return;
    }
    await client.query('begin');
    const counts = await generate(client, {
      scale,
      seed,
      log: (m) => console.log(`  ${((Date.now() - started) / 1000).toFixed(1)}s ${m}`),
    });
    await client.query('commit');
    const loaded = Date.now();
    // Fresh statistics, so the first queries are planned on the real row counts.
    await client.query('analyze');
    console.log(JSON.stringify(counts, null, 2));
    console.log(`seeded (${scale}, seed ${seed}) in ${((loaded - started) / 1000).toFixed(1)} s; analyze ${((Date.now() - loaded) / 1000).toFixed(1)} s`);
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
