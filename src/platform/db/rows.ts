import type { EntityManager } from '@mikro-orm/postgresql';
import { Utils, type EntityDictionary, type EntityMetadata, type EntityName, type EntityProperty } from '@mikro-orm/core';
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
  if (em.isInTransaction()) return em.map(entity, row as EntityDictionary<T>);
  const meta = em.getMetadata().find<T>(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  return detached(em, meta, row);
}

/** Per entity: how each property is read, worked out once. */
interface Plan {
  relation: Set<string>;
  custom: Map<string, { convertToJSValue(v: unknown, platform: unknown): unknown }>;
  /** Properties the prototype has an accessor for (MikroORM's, for relations): set as own properties. */
  accessors: Set<string>;
}
const plans = new WeakMap<object, Plan>();

function planOf<T extends object>(meta: EntityMetadata<T>): Plan {
  let plan = plans.get(meta);
  if (!plan) {
    const relation = new Set<string>();
    const custom: Plan['custom'] = new Map();
    for (const prop of Object.values<EntityProperty<T>>(meta.properties)) {
      // A relation mapped to its key (mapToPk) reads as the key itself, as MikroORM reads it.
      if ((prop.kind === 'm:1' || prop.kind === '1:1') && !prop.mapToPk) relation.add(prop.name);
      else if (prop.customType) custom.set(prop.name, prop.customType);
    }
    const accessors = new Set<string>();
    for (let proto = meta.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) if (d.get || d.set) accessors.add(k);
    }
    plan = { relation, custom, accessors };
    plans.set(meta, plan);
  }
  return plan;
}

function detached<T extends object>(em: EntityManager, meta: EntityMetadata<T>, row: Record<string, unknown>): T {
  const data = em.getDriver().mapResult(row as EntityDictionary<T>, meta) as Record<string, unknown>;
  const platform = em.getPlatform();
  const plan = planOf(meta);
  const obj = Object.create(meta.prototype) as Record<string, unknown>;
  for (const k in data) {
    let v = data[k];
    if (v != null) {
      if (plan.relation.has(k)) v = reference((meta.properties as Record<string, EntityProperty<T>>)[k].targetMeta!, v);
      else {
        const custom = plan.custom.get(k);
        if (custom) v = custom.convertToJSValue(v, platform);
      }
    }
    // Own properties shadow the accessors MikroORM puts on entity prototypes (for relations).
    if (plan.accessors.has(k)) Object.defineProperty(obj, k, { value: v, writable: true, enumerable: true, configurable: true });
    else obj[k] = v;
  }
  return obj as T;
}

function reference(target: EntityMetadata, key: unknown): object {
  const ref = Object.create(target.prototype) as object;
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

/**
 * The rows of a batched read (`select k.parent_id, x.* …`) per parent, in row order: `parent_id`
 * is taken off each row before `make` turns it into what the loader returns.
 */
export function byParent<T, R extends { parent_id: string }>(rows: readonly R[], make: (row: Omit<R, 'parent_id'>) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const { parent_id, ...row } of rows) {
    let list = out.get(parent_id);
    if (!list) out.set(parent_id, (list = []));
    list.push(make(row));
  }
  return out;
}
