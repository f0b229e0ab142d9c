import crypto from 'node:crypto';
import pg from 'pg';
import { migrateUp } from '../../src/platform/db/migrate';
import type { Orm } from '../../src/platform/db/orm';
import { createHubnetOrm } from '../../src/app/orm';
import { installPgTypeParsers } from '../../src/platform/db/pg-types';
import { sql as runSql } from '../../src/platform/db/sql';

export const embedded = () => process.env.HUBNET_TEST_EMBEDDED === '1';

/**
 * A fresh, migrated database for one test file. On the embedded PGlite there is a single database
 * and connection, so a fresh schema is used instead; on a real PostgreSQL, a fresh database.
 */
export interface TestDb {
  url: string;
  orm: Orm;
  /** Runs SQL straight at the tables (assertions, fixtures) on the ORM's own pool. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createTestDb(opts: { poolMax?: number } = {}): Promise<TestDb> {
  installPgTypeParsers();
  const base = process.env.TEST_DATABASE_URL!;
  if (embedded()) {
    // One connection in all: reset the public schema, migrate, and share the one connection.
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query('drop schema if exists public cascade; drop schema if exists pgboss cascade; create schema public; create extension if not exists btree_gist');
    await admin.end();
    const orm = await createHubnetOrm({ url: base, poolMax: 1, preparedStatements: false });
    await migrateUp(orm);
    return {
      url: base,
      orm,
      sql: sqlVia(orm),
      async drop() {
        await orm.close(true);
      },
    };
  }
  const name = `hubnet_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const url = u.toString();
  const orm = await createHubnetOrm({ url, poolMax: opts.poolMax ?? 10 });
  await migrateUp(orm);
  return {
    url,
    orm,
    sql: sqlVia(orm),
    async drop() {
      await orm.close(true);
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

function sqlVia(orm: Orm) {
  return async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => runSql<T>(orm.em.fork(), text, params);
}
