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
  const meta = em.getMetadata().find<T>(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  if (em.isInTransaction()) return em.map(entity, ownColumns(meta, row) as EntityDictionary<T>);
  return readerOf(em, meta, '')(row) as T;
}

/** Reads one entity's columns (each named `<prefix><column>`) off a row into a plain instance. */
type Reader = (row: Record<string, unknown>) => object;
const readers = new WeakMap<object, Map<string, Reader>>();

/**
 * The reader for `meta`'s columns under `prefix`, written once per entity and prefix as one
 * function that reads each column by name (as MikroORM's own result mapper is): a generic loop over
 * the row's keys, MikroORM's mapper and then ours cost more per row than the statement's parsing.
 * It reads only the entity's own columns, so a row may carry others (a joined row's, a parent key)
 * without their being taken off first. Values are converted as `em.map` converts them.
 */
function readerOf(em: EntityManager, meta: EntityMetadata, prefix: string): Reader {
  let byPrefix = readers.get(meta);
  if (!byPrefix) readers.set(meta, (byPrefix = new Map()));
  let reader = byPrefix.get(prefix);
  if (!reader) byPrefix.set(prefix, (reader = compileReader(em, meta, prefix)));
  return reader;
}

function compileReader(em: EntityManager, meta: EntityMetadata, prefix: string): Reader {
  const platform = em.getPlatform();
  const context: Record<string, unknown> = { platform };
  const lines: string[] = ['let v;'];
  let n = 0;
  for (const prop of persistedProps(meta)) {
    if (prop.kind === 'embedded' || prop.fieldNames.length !== 1) throw new Error(`${meta.className}.${prop.name} is not one column: rows.ts cannot read it`);
    lines.push(`v = row[${JSON.stringify(prefix + prop.fieldNames[0])}];`);
    lines.push('if (v !== undefined) {');
    if ((prop.kind === 'm:1' || prop.kind === '1:1') && !prop.mapToPk) {
      const target = `Ref${n++}`;
      context[target] = referenceOf(prop.targetMeta!);
      lines.push(`  if (v != null) v = new ${target}(v);`);
    } else if (prop.customType) {
      const custom = `custom${n++}`;
      context[custom] = prop.customType;
      lines.push(`  if (v != null) v = ${custom}.convertToJSValue(v, platform);`);
    } else if (prop.runtimeType === 'boolean') {
      lines.push('  if (v != null) v = !!v;');
    } else if (prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)) {
      lines.push(`  if (v != null && !(v instanceof Date)) v = platform.parseDate(typeof v === 'bigint' ? Number(v) : v);`);
    }
    lines.push(`  this[${JSON.stringify(prop.name)}] = v;`);
    lines.push('}');
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the body is built above from entity metadata only, never from data
  const make = new Function(...Object.keys(context), `return function Read(row) {\n${lines.join('\n')}\n};`) as (...a: unknown[]) => new (row: Record<string, unknown>) => object;
  const Read = make(...Object.values(context));
  Read.prototype = shadowOf(meta);
  return (row) => new Read(row);
}

/**
 * A prototype between `meta`'s class and the instances read here, with a plain writable slot for
 * each property MikroORM defines an accessor for (it defines them on entity prototypes to track
 * managed entities): assigning to an instance then makes an ordinary own property, as on any
 * object, instead of calling MikroORM's setter. Instances are still `instanceof` the entity class
 * and inherit its methods and `constructor`.
 */
const shadows = new WeakMap<object, object>();
function shadowOf(meta: EntityMetadata): object {
  let shadow = shadows.get(meta);
  if (!shadow) {
    shadow = Object.create(meta.prototype) as object;
    const accessors = accessorsOf(meta);
    for (const prop of persistedProps(meta)) {
      if (accessors.has(prop.name)) Object.defineProperty(shadow, prop.name, { value: undefined, writable: true, enumerable: false, configurable: true });
    }
    shadows.set(meta, shadow);
  }
  return shadow;
}

/** A many-to-one's target as an unloaded reference does: an instance with only its key set. */
const references = new WeakMap<object, new (key: unknown) => object>();
function referenceOf(target: EntityMetadata): new (key: unknown) => object {
  let Ref = references.get(target);
  if (!Ref) {
    if (target.primaryKeys.length !== 1) throw new Error(`${target.className} has a composite key: rows.ts cannot refer to it`);
    const pk = target.primaryKeys[0];
    Ref = function (this: Record<string, unknown>, key: unknown) {
      this[pk] = key;
    } as unknown as new (key: unknown) => object;
    Ref.prototype = shadowOf(target);
    references.set(target, Ref);
  }
  return Ref;
}

