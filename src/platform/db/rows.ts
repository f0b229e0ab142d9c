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

const columnLists = new WeakMap<object, string[]>();

/**
 * The columns of an entity's table, as `select *` lists them for the entity's mapping, less its
 * lazy ones: those are read only where they are needed (a login's password hash), never beside
 * another statement's rows.
 */
function columnsOf(meta: EntityMetadata): string[] {
  let cols = columnLists.get(meta);
  if (!cols) {
    cols = Object.values<EntityProperty>(meta.properties)
      .filter((p) => p.persist !== false && !p.formula && !p.lazy && (p.kind === 'scalar' || p.kind === 'm:1' || p.kind === 'embedded' || (p.kind === '1:1' && p.owner)))
      .flatMap((p) => p.fieldNames ?? []);
    columnLists.set(meta, cols);
  }
  return cols;
}

/**
 * Every column of `entity`'s table (but its lazy ones) under `alias`, each named
 * `<prefix>.<column>`: a row joined into another statement (a list's rows with the household each
 * belongs to), read back with `takeJoined`. Lets a list statement hand its related rows to their
 * loader (DataLoader.prime) instead of the loader asking again with a statement of its own.
 */
export function joinedColumns(em: EntityManager, entity: EntityName<object>, alias: string, prefix: string): string {
  const meta = em.getMetadata().find(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  return columnsOf(meta)
    .map((c) => `${alias}.${c} as "${prefix}.${c}"`)
    .join(', ');
}

/**
 * Takes the `joinedColumns(…, prefix)` off `row` (in place) and returns them as an entity, or
 * null when the join found no row (its primary key is null).
 */
export function takeJoined<T extends object>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>, prefix: string): T | null {
  const meta = em.getMetadata().find<T>(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  const joined: Record<string, unknown> = {};
  for (const c of columnsOf(meta as EntityMetadata)) {
    const k = `${prefix}.${c}`;
    joined[c] = row[k];
    delete row[k];
  }
  const key = (meta.properties as Record<string, EntityProperty<T>>)[meta.primaryKeys[0]].fieldNames[0];
  return joined[key] == null ? null : mapRow(em, entity, joined);
}

/**
 * A lateral join (alias `prefix`) that brings beside a list statement's row the row of `entity`
 * whose primary key is `keyColumn`, if `where` (a condition on that row, given its alias) lets it
 * through: its `joinedColumns`, read back with `takeJoined`, which reads null when there is no row
 * or `where` refused it. Pass the scope of the loader the row is handed to, so that the join and
 * the loader give the same answer, a refusal included.
 */
export function rowAlongside(em: EntityManager, entity: EntityName<object>, keyColumn: string, prefix: string, where: (alias: string) => string): string {
  const meta = em.getMetadata().find(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  const key = (meta.properties as Record<string, EntityProperty>)[meta.primaryKeys[0]].fieldNames[0];
  return `left join lateral (select ${joinedColumns(em, entity, 'j', prefix)} from "${meta.tableName}" j
           where j.${key} = ${keyColumn} and ${where('j')}) ${prefix} on true`;
}

/**
 * The rows of `entity` a lateral subquery finds for one parent row, as one array per column
 * (`array_agg(<alias>.<column> order by <orderBy>) as "<prefix>.<column>"`), read back with
 * `takeJoinedList`: a list statement brings each row's related list with it (a household's
 * carers) without multiplying its rows.
 */
export function joinedListColumns(em: EntityManager, entity: EntityName<object>, alias: string, prefix: string, orderBy: string): string {
  const meta = em.getMetadata().find(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  // array_agg cannot aggregate arrays of differing lengths (or empty ones) into one.
  if (Object.values<EntityProperty>(meta.properties).some((p) => p.columnTypes?.some((t) => t.endsWith('[]'))))
    throw new Error(`${meta.className} has array columns: its rows cannot be aggregated column by column`);
  return columnsOf(meta)
    .map((c) => `array_agg(${alias}.${c} order by ${orderBy}) as "${prefix}.${c}"`)
    .join(', ');
}

/** Takes the `joinedListColumns(…, prefix)` off `row` (in place) and returns them as entities, in order. */
export function takeJoinedList<T extends object>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>, prefix: string): T[] {
  const meta = em.getMetadata().find<T>(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  const columns = columnsOf(meta as EntityMetadata);
  const arrays = columns.map((c) => {
    const k = `${prefix}.${c}`;
    const a = row[k] as unknown[] | null;
    delete row[k];
    return a;
  });
  const n = arrays[0]?.length ?? 0;
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = {};
    columns.forEach((c, j) => (r[c] = arrays[j]![i]));
    out.push(mapRow(em, entity, r));
  }
  return out;
}
