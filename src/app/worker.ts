import 'reflect-metadata';
import { loadConfig } from '../platform/config';
import { migrateUp } from '../platform/db/migrate';
import { createLogger } from '../platform/log';
import { openDatabase } from './database';
import { startNotificationRuntime } from './notifications';
import { runMain, stopOnSignals } from './process';
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
  // Finishing the sends in flight before the database goes.
  stopOnSignals(log, 'worker', async () => {
    await runtime.stop();
    await db.close();
  });
}

runMain(main);
