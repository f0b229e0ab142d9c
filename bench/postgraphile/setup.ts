import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/** The login role PostGraphile connects as; it may read bench_pg's views and nothing of Hubnet's tables. */
export const POSTGRAPHILE_ROLE = 'hubnet_postgraphile';
// Only ever granted the views of bench_pg on a benchmark database; the password matters only
// where pg_hba asks for one.
const ROLE_PASSWORD = 'hubnet-postgraphile-bench';

/**
 * Creates the role (once per cluster) and the bench_pg schema (recreated on every run, so a changed
 * schema.sql always applies), and returns the URL PostGraphile connects with. Idempotent.
 */
export async function setupPostgraphile(dbUrl: string): Promise<string> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    // Roles belong to the cluster, not the database: another bench database may have made it.
    await db.query(`do $$ begin
        if not exists (select 1 from pg_roles where rolname = '${POSTGRAPHILE_ROLE}') then
          create role ${POSTGRAPHILE_ROLE} login password '${ROLE_PASSWORD}' nosuperuser nocreatedb nocreaterole;
        end if;
      exception when duplicate_object then null;
      end $$`);
    const database = new URL(dbUrl).pathname.slice(1);
    await db.query(`grant connect on database "${database.replace(/"/g, '""')}" to ${POSTGRAPHILE_ROLE}`);
    await db.query('begin');
    await db.query(fs.readFileSync(path.join(__dirname, 'schema.sql'), 'utf8'));
    await db.query('commit');
  } catch (e) {
    await db.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await db.end();
  }
  const url = new URL(dbUrl);
  url.username = POSTGRAPHILE_ROLE;
  url.password = ROLE_PASSWORD;
  return url.toString();
}
