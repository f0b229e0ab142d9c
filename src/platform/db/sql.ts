import type { EntityManager } from '@mikro-orm/postgresql';
// pg's own conversion of a JS array into a PostgreSQL array literal.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(v: unknown): unknown };

/**
 * Runs PostgreSQL-style SQL ($1, $2 …) on an EntityManager — inside its transaction when it has
 * one, so a service's reads and writes share the transaction (and, on the embedded database, the
 * single connection). MikroORM's execute() speaks knex bindings (`?`), so $n is rewritten here;
 * a literal `?` in the SQL (jsonb operators) is escaped for knex, and arrays are passed as one
 * PostgreSQL array value (cast them in the SQL: `$1::uuid[]`).
 */
export async function sql<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const bindings: unknown[] = [];
  const knexSql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`SQL parameter $${n} has no value`);
    const v = params[i];
    // knex would splice an array into a value list; PostgreSQL should receive one array value.
    bindings.push(v === undefined ? null : Array.isArray(v) ? prepareValue(v) : v);
    return '?';
  });
  return (await em.execute(knexSql, bindings as any[], 'all')) as T[];
}

export async function sqlOne<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T | null> {
  const rows = await sql<T>(em, text, params);
  return rows[0] ?? null;
}
