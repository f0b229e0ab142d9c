import crypto from 'node:crypto';
import { generate, mulberry32 } from '../../bench/seed/national';
import { addDays } from '../../src/platform/time';
import { stabilityReport, type StabilityScope } from '../../src/stability/stability.service';
import { createTestDb, type TestDb } from '../support/db';
import { referenceReport, type RefData } from './reference';

// The synthetic data generator: reproducible, loadable under every constraint of the schema, and
// realistic data on which the SQL still agrees with the reference computation.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

/** Runs the generator against a recorder instead of a database: a digest of every statement. */
async function fingerprint(seed: number): Promise<string> {
  const hash = crypto.createHash('sha256');
  await generate({ query: async (text, params) => void hash.update(text + JSON.stringify(params)) }, { scale: 'demo', seed });
  return hash.digest('hex');
}

test('mulberry32 is the published generator', () => {
  // First outputs for seed 1 of the reference implementation (bryc's mulberry32).
  const next = mulberry32(1);
  expect([next(), next(), next()].map((x) => Math.floor(x * 4294967296))).toEqual([2693262067, 11749833, 2265367787]);
});

test('the same seed gives the same data, another seed other data', async () => {
  const a = await fingerprint(42);
  expect(await fingerprint(42)).toBe(a);
  expect(await fingerprint(43)).not.toBe(a);
});

test('demo data loads under every constraint, and the SQL figures equal the reference on it', async () => {
  const counts = await db.orm.em.fork().transactional((em) => generate(em, { scale: 'demo', seed: 7 }));
  const [actual] = await db.sql(`select
      (select count(*) from organisation)::int as organisations, (select count(*) from household)::int as households,
      (select count(*) from child)::int as children, (select count(*) from placement)::int as placements,
      (select count(*) from constellation)::int as constellations, (select count(*) from sleepover)::int as sleepovers,
      (select count(*) from sleepover_child)::int as "sleepoverChildren"`);
  expect(actual).toEqual({
    organisations: 2,
    households: 300,
    children: 400,
    placements: counts.placements,
    constellations: 7,
    sleepovers: 2000,
    sleepoverChildren: counts.sleepoverChildren,
  });
  // Shapes the figures depend on are all present.
  const [shapes] = await db.sql(`select
      count(*) filter (where kind = 'RESPITE')::int as respite,
      count(*) filter (where household_id is null)::int as elsewhere,
      count(*) filter (where end_reason = 'PLACE')::int as status_changes,
      count(*) filter (where end_date is null)::int as open
    from placement`);
  for (const n of Object.values(shapes)) expect(n).toBeGreaterThan(0);
  const [satellites] = await db.sql(`select min(n)::int as min, max(n)::int as max from (
      select c.id, count(m.id) as n from constellation c
      join constellation_membership m on m.constellation_id = c.id and m.role = 'SATELLITE' and m.period @> '2026-11-01'::date
      where c.status <> 'CLOSED' and c.launched_on is not null group by c.id) x`);
  expect(satellites.max).toBeLessThanOrEqual(10);
  // Needs for about 30 % of children, skills and bedrooms for about 60 % of households.
  const [profiles] = await db.sql(`select
      (select count(distinct child_id) from child_need)::float / (select count(*) from child) as needs,
      (select count(distinct household_id) from household_skill)::float / (select count(*) from household) as skills,
      (select count(*) from household where bedrooms is not null)::float / (select count(*) from household) as bedrooms,
      (select count(*) from child_need where essential)::int as essential`);
  expect(profiles.needs).toBeGreaterThan(0.22);
  expect(profiles.needs).toBeLessThan(0.38);
  expect(profiles.skills).toBeGreaterThan(0.5);
  expect(profiles.skills).toBeLessThan(0.7);
  expect(profiles.bedrooms).toBe(profiles.skills);
  expect(profiles.essential).toBeGreaterThan(0);
  expect([counts.childNeeds, counts.householdSkills].every((n) => n > 0)).toBe(true);
  // Hub bookings of every purpose, past ones with outcomes, the children booked placed with one of
  // the constellation's satellites that day.
  const [bookings] = await db.sql(`select count(*)::int as n,
      count(distinct purpose)::int as purposes,
      count(*) filter (where status = 'CONFIRMED' and outcome is not null)::int as with_outcome,
      count(*) filter (where status = 'CONFIRMED' and london_day < '2026-11-01' and outcome is null)::int as past_without_outcome,
      (select count(*) from hub_booking_child x join hub_booking b on b.id = x.booking_id
        where not exists (select 1 from placement p join constellation_membership m on m.household_id = p.household_id and m.role = 'SATELLITE'
                           where p.child_id = x.child_id and p.period @> b.london_day and m.constellation_id = b.constellation_id and m.period @> b.london_day))::int as misplaced
    from hub_booking`);
  expect(bookings).toEqual({ n: counts.hubBookings, purposes: 5, with_outcome: expect.any(Number), past_without_outcome: 0, misplaced: 0 });
  expect(bookings.with_outcome).toBeGreaterThan(0);

  const org = (await db.sql(`select organisation_id as id from child group by 1 order by count(*) desc limit 1`))[0].id;
  const data = await loadReference(org);
  const constellations = (await db.sql(`select id from constellation where organisation_id = $1 order by id`, [org])).map((r) => r.id);
  const scopes: StabilityScope[] = [
    { kind: 'ORGANISATION' },
    { kind: 'NO_CONSTELLATION' },
    ...constellations.slice(0, 2).map((id): StabilityScope => ({ kind: 'CONSTELLATION', constellationId: id })),
  ];
  for (const to of ['2026-11-01', '2024-03-31']) {
    const from = addDays(to, -364);
    for (const scope of scopes) {
      const sqlFigures = await stabilityReport(db.orm.em.fork(), { organisationId: org, scope, from, to });
      expect({ scope, ...sqlFigures }).toEqual({ scope, ...referenceReport(data, scope, from, to) });
    }
  }
});

async function loadReference(org: string): Promise<RefData> {
  const [children, placements, households, memberships, sleepovers, sleepoverChildren] = await Promise.all([
    db.sql(`select id, date_of_birth as "dateOfBirth" from child where organisation_id = $1`, [org]),
    db.sql(
      `select child_id as "childId", household_id as "householdId", setting, provider_name as "providerName", kind,
              start_date as start, end_date as "end", unplanned
       from placement where organisation_id = $1`,
      [org],
    ),
    db.sql(`select id, approved_on as "approvedOn", deregistered_on as "deregisteredOn" from household where organisation_id = $1`, [org]),
    db.sql(
      `select constellation_id as "constellationId", household_id as "householdId", role, joined_on as "joinedOn", left_on as "leftOn"
       from constellation_membership where organisation_id = $1`,
      [org],
    ),
    db.sql(`select id, constellation_id as "constellationId", status, start_date as start, end_date as "end" from sleepover where organisation_id = $1`, [org]),
    db.sql(`select sleepover_id, child_id as "childId", start_date as start, end_date as "end", active from sleepover_child where organisation_id = $1`, [org]),
  ]);
  const bySleepover = new Map<string, any[]>();
  for (const c of sleepoverChildren) bySleepover.set(c.sleepover_id, [...(bySleepover.get(c.sleepover_id) ?? []), c]);
  return {
    children,
    placements,
    households,
    memberships,
    sleepovers: sleepovers.map((s) => ({ ...s, children: bySleepover.get(s.id) ?? [] })),
  };
}
