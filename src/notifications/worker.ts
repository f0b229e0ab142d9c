import PgBoss from 'pg-boss';
import type { NotificationsConfig } from '../platform/config';
import type { Orm } from '../platform/db/orm';
import type { Logger } from '../platform/log';
import { smtpChannel } from './channels/email';
import { webPushChannel, type VapidKeys } from './channels/push';
import { deliverBatch, markBatchDead, type Channels, type DeliveryOptions } from './delivery';
import { DEAD_LETTER_QUEUE, DELIVERY_QUEUE, deliveryWakeups, type DeliveryJob, ormDb, PGBOSS_SCHEMA, TICK_QUEUE } from './queue';
import { requeueStranded, tick } from './scheduler';

declare module '../platform/app' {
  interface App {
    /** The notification queue, and the delivery worker when this process runs it. */
    notifications: NotificationRuntime;
  }
}

export interface NotificationRuntimeOptions {
  orm: Orm;
  log: Logger;
  config: NotificationsConfig;
  vapid: VapidKeys | null;
  /**
   * A real PostgreSQL: pg-boss gets its own small pool there, so polling never competes with
   * requests for the ORM's connections. Null for the embedded database, where pg-boss's SQL runs
   * on the ORM's single connection through an adapter.
   */
  databaseUrl: string | null;
  /** Deliver and run the scheduler here (false: only make sure the queue's schema and queues exist). */
  work: boolean;
  /** Overrides for tests (e.g. a shorter lease); channels too, to test a failing one. */
  leaseSeconds?: number;
  channels?: Partial<Channels>;
  /** Schedule the per-minute tick (tests tick by hand with an injected clock). */
  schedule?: boolean;
}

export interface NotificationRuntime {
  /** The VAPID public key browsers subscribe with; null when push is not configured. */
  pushPublicKey: string | null;
  channels: Channels;
  working: boolean;
  stop(): Promise<void>;
}

const LEASE_SECONDS = 120;

/**
 * Starts pg-boss: installs or upgrades its schema and our queues (every process does, so an API
 * replica can enqueue even before any worker ran), and, in a worker, the delivery workers, the
 * dead-letter handler and the per-minute scheduler tick.
 */
export async function startNotifications(opts: NotificationRuntimeOptions): Promise<NotificationRuntime> {
  const { orm, log, config } = opts;
  const channels: Channels = {
    email: opts.channels?.email !== undefined ? opts.channels.email : config.smtpUrl ? smtpChannel(config.smtpUrl, config.from) : null,
    push: opts.channels?.push !== undefined ? opts.channels.push : opts.vapid ? webPushChannel(opts.vapid) : null,
  };
  const boss = new PgBoss({
    schema: PGBOSS_SCHEMA,
    ...(opts.databaseUrl ? { connectionString: opts.databaseUrl, max: 3, application_name: 'hubnet-queue' } : { db: ormDb(orm) }),
    supervise: opts.work,
    schedule: opts.work && opts.schedule !== false,
    migrate: true,
    // Expired jobs (a worker that died) are noticed within this many seconds.
    maintenanceIntervalSeconds: 30,
  });
  boss.on('error', (err) => log.error({ err }, 'notification queue error'));
  await boss.start();
  const leaseSeconds = opts.leaseSeconds ?? LEASE_SECONDS;
  await ensureQueues(boss, config, leaseSeconds);
  if (!channels.email) log.info('notifications: SMTP_URL not set, email is not sent (notifications are still recorded)');
  if (!channels.push) log.info('notifications: no VAPID keys, web push is not sent');

  if (!opts.work) {
    await boss.stop({ graceful: false, wait: true, timeout: 2000 });
    return { pushPublicKey: opts.vapid?.publicKey ?? null, channels, working: false, stop: async () => channels.email?.close() };
  }
  const wake = await startWorkers(boss, opts, channels, leaseSeconds);
  deliveryWakeups.on('wake', wake);
  log.info({ concurrency: config.concurrency, email: !!channels.email, push: !!channels.push }, 'notification worker started');
  let stopped = false;
  return {
    pushPublicKey: opts.vapid?.publicKey ?? null,
    channels,
    working: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      deliveryWakeups.off('wake', wake);
      // Lets sends in flight finish (a claimed row is either SENT or left to its lease).
      await boss.stop({ graceful: true, wait: true, timeout: 15_000 });
      channels.email?.close();
    },
  };
}

