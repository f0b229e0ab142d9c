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
import { childById } from '../../src/children/child.loaders';
import { householdById } from '../../src/households/household.loaders';
import { subscriberContext, type Ctx } from '../../src/platform/context';
import { countStatements } from '../../src/platform/db/statement-counter';
import { countKey, supportLogCountOfConstellation, supportLogOfConstellation } from '../../src/support/support.loaders';
import { User, USER_COLUMNS } from '../../src/users/user.entity';
import { userById } from '../../src/users/user.loaders';
import { bookingCountOfConstellation, bookingsOfConstellation, childrenOfBooking } from '../../src/venue/venue.loaders';

/**
 * Reads map rows to entity instances without the unit of work (mapRow outside a transaction); this
 * holds them to what MikroORM's em.map makes of the same row, property by property, for every
 * entity the service has.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
/** A child placed with Alder House until ten days ago: support entries about them outlive the hub carer's sight of them. */
let movedOn: string;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
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
  // Rows the viewers see differently: a booking a satellite carer asked for (whose login the hub
  // carer may not see), sibling contact with a child placed outside the constellation (shown in the
  // booking, out of the hub carer's sight elsewhere), and entries the liaison worker recorded, one
  // about a child who has moved on.
  expect((await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 4, from: '10:00', to: '11:00', children: [w.childA] })).userErrors).toEqual([]);
  await t.fx.siblings(w.org, w.childA, w.childLone);
  expect((await book(t, w.manager.token, { k: w.k, purpose: 'SIBLING_CONTACT', day: 5, from: '10:00', to: '11:00', children: [w.childA, w.childLone] })).userErrors).toEqual([]);
  movedOn = await t.fx.child(w.org, { firstName: 'Mo' });
  await t.fx.placement(w.org, movedOn, w.satA, day(-90), day(-10));
  await recordOk(t, w.liaison.token, { k: w.k, household: w.satA, child: movedOn, at: new Date(Date.now() - 30 * 86_400_000).toISOString() });
  await recordOk(t, w.liaison.token, { k: w.k, household: w.satB, child: w.childB });
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

/**
 * An entity's persisted properties, each as comparable(); for holding two readings of one row
 * together. Lazy properties (a login's password hash) are never joined beside another
 * statement's rows: `lazy: 'absent'` holds them absent, `lazy: 'skip'` leaves them out.
 */
function comparableEntity(meta: any, e: any, lazy: 'absent' | 'skip' | 'compare' = 'compare'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prop of Object.values<any>(meta.properties)) {
    if (!['scalar', 'm:1', '1:1'].includes(prop.kind) || (prop.kind === '1:1' && !prop.owner)) continue;
    if (prop.lazy && lazy === 'skip') continue;
    out[prop.name] = prop.lazy && lazy === 'absent' ? (e[prop.name] === undefined ? 'absent' : 'present') : comparable(e[prop.name], prop);
  }
  return out;
}

/** What comparableEntity(…, 'absent') reads for a row of `select *`: the same, with every lazy property absent. */
function withoutLazy(meta: any, e: any): Record<string, unknown> {
  const out = comparableEntity(meta, e);
  for (const prop of Object.values<any>(meta.properties)) if (prop.lazy) out[prop.name] = 'absent';
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
    expect(readBack.map((e) => comparableEntity(meta, e, 'absent'))).toEqual(plain.map((e) => withoutLazy(meta, e)));
    // All of them as one row of arrays, in the same order (not for entities with array columns).
    if ((Object.values(meta.properties) as any[]).some((p) => p.columnTypes?.some((c: string) => c.endsWith('[]')))) {
      expect(() => joinedListColumns(em, entity, 'j', 'list', '1')).toThrow(/array columns/);
      continue;
    }
    listed++;
    const [listRow] = await sql(em, `select 1 as outer_column, ${joinedListColumns(em, entity, 'j', 'list', '1')} from (select * from "${meta.tableName}" order by 1 limit 25) j`);
    const list = readJoinedList(em, entity as any, listRow, 'list');
    expect(Object.keys(mapRow(em, entity as any, listRow))).toEqual([]);
    expect(list.map((e) => comparableEntity(meta, e, 'absent'))).toEqual(plain.map((e) => withoutLazy(meta, e)));
    expect(list.every((e) => e instanceof entity)).toBe(true);
  }
  expect(covered).toBeGreaterThanOrEqual(entities.length - 6);
  expect(listed).toBeGreaterThanOrEqual(covered - 6);
  // A joined login is what every scoped read of users selects: never the password hash.
  const userColumns = (sqlList: string) =>
    sqlList.split(',').map((c) =>
      c
        .trim()
        .replace(/^u\./, '')
        .replace(/ as .*$/, ''),
    );
  expect(userColumns(joinedColumns(em, User, 'u', 'user')).sort()).toEqual(userColumns(USER_COLUMNS).sort());
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

