import type { EntityManager } from '@mikro-orm/postgresql';
import { entities } from '../../src/app/entities';
import { joinedColumns, joinedListColumns, mapRow, readJoined, readJoinedList } from '../../src/platform/db/rows';
import { sql } from '../../src/platform/db/sql';
import { ask } from '../sleepovers/support';
import { scheduleOk } from '../sessions/helpers';
import { startTestApp, type TestApp } from '../support/app';
import { day } from '../support/fixtures';
import { book, setVenue } from '../venue/support';
import { recordOk } from '../support-log/helpers';
import { addTrustedDocuments, sha256Hex } from '../../src/documents/trusted-documents';

/**
 * Reads map rows to entity instances without the unit of work (mapRow outside a transaction); this
 * holds them to what MikroORM's em.map makes of the same row, property by property, for every
 * entity the service has.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const w = await t.fx.world();
  // Rows in the tables the world leaves empty: a sleepover (with its children and bed claims), a
  // session, an audit event, an idempotency record, notifications.
  const r = await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA], start: day(3), end: day(5) }, { 'Idempotency-Key': 'rows-test-1' });
  expect(r.userErrors).toEqual([]);
  await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(6), end: day(7) });
  await scheduleOk(t, w.liaison.token, w.k, { title: 'Coffee' });
  // The hub as a venue: its rules, and a booking with a child.
  expect((await setVenue(t, w.hubCarer.token, w.k, { opensAt: '09:00' })).userErrors).toEqual([]);
  expect((await book(t, w.hubCarer.token, { k: w.k, purpose: 'DAY_CARE', day: 3, from: '10:00', to: '11:00', children: [w.childA], notes: 'Rows' })).userErrors).toEqual([]);
  // Needs and skills, a fostering-limit exemption naming a child, a support log entry, a trusted document.
  await t.fx.sql(`insert into child_need (child_id, position, organisation_id, area, detail, essential) values ($1, 1, $2, 'DISABILITY', 'Wheelchair user', true)`, [w.childA, w.org]);
  await t.fx.sql(`insert into household_skill (household_id, position, organisation_id, area, detail) values ($1, 1, $2, 'DISABILITY', 'Adapted home')`, [w.satA, w.org]);
  const [ex] = await t.fx.sql(
    `insert into fostering_limit_exemption (organisation_id, household_id, from_date, to_date, max_children, granted_by_authority, reason) values ($1, $2, $3, $4, 4, 'Northshire', 'Siblings together') returning id`,
    [w.org, w.hubHousehold, day(0), day(30)],
  );
  await t.fx.sql(`insert into fostering_limit_exemption_child (exemption_id, child_id, organisation_id) values ($1, $2, $3)`, [ex.id, w.childA, w.org]);
  await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA, child: w.childA });
  await addTrustedDocuments(t.db.orm.em.fork(), [[sha256Hex('{ me { name } }'), '{ me { name } }']]);
});
afterAll(async () => t.stop());

/** What a property reads as, comparably: a relation by its key, a Date by its instant. */
function comparable(v: unknown, prop: any): unknown {
  if (v == null) return v ?? null;
  if ((prop.kind === 'm:1' || prop.kind === '1:1') && !prop.mapToPk) return (v as any)[prop.targetMeta.primaryKeys[0]];
  if (v instanceof Date) return `Date(${v.toISOString()})`;
  return v;
}

test('every entity reads the same through mapRow as through em.map', async () => {
  const orm = t.service.app.orm;
  const covered = new Set<string>();
  const kinds = new Set<string>();
  for (const entity of entities) {
    const meta = orm.getMetadata().get(entity.name);
    const reader = orm.em.fork() as unknown as EntityManager;
    const rows = await sql(reader, `select * from "${meta.tableName}" order by 1 limit 25`);
    if (!rows.length) continue;
    covered.add(entity.name);
    for (const row of rows) {
      const managed: any = (orm.em.fork() as unknown as EntityManager).map(entity as any, { ...row });
      const plain: any = mapRow(reader, entity as any, { ...row });
      expect(plain).toBeInstanceOf(entity);
      expect(plain.constructor).toBe(entity);
      for (const prop of Object.values(meta.properties) as any[]) {
        if (!['scalar', 'm:1', '1:1'].includes(prop.kind) || (prop.kind === '1:1' && !prop.owner)) continue;
        const a = comparable(managed[prop.name], prop);
        const b = comparable(plain[prop.name], prop);
        expect({ entity: entity.name, prop: prop.name, value: b }).toEqual({ entity: entity.name, prop: prop.name, value: a });
        if (a != null)
          kinds.add(prop.kind === 'scalar' ? (a instanceof Object ? (Array.isArray(a) ? 'array' : 'object') : typeof a) + (typeof a === 'string' && a.startsWith('Date(') ? ':Date' : '') : prop.kind);
      }
      if (Object.values(meta.properties).some((p: any) => p.kind === 'm:1')) {
        const rel = (Object.values(meta.properties) as any[]).find((p) => p.kind === 'm:1' && !p.mapToPk && plain[p.name]);
        if (rel) expect(plain[rel.name]).toBeInstanceOf(rel.targetMeta.class);
      }
    }
  }
  // Not vacuous: most tables had rows, and every kind of value was compared.
  expect(covered.size).toBeGreaterThanOrEqual(entities.length - 6);
  for (const k of ['string', 'number', 'boolean', 'string:Date', 'object', 'm:1', '1:1']) expect([...kinds]).toContain(k);
});

