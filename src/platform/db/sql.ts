import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';

/**
 * Runs PostgreSQL SQL with $1, $2 … parameters on an EntityManager — on its transaction's
 * connection when it has one, so a service's reads and writes share the transaction (and, on the
 * embedded database, the single connection); otherwise on a connection from MikroORM's pool.
 *
 * Straight to pg, not through `em.execute()` or a knex query: `em.execute()` inlines every value
 * into the SQL text and logs and clones each result, and knex's query runner rewrites bindings
 * and wraps each call in several promises; together a fifth of the hub dashboard's CPU (see
 * bench/RESULTS.md). Arrays go as one PostgreSQL array value (pg converts them; cast them in the
 * SQL: `$1::uuid[]`). Errors are pg's own (`code`, `constraint`).
 *
 * Every statement is a named prepared statement: parsed and planned once per connection rather
 * than on each request (the texts are constants; planning was a third of PostgreSQL's time on the
 * dashboard).
 */
export async function sql<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  try {
    return await run<T>(em, text, params);
  } catch (err) {
    // A prepared statement whose table changed shape under it (another replica migrated): name
    // every statement afresh, so each connection prepares them again, and run this one again.
    if ((err as { code?: string }).code !== '0A000' || !/cached plan/.test(String((err as Error).message))) throw err;
    generation++;
    return run<T>(em, text, params);
  }
}

export async function sqlOne<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T | null> {
  const rows = await sql<T>(em, text, params);
  return rows[0] ?? null;
}

/** What sql() needs of knex: its pool (or, in a transaction, the transaction's one connection). */
interface ConnectionSource {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
}

async function run<T>(em: EntityManager, text: string, params: readonly unknown[]): Promise<T[]> {
  const trx = em.getTransactionContext() as { client: ConnectionSource; isCompleted(): boolean } | undefined;
  if (trx?.isCompleted()) throw new Error('SQL on a transaction that has already ended');
  const source: ConnectionSource = trx ? trx.client : ((em.getKnex() as any).client as ConnectionSource);
  const connection = await source.acquireConnection();
  try {
    const name = statementName(text);
    const result = await connection.query<any>(name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] });
    return result.rows as T[];
  } finally {
    await source.releaseConnection(connection);
  }
}

const MAX_NAMED = 1000;
const names = new Map<string, string>();
let generation = 0;

/**
 * The service's statements are a few hundred constants; past the cap a text runs unnamed, so
 * PostgreSQL's per-connection statement cache cannot grow without bound.
 */
function statementName(text: string): string | null {
  let id = names.get(text);
  if (id === undefined) {
    if (names.size >= MAX_NAMED) return null;
    id = crypto.createHash('sha1').update(text).digest('base64url');
    names.set(text, id);
  }
  return `h${generation}_${id}`;
}
