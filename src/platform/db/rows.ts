import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { sql } from './sql';

/** Runs scoped SQL that selects whole rows of one table and maps them into entities. */
export async function findRows<T extends object>(em: EntityManager, entity: EntityName<T>, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const rows = await sql(em, text, params);
  return rows.map((r) => em.map(entity, r));
}

/** Orders loader results to match the keys; missing keys read as null. */
export function byKey<T, K>(keys: readonly K[], rows: T[], key: (row: T) => K): (T | null)[] {
  const m = new Map<K, T>();
  for (const r of rows) m.set(key(r), r);
  return keys.map((k) => m.get(k) ?? null);
}

/** Groups loader results per key, in row order; missing keys read as an empty list. */
export function groupByKey<T, K>(keys: readonly K[], rows: T[], key: (row: T) => K): T[][] {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(r);
  }
  return keys.map((k) => m.get(k) ?? []);
}
