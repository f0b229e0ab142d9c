import { schemaDrift } from '../../src/platform/db/migrate';
import { createTestDb, type TestDb } from '../support/db';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

test('entities and the migrated database agree', async () => {
  expect(await schemaDrift(db.orm)).toEqual([]);
});

test('the audit trail rejects UPDATE and DELETE', async () => {
  const org = await db.sql(`insert into organisation (name, kind) values ('A', 'LOCAL_AUTHORITY') returning id`);
  const ev = await db.sql(`insert into audit_event (organisation_id, action, subject_id) values ($1, 'Test.write', 'x') returning id`, [org[0].id]);
  await expect(db.sql(`update audit_event set action = 'changed' where id = $1`, [ev[0].id])).rejects.toThrow(/append-only/);
  await expect(db.sql(`delete from audit_event where id = $1`, [ev[0].id])).rejects.toThrow(/append-only/);
  const still = await db.sql(`select action from audit_event where id = $1`, [ev[0].id]);
  expect(still[0].action).toBe('Test.write');
});
