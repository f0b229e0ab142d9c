import { EventEmitter } from 'node:events';
import type { EntityManager } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';
import type { Orm } from '../platform/db/orm';

/**
 * The job queue that delivers the outbox: pg-boss 10 in the `pgboss` schema of the service's own
 * database. A job carries only a batch id; the outbox rows are the truth about what to send and
 * whether it was sent.
 */
export const DELIVERY_QUEUE = 'hubnet-notification-delivery';
/** Jobs whose every retry failed land here (pg-boss dead-lettering); their rows are marked DEAD. */
export const DEAD_LETTER_QUEUE = 'hubnet-notification-dead';
/** One scheduler tick a minute across all replicas (pg-boss cron); a tick is idempotent anyway. */
export const TICK_QUEUE = 'hubnet-notification-tick';
export const PGBOSS_SCHEMA = 'pgboss';

export interface DeliveryJob {
  batchId: string;
}

export interface PgBossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss's `db` option running its SQL on a MikroORM EntityManager's connection: the open
 * transaction's when there is one (so a job is inserted atomically with the outbox rows), else a
 * connection of the ORM's pool. On the embedded database that pool is its single connection, so
 * pg-boss never needs a second one. Knex hands out the transaction's own connection from a
 * transaction client, and pg-boss's SQL goes to it unchanged ($1 placeholders, multi-statement
 * scripts without parameters).
 */
export function pgBossDb(em: EntityManager): PgBossDb {
  return {
    async executeSql(text, values) {
      const trx = em.getTransactionContext<{ client: KnexClient }>();
      const client: KnexClient = trx ? trx.client : (em.getConnection().getKnex() as unknown as { client: KnexClient }).client;
      const conn = await client.acquireConnection();
      try {
        return await conn.query(text, values);
      } finally {
        await client.releaseConnection(conn);
      }
    },
  };
}

interface KnexClient {
  acquireConnection(): Promise<{ query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> }>;
  releaseConnection(conn: unknown): Promise<unknown>;
}

/** pg-boss's SQL over the ORM's own pool (not inside any transaction). */
export function ormDb(orm: Orm): PgBossDb {
  return pgBossDb(orm.em.fork());
}

/**
 * Only builds SQL: every call passes the caller's transaction as `db`, so this instance is never
 * started and never opens a connection of its own.
 */
const enqueuer = new PgBoss({
  schema: PGBOSS_SCHEMA,
  db: {
    executeSql: async () => {
      throw new Error('the notification enqueuer runs only inside a caller-supplied transaction');
    },
  },
});

/** Inserts delivery jobs inside the caller's transaction: they exist if and only if it commits. */
export async function enqueueDeliveries(em: EntityManager, jobs: { batchId: string; startAfter?: Date | null }[]): Promise<void> {
  if (!jobs.length) return;
  await enqueuer.insert(
    jobs.map((j) => ({
      name: DELIVERY_QUEUE,
      data: { batchId: j.batchId } satisfies DeliveryJob,
      singletonKey: j.batchId,
      ...(j.startAfter ? { startAfter: j.startAfter.toISOString() } : {}),
    })),
    { db: pgBossDb(em) },
  );
}

/**
 * Wakes delivery workers in this process after a commit, so a notification is picked up at once
 * instead of at the next poll. Workers in other processes poll.
 */
export const deliveryWakeups = new EventEmitter();
deliveryWakeups.setMaxListeners(100);
export function wakeDeliveryWorkers(): void {
  deliveryWakeups.emit('wake');
}
