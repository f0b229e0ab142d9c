import fc from 'fast-check';
import { addDays } from '../../src/platform/time';
import type { StabilityScope } from '../../src/stability/stability.service';
import { createTestDb, type TestDb } from '../support/db';
import { Fixture, IN, NONE, ORG } from './fixtures';
import { referenceChildStability, referenceReport } from './reference';

// Random care histories, written to the database, and every figure of every scope compared with
// the in-memory reference. Each run is a new organisation in the same database, so earlier runs
// also check that nothing leaks between organisations.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

// Modest by default so the suite stays quick on the embedded database; raise it to search harder.
const NUM_RUNS = Number(process.env.STABILITY_PROPERTY_RUNS ?? 40);
const DAY0 = '2020-01-01';
const day = (offset: number) => addDays(DAY0, offset);

const HOUSEHOLDS = 6; // 0 is the hub of constellation 0, 1 the hub of constellation 1
const ELSEWHERE = [
  { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Acme' },
  { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Bramble' },
  { setting: 'RESIDENTIAL', provider: null },
  { setting: 'RESIDENTIAL', provider: 'Acme' },
];

const gapArb = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 150 }) });

const placementArb = fc.record({
  gap: gapArb,
  length: fc.oneof(
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 60 }) },
    { weight: 3, arbitrary: fc.integer({ min: 60, max: 400 }) },
    { weight: 1, arbitrary: fc.integer({ min: 400, max: 1500 }) },
  ),
  // previous: the record before's carer; placement: the carer of the last non-RESPITE record, so
  // A, stay, A (and A, stay, stay, A) come up often.
  same: fc.constantFrom('no', 'no', 'previous', 'placement'),
  target: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: HOUSEHOLDS - 1 }) }, { weight: 1, arbitrary: fc.integer({ min: HOUSEHOLDS, max: HOUSEHOLDS + ELSEWHERE.length - 1 }) }),
  kind: fc.constantFrom('SHORT_TERM', 'LONG_TERM', 'EMERGENCY', 'LONG_TERM', 'RESPITE', 'RESPITE'),
  unplanned: fc.boolean(),
  reason: fc.constantFrom('PLACE', 'CARPL', 'CREQB', 'LEFT_CARE'),
});

const childArb = fc.record({
  dob: fc.oneof(fc.integer({ min: -17 * 365, max: 2 * 365 }).map(day), fc.constantFrom('2004-02-29', '2008-02-29', '2005-03-01', '2005-02-28')),
  start: fc.integer({ min: -900, max: 1000 }),
  placements: fc.array(placementArb, { maxLength: 8 }),
  open: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 2, arbitrary: fc.constant(false) }),
});

const membershipArb = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })),
  length: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: null }),
  constellation: fc.integer({ min: 0, max: 1 }),
});

const householdArb = fc.record({
  approved: fc.option(fc.integer({ min: -600, max: 1800 }), { nil: null, freq: 6 }),
  deregisteredAfter: fc.option(fc.integer({ min: 1, max: 1500 }), { nil: null, freq: 2 }),
  membershipStart: fc.integer({ min: -300, max: 900 }),
  memberships: fc.array(membershipArb, { minLength: 1, maxLength: 3 }),
});

const sleepoverArb = fc.record({
  constellation: fc.integer({ min: 0, max: 1 }),
  household: fc.integer({ min: 2, max: HOUSEHOLDS - 1 }),
  status: fc.constantFrom<'REQUESTED' | 'CONFIRMED' | 'DECLINED' | 'CANCELLED'>('REQUESTED', 'CONFIRMED', 'CONFIRMED', 'DECLINED', 'CANCELLED'),
  start: fc.integer({ min: -100, max: 1500 }),
  nights: fc.integer({ min: 1, max: 28 }),
  children: fc.uniqueArray(fc.record({ child: fc.nat() }), {
    minLength: 1,
    maxLength: 3,
    selector: (c) => c.child % 8,
  }),
});

