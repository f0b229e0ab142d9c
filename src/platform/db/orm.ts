import { MikroORM, ReflectMetadataProvider, type MigrationObject, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { installPgTypeParsers } from './pg-types';
import { usePreparedStatements } from './sql';

/** The application's schema, named by the composition root (src/app/orm.ts): the platform knows no entity. */
export interface OrmSchema {
  // MikroORM's own option types: entity classes, and its migration list entries.
  entities: NonNullable<Options['entities']>;
  migrations: MigrationObject[];
}

export interface OrmOptions {
  url: string;
  poolMax: number;
  /** Passed to every new connection (statement and idle-in-transaction timeouts). */
  statementTimeoutMs?: number;
  /** Where MikroORM's own messages (migrator progress) go; silent when omitted. */
  log?: (message: string) => void;
  /**
   * sql() prepares its statements by name on each connection (default on). Off for the embedded
   * database, whose one session outlives the pool's connections (a new connection would find the
   * last one's statements), and for a pooler in transaction mode (DB_PREPARED_STATEMENTS=0).
   */
  preparedStatements?: boolean;
}

export function ormConfig(opts: OrmOptions & OrmSchema) {
  installPgTypeParsers();
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: opts.url,
    entities: opts.entities,
    metadataProvider: ReflectMetadataProvider,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      migrationsList: opts.migrations,
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      snapshot: false,
    },
    // A forked EntityManager per request is the only way in; the global one must never be used.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: {
      // Connections stay open when idle (with min = max none is ever reaped, so no idle timeout):
      // a burst after a quiet spell otherwise waits for new PostgreSQL sessions whose statements
      // are all parsed and planned afresh (the hub carer's day at 200 req/s after a 35-s pause:
      // p99 180–230 ms with none kept, 30–36 ms with all).
      min: opts.poolMax,
      max: opts.poolMax,
      acquireTimeoutMillis: 10_000,
    },
    driverOptions: {
      connection: {
        statement_timeout: opts.statementTimeoutMs ?? 15_000,
        idle_in_transaction_session_timeout: 30_000,
        application_name: 'hubnet',
      },
    },
    debug: false,
    logger: opts.log ?? (() => undefined),
  });
}

export async function createOrm(opts: OrmOptions & OrmSchema): Promise<MikroORM<PostgreSqlDriver>> {
  const orm = await MikroORM.init<PostgreSqlDriver>(ormConfig(opts));
  if (opts.preparedStatements !== false) usePreparedStatements(orm.em.getKnex());
  return orm;
}

export type Orm = MikroORM<PostgreSqlDriver>;
