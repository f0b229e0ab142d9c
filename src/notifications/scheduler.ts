import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { Orm } from '../platform/db/orm';
import { sql } from '../platform/db/sql';
import type { Logger } from '../platform/log';
import { now, ZONE } from '../platform/time';
import type { NotificationKind } from './kinds';
import { notify, type Recipient, type Rendered } from './notify';
import { enqueueDeliveries, wakeDeliveryWorkers } from './queue';

/** One scheduled notification that is due: the same for every replica that asks, so its key dedupes it. */
export interface DueNotification {
  kind: NotificationKind;
  /** (kind, subject, London date) — with the recipient, unique: two replicas ticking write one. */
  dedupeKey: string;
  recipients: string[];
  subject: { type: string; id: string } | null;
  render: (recipient: Recipient) => Rendered;
}

/**
 * "What is due" for one kind, at an instant. Providers are registered by the capability that owns
 * the data, in its `<module>.reminders.ts` (listed in src/app/handlers.ts, as cascade handlers
 * are), and must be pure reads: the scheduler writes.
 */
export interface ReminderProvider {
  kind: NotificationKind;
  due(em: EntityManager, at: Date): Promise<DueNotification[]>;
}

const providers = new Map<NotificationKind, ReminderProvider>();
export function registerReminderProvider(p: ReminderProvider): void {
  providers.set(p.kind, p);
}

/** Europe/London wall-clock reading of an instant (the injected clock in tests). */
export function londonTime(at: Date): DateTime {
  return DateTime.fromJSDate(at, { zone: ZONE });
}

/**
 * One scheduler pass at `at` (the platform clock by default): every provider's due notifications
 * written through notify(), each provider in its own transaction. Idempotent per (recipient,
 * kind, subject, date), so replicas may tick at will. Returns the notifications written per kind.
 */
export async function tick(orm: Orm, log: Logger, at: Date = now()): Promise<Record<string, number>> {
  const written: Record<string, number> = {};
  for (const p of providers.values()) {
    try {
      const em = orm.em.fork() as unknown as EntityManager;
      const n = await em.transactional(async (t) => {
        let count = 0;
        for (const d of await p.due(t, at)) {
          const ids = await notify({ em: t }, { kind: d.kind, recipients: d.recipients, subject: d.subject, render: d.render, dedupeKey: d.dedupeKey });
          count += ids.length;
        }
        return count;
      });
      if (n) written[p.kind] = n;
    } catch (err) {
      // One provider failing (a bug, a missing table) must not stop the others.
      log.error({ err, kind: p.kind }, 'reminder provider failed');
    }
  }
  if (Object.keys(written).length) {
    log.info({ written }, 'scheduled notifications written');
    wakeDeliveryWorkers();
  }
  return written;
}

/**
 * Safety net for jobs that never made it into the queue (the pgboss schema restored from an older
 * backup, a queue deleted by hand): batches whose leader has waited PENDING well past its window
 * get a fresh job. A duplicate job is harmless: the claim sends each row at most once.
 */
export async function requeueStranded(orm: Orm, log: Logger, olderThanSeconds = 300): Promise<number> {
  const em = orm.em.fork() as unknown as EntityManager;
  return em.transactional(async (t) => {
    const rows = await sql(
      t,
      `select id from notification_delivery
        where id = batch_id and status = 'PENDING' and deliver_after < now() - make_interval(secs => $1)
        order by deliver_after limit 500`,
      [olderThanSeconds],
    );
    if (rows.length) {
      await enqueueDeliveries(
        t,
        rows.map((r) => ({ batchId: r.id })),
      );
      log.warn({ batches: rows.length }, 'stranded notification batches queued again');
    }
    return rows.length;
  });
}
