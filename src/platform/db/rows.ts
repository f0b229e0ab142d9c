import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityMetadata, EntityName } from '@mikro-orm/core';
import { sql } from './sql';

/** Runs scoped SQL that selects whole rows of one table and maps them into entities. */
export async function findRows<T extends object>(em: EntityManager, entity: EntityName<T>, text: string, params: readonly unknown[] = []): Promise<T[]> {
  const rows = await sql(em, text, params);
  return rows.map((r) => mapRow(em, entity, r));
}

/**
 * A database row as an instance of its entity class. Inside a transaction (a mutation, which may
 * change it and flush) it is a managed entity, as `em.map` makes it. Outside one (reading for a
 * response) it is a plain instance the unit of work never sees: `em.map`'s identity map, change
 * snapshot and reference bookkeeping were a fifth of the hub dashboard's CPU, and a read never
 * flushes. Column names become property names and values are converted exactly as `em.map` does
 * (the test in test/platform/rows.test.ts compares the two for every entity); a many-to-one holds
 * an instance of its target with only the key set, as an unloaded reference does.
 */
export function mapRow<T extends object>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>): T {
  if (em.isInTransaction()) return em.map(entity, row as any);
  const meta = em.getMetadata().find(entity as any) as EntityMetadata<T> | undefined;
  if (!meta) throw new Error(`not an entity: ${String(entity)}`);
  return detached(em, meta, row);
}

function detached<T extends object>(em: EntityManager, meta: EntityMetadata<T>, row: Record<string, unknown>): T {
  const data = em.getDriver().mapResult(row as any, meta) as Record<string, unknown>;
  const platform = em.getPlatform();
  const obj = Object.create(meta.prototype);
  for (const k in data) {
    const prop = (meta.properties as Record<string, any>)[k];
    let v = data[k];
    if (prop && v != null) {
      if (prop.kind === 'm:1' || prop.kind === '1:1') v = reference(prop.targetMeta, v);
      else if (prop.customType) v = prop.customType.convertToJSValue(v, platform);
    }
    // Own properties shadow the accessors MikroORM puts on entity prototypes for relations.
    Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
  return obj as T;
}

function reference(target: EntityMetadata<any>, key: unknown): object {
  const ref = Object.create(target.prototype);
  Object.defineProperty(ref, target.primaryKeys[0], { value: key, writable: true, enumerable: true, configurable: true });
  return ref;
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
