import pg from 'pg';
import { createTestDb, embedded, type TestDb } from '../support/db';
import { day } from '../support/fixtures';

/**
 * The rules the database holds by itself, whatever the code does (DESIGN.md: Beds, Children):
 * checked with plain SQL, and — on a real PostgreSQL — with two transactions racing and no
 * application lock at all.
 */
let db: TestDb;
let org: string;
let k: string;
let household: string;
let child: string;
let child2: string;
beforeAll(async () => {
  db = await createTestDb();
  [{ id: org }] = await db.sql(`insert into organisation (name, kind) values ('Org', 'LOCAL_AUTHORITY') returning id`);
  [{ id: household }] = await db.sql(`insert into household (organisation_id, name, postcode_district, status) values ($1, 'H', 'LS6', 'APPROVED') returning id`, [org]);
  [{ id: k }] = await db.sql(`insert into constellation (organisation_id, name, status, sleepover_beds) values ($1, 'K', 'ACTIVE', 2) returning id`, [org]);
  await db.sql(`insert into hub_bed (constellation_id, bed, organisation_id) values ($1, 1, $2), ($1, 2, $2)`, [k, org]);
  [{ id: child }] = await db.sql(`insert into child (organisation_id, reference, first_name, date_of_birth) values ($1, 'R1', 'A', '2015-01-01') returning id`, [org]);
  [{ id: child2 }] = await db.sql(`insert into child (organisation_id, reference, first_name, date_of_birth) values ($1, 'R2', 'B', '2015-01-01') returning id`, [org]);
});
afterAll(async () => db.drop());
afterEach(async () => db.sql(`delete from bed_claim; delete from sleepover_child; delete from sleepover`));

async function sleepover(status: string, start: number, end: number, children: string[]): Promise<string> {
  const [{ id }] = await db.sql(`insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date) values ($1, $2, $3, 'PLANNED', $4, $5, $6) returning id`, [
    org,
    k,
    household,
    status,
    day(start),
    day(end),
  ]);
  for (const c of children) await db.sql(`insert into sleepover_child (sleepover_id, child_id, organisation_id) values ($1, $2, $3)`, [id, c, org]);
  return id;
}
const claim = (bed: number, start: number, end: number, sleepoverId: string | null, childId: string | null) =>
  db.sql(`insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id, is_block) values ($1, $2, $3, $4, $5, $6, $7, $8)`, [
    org,
    k,
    bed,
    day(start),
    day(end),
    sleepoverId,
    childId,
    sleepoverId === null,
  ]);

test('no bed holds two children, or a child and a block, on a night; no bed beyond the hub’s', async () => {
  const s1 = await sleepover('CONFIRMED', 1, 3, [child]);
  const s2 = await sleepover('CONFIRMED', 2, 4, [child2]);
  await claim(1, 1, 3, s1, child);
  await expect(claim(1, 2, 4, s2, child2)).rejects.toMatchObject({ constraint: 'bed_claim_no_overlap' });
  await claim(1, 3, 4, s2, child2); // the next night is free: ranges are [start, end)
  await expect(claim(2, 2, 3, null, null)).resolves.toBeDefined();
  await expect(claim(2, 2, 5, null, null)).rejects.toMatchObject({ constraint: 'bed_claim_no_overlap' });
  await expect(claim(3, 10, 11, null, null)).rejects.toMatchObject({ constraint: 'bed_claim_hub_bed_fk' });
  await expect(claim(1, 5, 5, null, null)).rejects.toMatchObject({ constraint: 'bed_claim_dates_rule' });
});

test("a child's active sleepovers never share a night; the children follow their sleepover's status and dates", async () => {
  const s1 = await sleepover('REQUESTED', 1, 4, [child]);
  await expect(sleepover('CONFIRMED', 3, 5, [child])).rejects.toMatchObject({ constraint: 'sleepover_child_no_overlap' });
  await db.sql(`update sleepover set status = 'DECLINED' where id = $1`, [s1]);
  expect(await db.sql(`select active from sleepover_child where sleepover_id = $1`, [s1])).toEqual([{ active: false }]);
  const s2 = await sleepover('CONFIRMED', 3, 5, [child]);
  await db.sql(`update sleepover set end_date = $2 where id = $1`, [s2, day(4)]);
  expect(await db.sql(`select active, start_date, end_date from sleepover_child where sleepover_id = $1`, [s2])).toEqual([{ active: true, start_date: day(3), end_date: day(4) }]);
  // Writing the child row directly cannot make it disagree with its sleepover.
  await db.sql(`update sleepover_child set active = false, end_date = $2 where sleepover_id = $1`, [s2, day(9)]);
  expect(await db.sql(`select active, end_date from sleepover_child where sleepover_id = $1`, [s2])).toEqual([{ active: true, end_date: day(4) }]);
  await expect(db.sql(`update sleepover set status = 'REQUESTED' where id = $1`, [s1])).rejects.toMatchObject({ constraint: 'sleepover_child_no_overlap' });
});

(embedded() ? test.skip : test)('two transactions racing for one bed, with no application lock: the second fails in the database', async () => {
  const s1 = await sleepover('CONFIRMED', 1, 3, [child]);
  const s2 = await sleepover('CONFIRMED', 2, 4, [child2]);
  const a = new pg.Client({ connectionString: db.url });
  const b = new pg.Client({ connectionString: db.url });
  await a.connect();
  await b.connect();
  try {
    const insert = `insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id) values ($1, $2, 1, $3, $4, $5, $6)`;
    await a.query('begin');
    await b.query('begin');
    await a.query(insert, [org, k, day(1), day(3), s1, child]);
    // b's insert waits for a's transaction, then fails once a commits.
    const racing = b.query(insert, [org, k, day(2), day(4), s2, child2]).then(
      () => 'inserted',
      (e: { constraint?: string }) => e.constraint,
    );
    await new Promise((r) => setTimeout(r, 200));
    await a.query('commit');
    expect(await racing).toBe('bed_claim_no_overlap');
    await b.query('rollback');
  } finally {
    await a.end();
    await b.end();
  }
  expect(await db.sql(`select sleepover_id from bed_claim`)).toEqual([{ sleepover_id: s1 }]);
});
