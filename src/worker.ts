import 'reflect-metadata';
import { resolveVapidKeys } from './notifications/channels/push';
import { startNotifications } from './notifications/worker';
import { loadConfig } from './platform/config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './platform/db/embedded';
import { migrateUp } from './platform/db/migrate';
import { createOrm } from './platform/db/orm';
import { createLogger } from './platform/log';

/**
 * `npm run worker`: the notification worker and reminder scheduler alone, without HTTP. Run as
 * many as you like beside API replicas started with HUBNET_WORKER=0; each notification is still
 * delivered once. Without DATABASE_URL it opens the embedded database, which has one owner: stop
 * `npm start` first (or let `npm start` run the worker, as it does by default).
 */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(config.dataDir);
    url = embedded.url;
  }
  const orm = await createOrm({ url, poolMax: embedded ? 1 : 4, preparedStatements: !embedded && config.preparedStatements, log: (m) => log.debug({ component: 'mikro-orm' }, m) });
  if (!config.skipMigrations) await migrateUp(orm);
  const runtime = await startNotifications({
    orm,
    log,
    config: { ...config.notifications, worker: true },
    vapid: resolveVapidKeys({
      publicKey: config.notifications.vapidPublicKey,
      privateKey: config.notifications.vapidPrivateKey,
      subject: config.notifications.vapidSubject,
      dataDir: config.dataDir,
      embedded: !config.databaseUrl,
      from: config.notifications.from,
    }),
    databaseUrl: embedded ? null : url,
    work: true,
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker shutting down: finishing sends in flight');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      await runtime.stop();
      await orm.close(true);
      await embedded?.close();
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