test('inside a transaction mapRow gives managed entities (a mutation may change and flush them)', async () => {
  const orm = t.service.app.orm;
  await (orm.em.fork() as unknown as EntityManager).transactional(async (em) => {
    const [row] = await sql(em, `select * from household order by id limit 1`);
    const h: any = mapRow(em, entities.find((e) => e.name === 'Household') as any, row);
    expect(em.getUnitOfWork().getById('Household', h.id)).toBe(h);
  });
});

/** An entity's persisted properties, each as comparable(); for holding two readings of one row together. */
function comparableEntity(meta: any, e: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prop of Object.values<any>(meta.properties)) {
    if (!['scalar', 'm:1', '1:1'].includes(prop.kind) || (prop.kind === '1:1' && !prop.owner)) continue;
    out[prop.name] = comparable(e[prop.name], prop);
  }
  return out;
}

test('a row joined into another statement, or a list of rows aggregated beside one, reads as the row itself', async () => {
  const orm = t.service.app.orm;
  const em = orm.em.fork() as unknown as EntityManager;
  let covered = 0;
  let listed = 0;
  for (const entity of entities) {
    const meta = orm.getMetadata().get(entity.name);
    const plain = (await sql(em, `select * from "${meta.tableName}" order by 1 limit 25`)).map((r) => mapRow(em, entity as any, r));
    if (!plain.length) continue;
    covered++;
    // One row at a time, joined under a prefix beside a column of the outer statement.
    const joined = await sql(em, `select 1 as outer_column, ${joinedColumns(em, entity, 'j', 'joined')} from "${meta.tableName}" j order by 1, 2 limit 25`);
    const readBack = joined.map((row) => {
      const e = readJoined(em, entity as any, row, 'joined');
      // The outer row's entity takes none of the joined columns.
      expect(Object.keys(mapRow(em, entity as any, row))).toEqual([]);
      return e;
    });
    expect(readBack.map((e) => comparableEntity(meta, e))).toEqual(plain.map((e) => comparableEntity(meta, e)));
    // All of them as one row of arrays, in the same order (not for entities with array columns).
    if ((Object.values(meta.properties) as any[]).some((p) => p.columnTypes?.some((c: string) => c.endsWith('[]')))) {
      expect(() => joinedListColumns(em, entity, 'j', 'list', '1')).toThrow(/array columns/);
      continue;
    }
    listed++;
    const [listRow] = await sql(em, `select 1 as outer_column, ${joinedListColumns(em, entity, 'j', 'list', '1')} from (select * from "${meta.tableName}" order by 1 limit 25) j`);
    const list = readJoinedList(em, entity as any, listRow, 'list');
    expect(Object.keys(mapRow(em, entity as any, listRow))).toEqual([]);
    expect(list.map((e) => comparableEntity(meta, e))).toEqual(plain.map((e) => comparableEntity(meta, e)));
    expect(list.every((e) => e instanceof entity)).toBe(true);
  }
  expect(covered).toBeGreaterThanOrEqual(entities.length - 6);
  expect(listed).toBeGreaterThanOrEqual(covered - 6);
  // A join that found nothing reads as null, an empty aggregate as no rows.
  const [none] = await sql(
    em,
    `select ${joinedColumns(
      em,
      entities.find((e) => e.name === 'Household')!,
      'h',
      'h',
    )} from (select 1) x left join household h on false`,
  );
  expect(readJoined(em, entities.find((e) => e.name === 'Household') as any, none, 'h')).toBeNull();
  const [empty] = await sql(
    em,
    `select ${joinedListColumns(
      em,
      entities.find((e) => e.name === 'Carer')!,
      'c',
      'c',
      'c.id',
    )} from carer c where false`,
  );
  expect(readJoinedList(em, entities.find((e) => e.name === 'Carer') as any, empty, 'c')).toEqual([]);
});
