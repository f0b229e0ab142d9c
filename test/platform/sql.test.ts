import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, sqlOne } from '../../src/platform/db/sql';
import { createTestDb, embedded, type TestDb } from '../support/db';

/**
 * sql() sends statements straight to pg, named (prepared once per connection) on a real
 * PostgreSQL. One pooled connection here, so every call meets the statements the last one left.
 */
let db: TestDb;
beforeAll(async () => {
  db = await createTestDb({ poolMax: 1 });
});
afterAll(async () => db.drop());

const em = () => db.orm.em.fork() as unknown as EntityManager;

test('values travel as parameters: arrays as one array value, jsonb ? untouched, unused values dropped', async () => {
  expect(await sqlOne(em(), `select cardinality($1::uuid[]) as n, $2::text as s`, [['6f1d2c1e-8c7b-4b8e-9a53-0d5f5f4f6a11', '1e0f6b4c-2d35-4c0a-8f1e-9b3a5c7d2e10'], "it's"])).toEqual({
    n: 2,
    s: "it's",
  });
  expect(await sqlOne(em(), `select '{"a": 1}'::jsonb ? 'a' as has`)).toEqual({ has: true });
  // One parameter list built for two statements, the second of which uses only some of it.
  expect(await sqlOne(em(), `select $3::int - $1::int as d`, [1, 'unused', 10])).toEqual({ d: 9 });
  await expect(sql(em(), `select $2::int as x`, [1])).rejects.toThrow('SQL parameter $2 has no value');
});

test('statements are prepared once per connection on a real PostgreSQL (not on the embedded one)', async () => {
  const text = `select count(*)::int as n from household where organisation_id = $1::uuid`;
  await em().transactional(async (tx) => {
    await sql(tx, text, ['6f1d2c1e-8c7b-4b8e-9a53-0d5f5f4f6a11']);
    await sql(tx, text, ['6f1d2c1e-8c7b-4b8e-9a53-0d5f5f4f6a11']);
    const prepared = await sql(tx, `select name, statement from pg_prepared_statements where statement = $1`, [text]);
    expect(prepared).toHaveLength(embedded() ? 0 : 1);
  });
});

test('a statement planned each time is never prepared, and answers the same', async () => {
  const text = `select count(*)::int as n from household where organisation_id = $1::uuid and $2::int > 0`;
  await em().transactional(async (tx) => {
    for (let i = 0; i < 7; i++) expect(await sql(tx, text, ['6f1d2c1e-8c7b-4b8e-9a53-0d5f5f4f6a11', i + 1], { planEachTime: true })).toEqual([{ n: 0 }]);
    expect(await sql(tx, `select name from pg_prepared_statements where statement = $1`, [text])).toEqual([]);
  });
});

test('a table that changes shape under a prepared statement is prepared again, not an error', async () => {
  await sql(em(), `create table shape_test (a int)`);
  await sql(em(), `insert into shape_test values (1)`);
  expect(await sql(em(), `select * from shape_test`)).toEqual([{ a: 1 }]);
  await sql(em(), `alter table shape_test add column b text default 'x'`);
  expect(await sql(em(), `select * from shape_test`)).toEqual([{ a: 1, b: 'x' }]);
  await sql(em(), `drop table shape_test`);
});

test('inside a transaction, on its connection: a rollback undoes what sql() wrote', async () => {
  await sql(em(), `create table tx_test (a int)`);
  await expect(
    em().transactional(async (tx) => {
      await sql(tx, `insert into tx_test values ($1)`, [1]);
      expect(await sql(tx, `select a from tx_test`)).toEqual([{ a: 1 }]);
      throw new Error('roll back');
    }),
  ).rejects.toThrow('roll back');
  expect(await sql(em(), `select a from tx_test`)).toEqual([]);
  await sql(em(), `drop table tx_test`);
});

test('a text of several statements (no parameters) runs as one script', async () => {
  expect(await sql(em(), `create temporary table script_test (a int); insert into script_test values (1), (2); select sum(a)::int as s from script_test`)).toEqual([{ s: 3 }]);
  await sql(em(), `drop table script_test`);
});