/** The properties with a column of their own, as `select *` returns them. */
function persistedProps(meta: EntityMetadata): EntityProperty[] {
  return Object.values<EntityProperty>(meta.properties).filter(
    (p) => p.persist !== false && !p.formula && (p.kind === 'scalar' || p.kind === 'm:1' || p.kind === 'embedded' || (p.kind === '1:1' && p.owner)),
  );
}

/** Properties the prototype has an accessor for (MikroORM's, for relations). */
function accessorsOf(meta: EntityMetadata): Set<string> {
  const accessors = new Set<string>();
  for (let proto = meta.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) if (d.get || d.set) accessors.add(k);
  }
  return accessors;
}

/** The row without columns of other entities joined into it (`<prefix>.<column>`), for em.map. */
function ownColumns(meta: EntityMetadata, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of persistedProps(meta)) for (const c of p.fieldNames) if (c in row) out[c] = row[c];
  return out;
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
 * The rows of a batched read (`select k.parent_id, x.* …`) per parent, in row order, each made
 * into what the loader returns by `make`. The row keeps its `parent_id` (and any other column the
 * statement added): the entity readers take only their entity's own columns.
 */
export function byParent<T, R extends { parent_id: string }>(rows: readonly R[], make: (row: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    let list = out.get(row.parent_id);
    if (!list) out.set(row.parent_id, (list = []));
    list.push(make(row));
  }
  return out;
}

/**
 * The totals a first page counted (`count(*) over () as total_count` on each of its rows), per
 * parent, for every parent asked: a parent without a row on its first page has none to count.
 */
export function totalsByParent(ids: readonly string[], rows: readonly Record<string, unknown>[]): Map<string, number> {
  const totals = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const row of rows) totals.set(row.parent_id as string, row.total_count as number);
  return totals;
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
    cols = persistedProps(meta)
      .filter((p) => !p.lazy)
      .flatMap((p) => p.fieldNames ?? []);
    columnLists.set(meta, cols);
  }
  return cols;
}

/**
 * Every column of `entity`'s table (but its lazy ones) under `alias`, each named
 * `<prefix>.<column>`: a row joined into another statement (a list's rows with the household each
 * belongs to), read back with `readJoined`. Lets a list statement hand its related rows to their
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
 * The `joinedColumns(…, prefix)` of `row` as an entity, or null when the join found no row (its
 * primary key is null). The row is left as it is: the outer entity's reader takes only its own columns.
 */
export function readJoined<T extends object>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>, prefix: string): T | null {
  const meta = em.getMetadata().find<T>(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  const key = (meta.properties as Record<string, EntityProperty<T>>)[meta.primaryKeys[0]].fieldNames[0];
  if (row[`${prefix}.${key}`] == null) return null;
  if (!em.isInTransaction()) return readerOf(em, meta as EntityMetadata, `${prefix}.`)(row) as T;
  const own: Record<string, unknown> = {};
  for (const c of columnsOf(meta as EntityMetadata)) own[c] = row[`${prefix}.${c}`];
  return em.map(entity, own as EntityDictionary<T>);
}

/**
 * A lateral join (alias `prefix`) that brings beside a list statement's row the row of `entity`
 * whose primary key is `keyColumn`, if `where` (a condition on that row, given its alias) lets it
 * through: its `joinedColumns`, read back with `readJoined`, which reads null when there is no row
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
 * `readJoinedList`: a list statement brings each row's related list with it (a household's
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

/** The `joinedListColumns(…, prefix)` of `row` as entities, in order; the row is left as it is. */
export function readJoinedList<T extends object>(em: EntityManager, entity: EntityName<T>, row: Record<string, unknown>, prefix: string): T[] {
  const meta = em.getMetadata().find<T>(entity);
  if (!meta) throw new Error(`not an entity: ${Utils.className(entity)}`);
  const columns = columnsOf(meta as EntityMetadata);
  const arrays = columns.map((c) => row[`${prefix}.${c}`] as unknown[] | null);
  const n = arrays[0]?.length ?? 0;
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = {};
    for (let j = 0; j < columns.length; j++) r[columns[j]] = arrays[j]![i];
    out.push(mapRow(em, entity, r));
  }
  return out;
}
