import { resolveVapidKeys } from '../notifications/channels/push';
import { startNotifications, type NotificationRuntime } from '../notifications/worker';
import type { Config } from '../platform/config';
import type { Orm } from '../platform/db/orm';
import type { Logger } from '../platform/log';

/**
 * The notification queue (and, with `work`, the delivery worker and the reminder scheduler), as
 * both `npm start` and `npm run worker` run it. `databaseUrl` null: the embedded database, whose
 * single connection the queue shares through the ORM.
 */
export function startNotificationRuntime(config: Config, orm: Orm, log: Logger, databaseUrl: string | null, work: boolean): Promise<NotificationRuntime> {
  return startNotifications({
    orm,
    log,
    config: { ...config.notifications, worker: work },
    vapid: resolveVapidKeys({
      publicKey: config.notifications.vapidPublicKey,
      privateKey: config.notifications.vapidPrivateKey,
      subject: config.notifications.vapidSubject,
      dataDir: config.dataDir,
      embedded: !config.databaseUrl,
      from: config.notifications.from,
    }),
    databaseUrl,
    work,
  });
}
