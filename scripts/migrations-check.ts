import 'reflect-metadata';
import pg from 'pg';
import { migrateUp, schemaDrift } from '../src/platform/db/migrate';
import { createHubnetOrm } from '../src/app/orm';

/**
 * CI guard: migrate an empty database with the committed migrations, then ask MikroORM what the
 * entities would still change. Anything left means an entity changed without a migration.
 */
async function main() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hubnet_migcheck_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  let failed = false;
  try {
    const orm = await createHubnetOrm({ url: url.toString(), poolMax: 2 });
    try {
      const applied = await migrateUp(orm);
      console.log(`applied ${applied.length} migrations`);
      const drift = await schemaDrift(orm);
      if (drift.length) {
        failed = true;
        console.error('Entities and migrations disagree; the entities would still apply:\n' + drift.join('\n'));
      } else {
        console.log('entities and migrated database agree');
      }
    } finally {
      await orm.close();
    }
  } finally {
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