/** Loader answers as comparable values: entities by their own metadata, nulls as null, the rest as they are. */
function readable(v: unknown): unknown {
  if (v == null) return null;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(readable);
  const meta = t.service.app.orm.getMetadata().find(v.constructor.name);
  if (meta) return { entity: meta.className, ...comparableEntity(meta, v) };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readable(x)]));
}

test('lists that bring their related rows hand each loader what it would read itself, to every kind of viewer', async () => {
  const app = t.service.app;
  const viewers = {
    hubCarer: w.hubCarer.userId!,
    liaison: w.liaison.id,
    otherLiaison: w.otherLiaison.id,
    manager: w.manager.id,
    satelliteCarer: w.carerA.userId!,
    otherSatelliteCarer: w.carerB.userId!,
  };
  const noWhere = { householdId: null, from: null, to: null, safeguarding: null, placementAtRisk: null, followUpDueOnOrBefore: null };
  const seen = { bookings: 0, entries: 0, emptyPages: 0, users: 0, usersOutOfReach: 0, children: 0, childrenOutOfSight: 0, bookingChildrenNotShown: 0 };
  for (const [who, userId] of Object.entries(viewers)) {
    const listed = await subscriberContext(app, userId);
    // First pages whose totals are asked for (as a connection asking for totalCount does).
    const bookings = await bookingsOfConstellation(listed).load({ parentId: w.k, args: { limit: 20, after: null, filter: null, withTotal: true } });
    const entries = await supportLogOfConstellation(listed).load({ parentId: w.k, args: { limit: 20, after: null, where: noWhere, withTotal: true } });
    const userIds = [...bookings.map((b) => b.requestedBy?.id), ...entries.map((e) => e.recordedBy?.id)].filter((id): id is string => !!id);
    const childIds = entries.flatMap((e) => (e.child ? [e.child.id] : []));
    const ask = (ctx: Ctx) =>
      Promise.all([
        Promise.all(bookings.map((b) => childrenOfBooking(ctx).load(b.id))),
        Promise.all(userIds.map((id) => userById(ctx).load(id))),
        Promise.all(entries.map((e) => householdById(ctx).load(e.household.id))),
        Promise.all(childIds.map((id) => childById(ctx).load(id))),
        bookingCountOfConstellation(ctx).load({ parentId: w.k, args: null }),
        supportLogCountOfConstellation(ctx).load(countKey(w.k, noWhere)),
      ]);
    // What the lists handed over is answered without a statement…
    const handed = countStatements(() => ask(listed));
    const fromLists = await handed.result;
    expect({ who, statements: handed.counter.count }).toEqual({ who, statements: 0 });
    // …and is exactly what each loader reads on its own for this viewer, absences included.
    const fresh = await subscriberContext(app, userId);
    const fromLoaders = await ask(fresh);
    expect({ who, read: readable(fromLists) }).toEqual({ who, read: readable(fromLoaders) });
    // A child shown in a booking is not thereby one the viewer may see elsewhere.
    expect({ who, lone: readable(await childById(listed).load(w.childLone)) }).toEqual({ who, lone: readable(await childById(fresh).load(w.childLone)) });
    if (who === 'hubCarer') {
      expect(fromLists[0].flat().some((r) => r.child.id === w.childLone && r.shown)).toBe(true);
      expect(await childById(listed).load(w.childLone)).toBeNull();
    }
    const [bookingChildren, users, , children, [bookingTotal = 0], entryTotal] = fromLists;
    expect({ who, totals: [bookingTotal, entryTotal] }).toEqual({ who, totals: [bookings.length, entries.length] });
    seen.bookings += bookings.length;
    seen.entries += entries.length;
    seen.emptyPages += Number(!bookings.length) + Number(!entries.length);
    seen.users += users.filter(Boolean).length;
    seen.usersOutOfReach += users.filter((u) => !u).length;
    seen.children += children.filter(Boolean).length;
    seen.childrenOutOfSight += children.filter((c) => !c).length;
    seen.bookingChildrenNotShown += bookingChildren.flat().filter((r) => !r.shown).length;
  }
  // Not vacuous: each kind of answer, and each kind of absence, was handed over and compared.
  for (const [kind, n] of Object.entries(seen)) expect({ kind, some: n > 0 }).toEqual({ kind, some: true });
});