const worldArb = fc.record({
  households: fc.array(householdArb, { minLength: HOUSEHOLDS, maxLength: HOUSEHOLDS }),
  hubStarts: fc.tuple(fc.integer({ min: -300, max: 600 }), fc.integer({ min: -300, max: 600 })),
  children: fc.array(childArb, { minLength: 2, maxLength: 10 }),
  sleepovers: fc.array(sleepoverArb, { maxLength: 20 }),
  queries: fc.array(
    fc.record({
      // `to` (and today) are a date where something happens, give or take a day, or any day.
      to: fc.oneof(
        fc.nat().map((n) => ({ pick: n })),
        fc.integer({ min: 0, max: 1500 }).map((n) => ({ day: n })),
      ),
      toOffset: fc.integer({ min: -1, max: 1 }),
      // `from` is `to` minus a length, or itself a date where something happens.
      from: fc.oneof(
        fc.constant(364).map((n) => ({ length: n })),
        fc.integer({ min: 0, max: 1500 }).map((n) => ({ length: n })),
        fc.nat().map((n) => ({ pick: n })),
      ),
      today: fc.oneof(
        fc.nat().map((n) => ({ pick: n })),
        fc.integer({ min: 0, max: 1500 }).map((n) => ({ day: n })),
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function build(fx: Fixture, w: World): { interesting: string[]; childIds: string[] } {
  const interesting: string[] = [];
  const households = w.households.map((h) => {
    const approvedOn = h.approved === null ? null : day(h.approved);
    const deregisteredOn = approvedOn && h.deregisteredAfter !== null ? addDays(approvedOn, h.deregisteredAfter) : null;
    if (approvedOn) interesting.push(approvedOn);
    if (deregisteredOn) interesting.push(deregisteredOn);
    return fx.household({ approvedOn, deregisteredOn });
  });
  const constellations = [fx.constellation(), fx.constellation()];
  w.hubStarts.forEach((start, i) => fx.member(constellations[i], households[i], 'HUB', day(start)));
  w.households.forEach((h, i) => {
    if (i < 2) return; // the hubs stay hubs
    let cursor = h.membershipStart;
    for (const m of h.memberships) {
      const joined = cursor + m.gap;
      const left = m.length === null ? null : joined + m.length;
      fx.member(constellations[m.constellation], households[i], 'SATELLITE', day(joined), left === null ? null : day(left));
      interesting.push(day(joined));
      if (left === null) break;
      interesting.push(day(left));
      cursor = left;
    }
  });
  const childIds = w.children.map((c) => {
    const id = fx.child(c.dob);
    let cursor = c.start;
    let target = -1;
    let placementTarget = -1;
    c.placements.forEach((p, i) => {
      const start = cursor + (i === 0 ? 0 : p.gap);
      const end = i === c.placements.length - 1 && c.open ? null : start + p.length;
      target = p.same === 'previous' && target >= 0 ? target : p.same === 'placement' && placementTarget >= 0 ? placementTarget : p.target;
      if (p.kind !== 'RESPITE') placementTarget = target;
      const where = target < HOUSEHOLDS ? { household: households[target] } : { setting: ELSEWHERE[target - HOUSEHOLDS].setting, provider: ELSEWHERE[target - HOUSEHOLDS].provider };
      fx.placement(id, { ...where, kind: p.kind, start: day(start), end: end === null ? null : day(end), reason: p.reason, unplanned: p.unplanned });
      interesting.push(day(start));
      if (end !== null) interesting.push(day(end));
      if (end !== null) cursor = end;
    });
    interesting.push(addDays(c.dob, 16 * 365 + 4));
    return id;
  });
  // Active sleepover children never share a night (the database's exclusion constraint): a child
  // who would is left out of that sleepover, as the service would refuse it.
  const activeNights = new Map<string, [string, string][]>();
  for (const s of w.sleepovers) {
    const start = day(s.start);
    const end = day(s.start + s.nights);
    const active = s.status === 'REQUESTED' || s.status === 'CONFIRMED';
    const rows: { childId: string; start: string; end: string; active: boolean }[] = [];
    for (const c of s.children) {
      const childId = childIds[c.child % childIds.length];
      if (rows.some((r) => r.childId === childId)) continue;
      // A child's nights are its sleepover's: siblings stay together (a trigger holds it).
      const row = { childId, start, end, active };
      const taken = activeNights.get(childId) ?? [];
      if (active && taken.some(([a, b]) => a < row.end && row.start < b)) continue;
      if (active) activeNights.set(childId, [...taken, [row.start, row.end]]);
      rows.push(row);
    }
    if (rows.length === 0) continue;
    fx.sleepover(constellations[s.constellation], households[s.household], s.status, start, end, rows);
    interesting.push(start, end);
  }
  return { interesting, childIds };
}

let lastRunConstellation: string | null = null;

test('the SQL figures equal the reference over random histories, for every scope', async () => {
  await fc.assert(
    fc.asyncProperty(worldArb, async (w) => {
      const fx = await Fixture.create(db);
      const { interesting, childIds } = build(fx, w);
      await fx.flush();
      const constellations = (await db.sql<{ id: string }>(`select id from constellation where organisation_id = $1`, [fx.orgId])).map((r) => r.id);
      const pick = (q: { pick: number } | { day: number }) => ('day' in q ? day(q.day) : interesting.length ? interesting[q.pick % interesting.length] : DAY0);
      const previousConstellation = lastRunConstellation;
      lastRunConstellation = constellations[0];
      for (const q of w.queries) {
        let to = addDays(pick(q.to), q.toOffset);
        let from = 'length' in q.from ? addDays(to, -q.from.length) : pick(q.from);
        if (from > to) [from, to] = [to, from];
        const scopes: StabilityScope[] = [ORG, NONE, ...constellations.map(IN)];
        for (const scope of scopes) {
          const actual = await fx.report(scope, from, to);
          expect({ scope, ...actual }).toEqual({ scope, ...referenceReport(fx.data, scope, from, to) });
        }
        // Both constellations in one statement, in the order asked, each as its own report;
        // another organisation's constellation (the previous run's) gives zeros.
        const asked = [constellations[1], constellations[0], ...(previousConstellation ? [previousConstellation] : [])];
        const together = await fx.constellationReports(asked, from, to);
        expect(together).toEqual(asked.map((id) => referenceReport(fx.data, IN(id), from, to)));
        const today = pick(q.today);
        const actual = await fx.childStability(childIds, today);
        expect(actual).toEqual(childIds.map((id) => referenceChildStability(fx.data, id, today)));
      }
    }),
    { numRuns: NUM_RUNS },
  );
});
