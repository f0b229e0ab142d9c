import type { Config } from '../platform/config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../platform/db/embedded';
import type { Orm } from '../platform/db/orm';
import type { Logger } from '../platform/log';
import { createHubnetOrm } from './orm';

export interface Database {
  orm: Orm;
  /** The URL the ORM is connected to (the embedded database's local port when there is no DATABASE_URL). */
  url: string;
  /** The embedded database, when this process started it. */
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/**
 * DATABASE_URL, or the embedded database in HUBNET_DATA_DIR when it is unset. The embedded one
 * has a single connection: nothing may wait on a second one inside a transaction, and its one
 * session outlives the pool's connections, so statements are not prepared by name there.
 */
export async function openDatabase(config: Config, log: Logger, poolMax = config.poolMax): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(config.dataDir);
    url = embedded.url;
    log.info({ dataDir: config.dataDir }, 'embedded PostgreSQL (PGlite) started');
  }
  const orm = await createHubnetOrm({
    url,
    poolMax: embedded ? 1 : poolMax,
    preparedStatements: !embedded && config.preparedStatements,
    log: (message) => log.debug({ component: 'mikro-orm' }, message),
  });
  return {
    orm,
    url,
    embedded,
    async close() {
      await orm.close(true);
      await embedded?.close();
    },
  };
}
