import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Runs PostgreSQL-style SQL ($1, $2 …) on an EntityManager — inside its transaction when it has
 * one, so a service's reads and writes share the transaction (and, on the embedded database, the
 * single connection). MikroORM's execute() speaks knex bindings (`?`), so $n is rewritten here;
 * a literal `?` in the SQL (jsonb operators) is escaped for knex.
 */
export async function sql<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const bindings: unknown[] = [];
  const knexSql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`SQL parameter $${n} has no value`);
    bindings.push(params[i] === undefined ? null : params[i]);
    return '?';
  });
  return (await em.execute(knexSql, bindings as any[], 'all')) as T[];
}

export async function sqlOne<T = any>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<T | null> {
  const rows = await sql<T>(em, text, params);
  return rows[0] ?? null;
}
