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
 * Where the ORM allows it (createOrm's preparedStatements), every statement is a named prepared
 * statement: parsed and planned once per connection rather than on each request (the texts are
 * constants; planning was a third of PostgreSQL's time on the dashboard).
 */
export interface SqlOptions {
  /**
   * Plan the statement for these parameter values on every call instead of preparing it once. For
   * reports: PostgreSQL switches a prepared statement to a generic plan after five runs, and a
   * generic plan of a report over a whole organisation's history (arrays of ids, date ranges) can
   * be several times slower than the plan made for the values; planning costs little beside it.
   */
  planEachTime?: boolean;
}

// A row's shape is its query's: callers that use a row's columns name it, sql<Row>(…); left unnamed, a row is
// as untyped as the SQL text it came from.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function sql<T = any>(em: EntityManager, text: string, params: readonly unknown[] = [], options: SqlOptions = {}): Promise<T[]> {
  try {
    return await run<T>(em, text, params, options);
  } catch (err) {
    // A prepared statement whose table changed shape under it (another replica migrated): name
    // every statement afresh, so each connection prepares them again, and run this one again.
    if ((err as { code?: string }).code !== '0A000' || !/cached plan/.test(String((err as Error).message))) throw err;
    generation++;
    return run<T>(em, text, params, options);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as sql() above
export async function sqlOne<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T | null> {
  const rows = await sql<T>(em, text, params);
  return rows[0] ?? null;
}

/** What sql() needs of knex: its pool (or, in a transaction, the transaction's one connection). */
interface ConnectionSource {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
}

/** The knex clients (one per ORM) whose connections take named statements. */
const preparing = new WeakSet<object>();
export function usePreparedStatements(knex: { client: object }): void {
  preparing.add(knex.client);
}

async function run<T>(em: EntityManager, text: string, params: readonly unknown[], options: SqlOptions): Promise<T[]> {
  const root = (em.getKnex() as unknown as { client: ConnectionSource }).client;
  const trx = em.getTransactionContext<{ client: ConnectionSource; isCompleted(): boolean }>();
  if (trx?.isCompleted()) throw new Error('SQL on a transaction that has already ended');
  const source: ConnectionSource = trx ? trx.client : root;
  const shape = shapeOf(text, params.length);
  const values = shape.pick ? shape.pick.map((i) => params[i]) : (params as unknown[]);
  const connection = await source.acquireConnection();
  try {
    // Several statements in one text (scripts, fixtures) can only go as a simple query.
    const named = preparing.has(root) && shape.id && !shape.script && !options.planEachTime;
    const result = await connection.query<pg.QueryResultRow>(named ? { name: `h${generation}_${shape.id}`, text: shape.text, values } : { text: shape.text, values });
    // A script answers with a result per statement: the last one's rows.
    return (Array.isArray(result) ? (result[result.length - 1]?.rows ?? []) : result.rows) as T[];
  } finally {
    await source.releaseConnection(connection);
  }
}

interface Shape {
  text: string;
  /** When some values are not referenced (callers build one parameter list for two statements): which are. */
  pick: number[] | null;
  id: string | null;
  /** More than one statement (no parameters possible). */
  script: boolean;
}

const MAX_NAMED = 1000;
const shapes = new Map<string, Shape>();
let generation = 0;

/**
 * A statement as sent: PostgreSQL refuses a parameter the text never uses (it cannot type it), so
 * unreferenced values are dropped and the rest renumbered. The service's statements are a few
 * hundred constants, cached here; past the cap a text is worked out each time and runs unnamed, so
 * PostgreSQL's per-connection statement cache cannot grow without bound.
 */
function shapeOf(text: string, count: number): Shape {
  const key = count + ':' + text;
  const known = shapes.get(key);
  if (known) return known;
  const used = new Set<number>();
  for (const m of text.matchAll(/\$(\d+)/g)) used.add(Number(m[1]));
  for (const n of used) if (n < 1 || n > count) throw new Error(`SQL parameter $${n} has no value`);
  let shape: Shape;
  const script = count === 0 && /;\s*\S/.test(text);
  if (used.size === count) shape = { text, pick: null, id: null, script };
  else {
    const pick = [...used].sort((a, b) => a - b);
    const renumber = new Map(pick.map((n, i) => [n, i + 1]));
    shape = { text: text.replace(/\$(\d+)/g, (_, n: string) => `$${renumber.get(Number(n))}`), pick: pick.map((n) => n - 1), id: null, script };
  }
  if (shapes.size >= MAX_NAMED) return shape;
  shape.id = crypto.createHash('sha1').update(shape.text).digest('base64url');
  shapes.set(key, shape);
  return shape;
}
