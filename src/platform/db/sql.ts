import type { EntityManager } from '@mikro-orm/postgresql';
// pg's own conversion of a JS array into a PostgreSQL array literal.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(v: unknown): unknown };

/**
 * Runs PostgreSQL-style SQL ($1, $2 …) on an EntityManager — inside its transaction when it has
 * one, so a service's reads and writes share the transaction (and, on the embedded database, the
 * single connection).
 *
 * The values travel as bound parameters through knex (which MikroORM's pool is), not through
 * `em.execute()`: that one inlines every value into the SQL text and logs and clones each result,
 * which the profile showed as a fifth of the hub dashboard's CPU; bound parameters also let
 * PostgreSQL parse less. knex speaks `?` bindings, so $n is rewritten here; a literal `?` in the
 * SQL (jsonb operators) is escaped for knex, and arrays are passed as one PostgreSQL array value
 * (cast them in the SQL: `$1::uuid[]`). Errors are pg's own (`code`, `constraint`).
 */
export async function sql<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const { knexSql, bindings } = toKnex(text, params);
  const query = em.getKnex().raw(knexSql, bindings as any[]);
  const trx = em.getTransactionContext();
  if (trx) query.transacting(trx);
  const result = (await query) as unknown as { rows: T[] };
  return result.rows;
}

export async function sqlOne<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T | null> {
  const rows = await sql<T>(em, text, params);
  return rows[0] ?? null;
}

const rewritten = new Map<string, { knexSql: string; order: number[] }>();

/** $n → ? in the order they appear (cached per SQL text: the statements are constants). */
function toKnex(text: string, params: readonly unknown[]): { knexSql: string; bindings: unknown[] } {
  let r = rewritten.get(text);
  if (!r) {
    const order: number[] = [];
    const knexSql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    r = { knexSql, order };
    if (rewritten.size < 5000) rewritten.set(text, r);
  }
  const bindings = r.order.map((i) => {
    if (i < 0 || i >= params.length) throw new Error(`SQL parameter $${i + 1} has no value`);
    const v = params[i];
    // knex would splice an array into a value list; PostgreSQL should receive one array value.
    return v === undefined ? null : Array.isArray(v) ? prepareValue(v) : v;
  });
  return { knexSql: r.knexSql, bindings };
}