/** Our queues, created or brought up to date: deliveries (retried, then dead-lettered), dead letters, and the tick. */
async function ensureQueues(boss: PgBoss, config: NotificationsConfig, leaseSeconds: number): Promise<void> {
  await ensureQueue(boss, DEAD_LETTER_QUEUE, {});
  await ensureQueue(boss, DELIVERY_QUEUE, {
    retryLimit: config.maxAttempts - 1,
    retryDelay: config.retryDelaySeconds,
    retryBackoff: true,
    // Longer than a lease, so an expired job's retry finds the dead worker's claim expired too.
    expireInSeconds: leaseSeconds + 30,
    deadLetter: DEAD_LETTER_QUEUE,
  });
  await ensureQueue(boss, TICK_QUEUE, { retryLimit: 0, expireInSeconds: 120 });
}

/**
 * The delivery workers, the dead-letter handler and, when scheduled, the per-minute tick. Returns
 * what wakes the delivery workers at once (for deliveries due now).
 */
async function startWorkers(boss: PgBoss, opts: NotificationRuntimeOptions, channels: Channels, leaseSeconds: number): Promise<() => void> {
  const { orm, log, config } = opts;
  const delivery: DeliveryOptions = { maxAttempts: config.maxAttempts, leaseSeconds, messageIdDomain: domainOf(config.from) };
  const workerIds: string[] = [];
  for (let i = 0; i < config.concurrency; i++) {
    workerIds.push(
      await boss.work<DeliveryJob>(DELIVERY_QUEUE, { batchSize: 1, pollingIntervalSeconds: config.pollSeconds }, async ([job]) => {
        const outcome = await deliverBatch(orm, channels, job.data.batchId, delivery, log);
        if (outcome.state === 'notYet') {
          // Started before its window closed (clock skew between hosts): come back then.
          await boss.send(DELIVERY_QUEUE, job.data, { startAfter: outcome.at, singletonKey: job.data.batchId });
        } else if (outcome.state === 'retrying' || outcome.state === 'dead') {
          // pg-boss retries with exponential backoff and, after the last try, dead-letters the job.
          throw new Error(outcome.error);
        }
      }),
    );
  }
  await boss.work<DeliveryJob>(DEAD_LETTER_QUEUE, { pollingIntervalSeconds: Math.max(config.pollSeconds, 5) }, async ([job]) => {
    const n = await markBatchDead(orm, job.data.batchId);
    if (n) log.error({ batchId: job.data.batchId, rows: n }, 'notification batch dead-lettered');
  });
  if (opts.schedule !== false) {
    await boss.work(TICK_QUEUE, { pollingIntervalSeconds: 10 }, async () => {
      await tick(orm, log);
      await requeueStranded(orm, log);
    });
    await boss.schedule(TICK_QUEUE, '* * * * *', {}, { tz: 'UTC' });
  }
  return () => {
    for (const id of workerIds) boss.notifyWorker(id);
  };
}

async function ensureQueue(boss: PgBoss, name: string, options: Record<string, unknown>): Promise<void> {
  if (!(await boss.getQueue(name))) {
    try {
      await boss.createQueue(name, { name, ...options });
      return;
    } catch (err) {
      // Another replica created it first.
      if (!(await boss.getQueue(name))) throw err;
    }
  }
  await boss.updateQueue(name, { name, ...options });
}

function domainOf(from: string): string {
  const m = /@([^>\s]+)/.exec(from);
  return m ? m[1] : 'hubnet.invalid';
}
