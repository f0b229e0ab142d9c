import 'reflect-metadata';
import { loadConfig } from '../platform/config';
import { migrateUp } from '../platform/db/migrate';
import { createLogger } from '../platform/log';
import { openDatabase } from './database';
import { startNotificationRuntime } from './notifications';
// Scheduled reminders register as they load.
import './handlers';

/**
 * `npm run worker`: the notification worker and reminder scheduler alone, without HTTP. Run as
 * many as you like beside API replicas started with HUBNET_WORKER=0; each notification is still
 * delivered once. Without DATABASE_URL it opens the embedded database, which has one owner: stop
 * `npm start` first (or let `npm start` run the worker, as it does by default).
 */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const db = await openDatabase(config, log, 4);
  if (!config.skipMigrations) await migrateUp(db.orm);
  const runtime = await startNotificationRuntime(config, db.orm, log, db.embedded ? null : db.url, true);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down: finishing sends in flight');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await runtime.stop();
      await db.close();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'worker shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
