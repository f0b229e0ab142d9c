import { ageOn } from '../../src/platform/time';
import { countStatements, installStatementCounter } from '../../src/platform/db/statement-counter';
import { UserFacingError } from '../../src/platform/graphql/user-errors';
import { stabilityReport, type StabilityScope } from '../../src/stability/stability.service';
import { createTestDb, type TestDb } from '../support/db';
import { Fixture, IN, NONE, ORG } from './fixtures';
import { referenceReport } from './reference';

// Hand-computed fixtures, one edge at a time. Each expectation is checked against the SQL and
// against the reference implementation used by the property tests, so the reference is itself
// pinned to hand-computed numbers.

let db: TestDb;
beforeAll(async () => {
  installStatementCounter();
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

const FROM = '2025-01-01';
const TO = '2025-12-31';

async function check(fx: Fixture, scope: StabilityScope, from: string, to: string, expected: Record<string, unknown>) {
  const report = await fx.report(scope, from, to);
  expect(report).toMatchObject(expected);
  expect(referenceReport(fx.data, scope, from, to)).toEqual(report);
  return report;
}

test('placements crossing the edges of the period: [from, to] inclusive, placements [start, end)', async () => {
  const fx = await Fixture.create(db);
  const h1 = fx.household();
  const c1 = fx.child();
  fx.placement(c1, { household: h1, start: '2024-06-01' });
  const c2 = fx.child(); // moved on on `to`: not looked after on `to`, ending inside the period
  fx.placement(c2, { provider: 'Acme Fostering', start: '2024-01-01', end: TO });
  const c3 = fx.child(); // placed on `to`
  fx.placement(c3, { provider: 'Acme Fostering', start: TO });
  const c4 = fx.child(); // placed the day after `to`
  fx.placement(c4, { provider: 'Acme Fostering', start: '2026-01-01' });
  const c5 = fx.child(); // moved on on `from`: the ending is inside the period
  fx.placement(c5, { provider: 'Acme Fostering', start: '2023-01-01', end: FROM, unplanned: true });
  const c6 = fx.child(); // last night on `to`: looked after on `to`, ends in the next period
  fx.placement(c6, { provider: 'Acme Fostering', start: '2023-01-01', end: '2026-01-01', unplanned: true });
  const c7 = fx.child(); // moved on the day before `from`
  fx.placement(c7, { provider: 'Acme Fostering', start: '2023-01-01', end: '2024-12-31', unplanned: true });
  const c8 = fx.child(); // moved on `from`: the placement it left does not overlap the period
  fx.placement(c8, { provider: 'Acme Fostering', start: '2024-01-01', end: FROM });
  fx.placement(c8, { household: h1, start: FROM, end: '2025-06-01' });
  fx.placement(c8, { provider: 'Bramble Fostering', start: '2025-06-01' });

  await check(fx, ORG, FROM, TO, {
    childrenLookedAfter: 4,
    childrenWithThreeOrMorePlacements: 0, // c8 has two
    threeOrMorePlacementsRate: 0,
    longTermEligible: 1, // c6: since 2023-01-01, on or before 2023-06-30
    longTermStable: 1,
    longTermStabilityRate: 1,
    placementEndings: 4, // c2, c5, and c8 on `from` and in June
    unplannedEndings: 1,
    childIdsWithUnplannedEndings: [c5],
    householdsAtStart: 1,
  });
});

test('same household without a gap is one placement, whatever the reason; A→B→A is three', async () => {
  const fx = await Fixture.create(db);
  const [h1, h2, h3] = [fx.household(), fx.household(), fx.household()];
  const c1 = fx.child(); // status changes only
  fx.placement(c1, { household: h1, kind: 'SHORT_TERM', start: '2024-01-01', end: '2025-03-01', reason: 'PLACE' });
  fx.placement(c1, { household: h1, kind: 'LONG_TERM', start: '2025-03-01', end: '2025-06-01', reason: 'PLACE' });
  fx.placement(c1, { household: h1, kind: 'LONG_TERM', start: '2025-06-01' });
  const c2 = fx.child(); // A → B → A
  fx.placement(c2, { household: h1, start: '2025-02-01', end: '2025-05-01', unplanned: true });
  fx.placement(c2, { household: h2, start: '2025-05-01', end: '2025-08-01' });
  fx.placement(c2, { household: h1, start: '2025-08-01' });
  const c3 = fx.child(); // same household, reason not PLACE: still one placement; last record's flag
  fx.placement(c3, { household: h2, start: '2024-05-01', end: '2025-04-01', reason: 'CREQB', unplanned: true });
  fx.placement(c3, { household: h2, start: '2025-04-01', end: '2025-07-01', unplanned: false });
  fx.placement(c3, { household: h3, start: '2025-07-01' });
  const c4 = fx.child(); // same household after a one-day gap: two placements
  fx.placement(c4, { household: h3, start: '2024-01-01', end: '2025-01-10', unplanned: true });
  fx.placement(c4, { household: h3, start: '2025-01-11' });
  const c5 = fx.child(); // only placements overlapping the period count
  fx.placement(c5, { household: h1, start: '2024-01-01', end: '2024-03-01' });
  fx.placement(c5, { household: h2, start: '2024-03-01', end: '2024-06-01' });
  fx.placement(c5, { household: h3, start: '2024-06-01', end: '2025-01-02' });
  fx.placement(c5, { household: h1, start: '2025-01-02' });

  await check(fx, ORG, FROM, TO, {
    childrenLookedAfter: 5,
    childrenWithThreeOrMorePlacements: 1,
    childIdsWithThreeOrMorePlacements: [c2],
    threeOrMorePlacementsRate: 0.2,
    placementEndings: 5, // c2 ×2, c3 ×1, c4 ×1, c5 ×1
    unplannedEndings: 2,
    childIdsWithUnplannedEndings: [c2, c4].sort(),
  });
});

test("placements outside the organisation's households count, merge by setting and provider, and keep continuity", async () => {
  const fx = await Fixture.create(db);
  const h1 = fx.household();
  const c1 = fx.child(); // continuous through other providers since 2022: eligible, not stable
  fx.placement(c1, { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Acme', start: '2022-01-01', end: '2023-01-01' });
  fx.placement(c1, { setting: 'RESIDENTIAL', provider: 'Oak House', start: '2023-01-01', end: '2024-01-01' });
  fx.placement(c1, { household: h1, start: '2024-01-01' });
  const c2 = fx.child(); // same provider twice: one placement since 2022, stable
  fx.placement(c2, { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Acme', start: '2022-01-01', end: '2023-01-01' });
  fx.placement(c2, { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Acme', start: '2023-01-01' });
  const c3 = fx.child(); // Acme → Bramble → residential (no name, twice): three placements
  fx.placement(c3, { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Acme', start: '2025-01-01', end: '2025-04-01' });
  fx.placement(c3, { setting: 'OTHER_FOSTERING_PROVIDER', provider: 'Bramble', start: '2025-04-01', end: '2025-08-01' });
  fx.placement(c3, { setting: 'RESIDENTIAL', provider: null, start: '2025-08-01', end: '2025-09-01' });
  fx.placement(c3, { setting: 'RESIDENTIAL', provider: null, start: '2025-09-01' });
  const c4 = fx.child(); // same name, different setting: a move
  fx.placement(c4, { setting: 'RESIDENTIAL', provider: 'Oak House', start: '2024-01-01', end: '2025-06-01' });
  fx.placement(c4, { setting: 'SECURE', provider: 'Oak House', start: '2025-06-01' });

  await check(fx, ORG, FROM, TO, {
    childrenLookedAfter: 4,
    childrenWithThreeOrMorePlacements: 1,
    childIdsWithThreeOrMorePlacements: [c3],
    longTermEligible: 2,
    longTermStable: 1,
    longTermStabilityRate: 0.5,
    placementEndings: 3,
  });
  // Only c1 lives with one of the organisation's households; none of the endings was with one.
  await check(fx, NONE, FROM, TO, { childrenLookedAfter: 1, longTermEligible: 1, longTermStable: 0, placementEndings: 0 });
});

test('continuity: a day without a placement breaks it, a temporary stay does not; 30 months and 2 years', async () => {
  const fx = await Fixture.create(db);
  const [h1, h2] = [fx.household(), fx.household()];
  // to = 2025-12-31: eligible since on or before 2023-06-30; stable since on or before 2023-12-31.
  const gap = fx.child();
  fx.placement(gap, { household: h1, start: '2020-01-01', end: '2023-06-30' });
  fx.placement(gap, { household: h1, start: '2023-07-01' });
  const moved = fx.child();
  fx.placement(moved, { household: h1, start: '2020-01-01', end: '2023-06-30' });
  fx.placement(moved, { household: h2, start: '2023-06-30' });
  const respite = fx.child(); // H1, a stay, H1: one placement since 2020, stable
  fx.placement(respite, { household: h1, start: '2020-01-01', end: '2024-05-01' });
  fx.placement(respite, { household: h2, kind: 'RESPITE', start: '2024-05-01', end: '2024-05-04' });
  fx.placement(respite, { household: h1, start: '2024-05-04' });
  const onCutoff = fx.child();
  fx.placement(onCutoff, { household: h1, start: '2023-06-30' });
  const dayLate = fx.child();
  fx.placement(dayLate, { household: h1, start: '2023-07-01' });
  const movedIn2024 = fx.child();
  fx.placement(movedIn2024, { household: h1, start: '2022-01-01', end: '2024-01-01' });
  fx.placement(movedIn2024, { household: h2, start: '2024-01-01' });
  const movedOnTwoYears = fx.child();
  fx.placement(movedOnTwoYears, { household: h1, start: '2022-01-01', end: '2023-12-31' });
  fx.placement(movedOnTwoYears, { household: h2, start: '2023-12-31' });

  // Eligible: moved, respite, onCutoff, movedIn2024, movedOnTwoYears; stable: all but movedIn2024.
  await check(fx, ORG, FROM, TO, { childrenLookedAfter: 7, longTermEligible: 5, longTermStable: 4, longTermStabilityRate: 0.8 });
});

test('month ends: to minus 30 months and minus 2 years clamp to the end of the month', async () => {
  const fx = await Fixture.create(db);
  const [h1, h2] = [fx.household(), fx.household()];
  const dob = '2015-05-05';
  const c1 = fx.child(dob);
  fx.placement(c1, { household: h1, start: '2024-02-29' });
  const c2 = fx.child(dob);
  fx.placement(c2, { household: h1, start: '2024-03-01' });
  const c3 = fx.child(dob);
  fx.placement(c3, { household: h1, start: '2025-08-29', end: '2026-02-28' });
  fx.placement(c3, { household: h2, start: '2026-02-28' });
  const c4 = fx.child(dob);
  fx.placement(c4, { household: h1, start: '2025-08-29', end: '2026-03-01' });
  fx.placement(c4, { household: h2, start: '2026-03-01' });

  // 2026-08-31 - 30 months = 2024-02-29 (leap year); - 2 years = 2024-08-31.
  await check(fx, ORG, '2026-01-01', '2026-08-31', { childrenLookedAfter: 4, longTermEligible: 1, longTermStable: 1 });
  // 2028-02-29 - 30 months = 2025-08-29; - 2 years = 2026-02-28 (2026 is not a leap year).
  await check(fx, ORG, '2027-03-01', '2028-02-29', { childrenLookedAfter: 4, longTermEligible: 4, longTermStable: 3 });
});

test('under 16 on `to`: the 16th birthday on `to` is too old; 29 February birthdays fall on 1 March', async () => {
  const fx = await Fixture.create(db);
  const h1 = fx.household();
  const sixteenOnTo = fx.child('2009-12-31');
  fx.placement(sixteenOnTo, { household: h1, start: '2020-01-01' });
  const sixteenTomorrow = fx.child('2010-01-01');
  fx.placement(sixteenTomorrow, { household: h1, start: '2020-01-01' });
  await check(fx, ORG, FROM, TO, { childrenLookedAfter: 2, longTermEligible: 1, longTermStable: 1 });

  // 16 years after a leap year is a leap year, except across a century that is not one: 2100.
  expect(ageOn('2084-02-29', '2100-02-28')).toBe(15);
  expect(ageOn('2084-02-29', '2100-03-01')).toBe(16);
  const leapling2084 = fx.child('2084-02-29');
  fx.placement(leapling2084, { household: h1, start: '2090-01-01' });
  await check(fx, ORG, '2100-01-01', '2100-02-28', { childrenLookedAfter: 3, longTermEligible: 1 });
  await check(fx, ORG, '2100-01-01', '2100-03-01', { childrenLookedAfter: 3, longTermEligible: 0 });

  // In a leap year the birthday is 29 February itself.
  const fx2 = await Fixture.create(db);
  const h2 = fx2.household();
  const leapling2000 = fx2.child('2000-02-29');
  fx2.placement(leapling2000, { household: h2, start: '2005-01-01' });
  await check(fx2, ORG, '2016-01-01', '2016-02-28', { longTermEligible: 1 });
  await check(fx2, ORG, '2016-01-01', '2016-02-29', { longTermEligible: 0 });
});

test('RESPITE placements and sleepovers are never counted as placements', async () => {
  const fx = await Fixture.create(db);
  const [hub, h1, h2, h3] = [fx.household(), fx.household(), fx.household(), fx.household()];
  const c = fx.constellation();
  fx.member(c, hub, 'HUB', '2020-01-01');
  fx.member(c, h1, 'SATELLITE', '2020-01-01');
  // H1, stay, H3, stay marked unplanned, H1: three placements; H1 ended on 2025-03-01 and H3 on
  // 2025-06-01 (their own end dates), H3's unplanned through the stay after it.
  const c1 = fx.child();
  fx.placement(c1, { household: h1, start: '2024-01-01', end: '2025-03-01' });
  fx.placement(c1, { household: h2, kind: 'RESPITE', start: '2025-03-01', end: '2025-03-05' });
  fx.placement(c1, { household: h3, start: '2025-03-05', end: '2025-06-01' });
  fx.placement(c1, { household: h2, kind: 'RESPITE', start: '2025-06-01', end: '2025-06-08', unplanned: true });
  fx.placement(c1, { household: h1, start: '2025-06-08' });
  const c2 = fx.child(); // only a respite placement covering `to`: not looked after
  fx.placement(c2, { household: h2, kind: 'RESPITE', start: '2025-12-20', end: '2026-01-05' });
  const c3 = fx.child(); // sleepovers at the hub do not interrupt or add placements
  fx.placement(c3, { household: h1, start: '2025-01-01' });
  fx.sleepover(c, h1, 'CONFIRMED', '2025-02-01', '2025-02-03', [c3]);
  fx.sleepover(c, h1, 'CONFIRMED', '2025-05-01', '2025-05-03', [c3]);

  await check(fx, ORG, FROM, TO, {
    childrenLookedAfter: 2,
    childrenWithThreeOrMorePlacements: 1,
    childIdsWithThreeOrMorePlacements: [c1],
    placementEndings: 2,
    unplannedEndings: 1,
    childIdsWithUnplannedEndings: [c1],
    sleepoverNightsUsed: 4,
  });
  await check(fx, IN(c), FROM, TO, { childrenLookedAfter: 2, childrenWithThreeOrMorePlacements: 1, sleepoverNightsUsed: 4 });
});

test('sleepover nights: CONFIRMED (and so completed) only, one per child per night, nights inside the period', async () => {
  const fx = await Fixture.create(db);
  const [hub1, s1, hub2, t1] = [fx.household(), fx.household(), fx.household(), fx.household()];
  const [c, c2] = [fx.constellation(), fx.constellation()];
  fx.member(c, hub1, 'HUB', '2020-01-01');
  fx.member(c, s1, 'SATELLITE', '2020-01-01');
  fx.member(c2, hub2, 'HUB', '2020-01-01');
  fx.member(c2, t1, 'SATELLITE', '2020-01-01');
  const [k1, k2, k3] = [fx.child(), fx.child(), fx.child()];
  const from = '2025-01-01';
  const to = '2025-01-31';
  fx.sleepover(c, s1, 'CONFIRMED', '2024-12-30', '2025-01-02', [k1, k2]); // one night each inside
  fx.sleepover(c, s1, 'CONFIRMED', '2025-01-31', '2025-02-02', [k1]); // night of the 31st
  fx.sleepover(c, s1, 'REQUESTED', '2025-01-10', '2025-01-12', [k1]);
  fx.sleepover(c, s1, 'DECLINED', '2025-01-10', '2025-01-12', [k2]);
  fx.sleepover(c, s1, 'CANCELLED', '2025-01-15', '2025-01-20', [k1]);
  // Siblings stay together: every child of a sleepover has its nights (held by a trigger).
  fx.sleepover(c, s1, 'CONFIRMED', '2025-01-15', '2025-01-18', [k1, k2]);
  // The longest sleepover allowed (28 nights) whose last night is `from`
  fx.sleepover(c, s1, 'CONFIRMED', '2024-12-05', '2025-01-02', [k3]);
  fx.sleepover(c2, t1, 'CONFIRMED', '2025-01-20', '2025-01-22', [k3]);

  await check(fx, IN(c), from, to, { sleepoverNightsUsed: 2 + 1 + 6 + 1 });
  await check(fx, IN(c2), from, to, { sleepoverNightsUsed: 2 });
  await check(fx, ORG, from, to, { sleepoverNightsUsed: 12 });
  await check(fx, NONE, from, to, { sleepoverNightsUsed: 0 });
  await check(fx, ORG, '2025-01-01', '2025-01-01', { sleepoverNightsUsed: 3 });
});

test('scopes: constellation (satellites on `to`, endings while a satellite, satellites on `from`), none, organisation', async () => {
  const fx = await Fixture.create(db);
  const long = '2000-01-01';
  const hb = fx.household();
  const s1 = fx.household();
  const s2 = fx.household(); // joins the constellation inside the period
  const s3 = fx.household(); // leaves inside the period
  const s4 = fx.household(); // joins on `to`
  const s5 = fx.household(); // leaves on `to`
  const s6 = fx.household({ approvedOn: long, deregisteredOn: '2025-09-01' }); // leaves when deregistered
  const s7 = fx.household({ approvedOn: '2025-01-02' }); // approved the day after `from`
  const s8 = fx.household({ approvedOn: long, deregisteredOn: FROM }); // deregistered on `from`
  const f1 = fx.household(); // never in a constellation
  const f2 = fx.household(); // was a satellite until 2025-03-01
  const hb2 = fx.household();
  const t1 = fx.household();
  const c = fx.constellation();
  const c2 = fx.constellation();
  fx.member(c, hb, 'HUB', '2020-01-01');
  fx.member(c, s1, 'SATELLITE', '2020-01-01');
  fx.member(c, s2, 'SATELLITE', '2025-06-01');
  fx.member(c, s3, 'SATELLITE', '2020-01-01', '2025-06-01');
  fx.member(c, s4, 'SATELLITE', TO);
  fx.member(c, s5, 'SATELLITE', '2020-01-01', TO);
  fx.member(c, s6, 'SATELLITE', '2020-01-01', '2025-09-01');
  fx.member(c, s7, 'SATELLITE', '2020-01-01');
  fx.member(c, s8, 'SATELLITE', '2020-01-01');
  fx.member(c, f2, 'SATELLITE', '2020-01-01', '2025-03-01');
  fx.member(c2, hb2, 'HUB', '2020-01-01');
  fx.member(c2, t1, 'SATELLITE', '2020-01-01');

  const k1 = fx.child();
  fx.placement(k1, { household: s1, start: '2020-01-01' });
  const k2 = fx.child(); // three placements, two of them before joining this constellation's satellite
  fx.placement(k2, { household: f1, start: '2025-01-01', end: '2025-03-01' });
  fx.placement(k2, { household: t1, start: '2025-03-01', end: '2025-07-01' });
  fx.placement(k2, { household: s2, start: '2025-07-01' });
  const k3 = fx.child();
  fx.placement(k3, { household: s3, start: '2024-01-01' });
  const k4 = fx.child();
  fx.placement(k4, { household: s4, start: '2024-01-01' });
  const k5 = fx.child();
  fx.placement(k5, { household: s5, start: '2024-01-01' });
  const k6 = fx.child(); // with the hub
  fx.placement(k6, { household: hb, start: '2024-01-01' });
  const k7 = fx.child();
  fx.placement(k7, { household: t1, start: '2024-01-01' });
  const k8 = fx.child();
  fx.placement(k8, { provider: 'Acme', start: '2023-01-01' });
  const k9 = fx.child(); // ends on s3's leaving day: its last night was as a satellite
  fx.placement(k9, { household: s3, start: '2024-01-01', end: '2025-06-01', unplanned: true });
  fx.placement(k9, { household: f1, start: '2025-06-01' });
  const k10 = fx.child(); // last night the day after s3 left
  fx.placement(k10, { household: s3, start: '2024-01-01', end: '2025-06-02' });
  fx.placement(k10, { provider: 'Acme', start: '2025-06-02' });
  const k11 = fx.child(); // left care from s2 before s2 joined
  fx.placement(k11, { household: s2, start: '2025-02-01', end: '2025-06-01', reason: 'LEFT_CARE', unplanned: true });
  const k12 = fx.child();
  fx.placement(k12, { household: s2, start: '2025-06-01', end: '2025-08-01' });
  fx.placement(k12, { household: hb, start: '2025-08-01' });
  const k13 = fx.child(); // the household leaving the constellation is not a move
  fx.placement(k13, { household: f2, start: '2024-01-01', end: '2025-03-01', reason: 'PLACE' });
  fx.placement(k13, { household: f2, start: '2025-03-01' });
  const k14 = fx.child();
  fx.placement(k14, { household: hb, start: '2024-01-01', end: '2025-04-01' });
  fx.placement(k14, { household: s1, start: '2025-04-01' });

  await check(fx, IN(c), FROM, TO, {
    childrenLookedAfter: 4, // k1, k2, k4, k14
    childrenWithThreeOrMorePlacements: 1,
    childIdsWithThreeOrMorePlacements: [k2],
    threeOrMorePlacementsRate: 0.25,
    longTermEligible: 1,
    longTermStable: 1,
    placementEndings: 2, // k9, k12
    unplannedEndings: 1,
    childIdsWithUnplannedEndings: [k9],
    householdsAtStart: 5, // s1, s3, s5, s6, f2
    householdsDeregistered: 1,
    carerRetentionRate: 0.8,
    sleepoverNightsUsed: 0,
  });
  await check(fx, NONE, FROM, TO, {
    childrenLookedAfter: 4, // k3, k5, k9, k13
    childrenWithThreeOrMorePlacements: 0,
    longTermEligible: 0,
    placementEndings: 3, // k2 from f1, k10, k11
    unplannedEndings: 1,
    childIdsWithUnplannedEndings: [k11],
    householdsAtStart: 3, // f1, s2, s4
    householdsDeregistered: 0,
    carerRetentionRate: 1,
  });
  await check(fx, IN(c2), FROM, TO, { childrenLookedAfter: 1, placementEndings: 1, householdsAtStart: 1 });
  await check(fx, ORG, FROM, TO, {
    childrenLookedAfter: 13,
    childrenWithThreeOrMorePlacements: 1,
    longTermEligible: 2, // k1, k8
    longTermStable: 2,
    placementEndings: 7,
    unplannedEndings: 2,
    childIdsWithUnplannedEndings: [k9, k11].sort(),
    householdsAtStart: 11,
    householdsDeregistered: 1,
  });
});

test('no data: counts are zero and every rate is null', async () => {
  const fx = await Fixture.create(db);
  for (const scope of [ORG, NONE, IN(fx.constellation())]) {
    const r = await check(fx, scope, FROM, TO, {
      childrenLookedAfter: 0,
      placementEndings: 0,
      householdsAtStart: 0,
      sleepoverNightsUsed: 0,
    });
    expect([r.threeOrMorePlacementsRate, r.longTermStabilityRate, r.carerRetentionRate]).toEqual([null, null, null]);
  }
});

test("nothing crosses the organisation's boundary", async () => {
  const mine = await Fixture.create(db, 'Mine');
  const theirs = await Fixture.create(db, 'Theirs');
  for (const fx of [mine, theirs]) {
    const hub = fx.household();
    const s = fx.household();
    const c = fx.constellation();
    fx.member(c, hub, 'HUB', '2020-01-01');
    fx.member(c, s, 'SATELLITE', '2020-01-01');
    const k = fx.child();
    fx.placement(k, { household: s, start: '2024-01-01', end: '2025-05-01', unplanned: true });
    fx.placement(k, { household: s, start: '2025-05-02' });
    fx.sleepover(c, s, 'CONFIRMED', '2025-03-01', '2025-03-03', [k]);
  }
  await theirs.flush();
  const expected = {
    childrenLookedAfter: 1,
    placementEndings: 1,
    unplannedEndings: 1,
    householdsAtStart: 2,
    sleepoverNightsUsed: 2,
  };
  await check(mine, ORG, FROM, TO, expected);
  const theirConstellation = (await db.sql(`select id from constellation where organisation_id = $1`, [theirs.orgId]))[0].id;
  await check(mine, IN(theirConstellation), FROM, TO, {
    childrenLookedAfter: 0,
    placementEndings: 0,
    householdsAtStart: 0,
    sleepoverNightsUsed: 0,
  });
});

test('one SQL statement per report, whatever the scope and the number of children', async () => {
  const fx = await Fixture.create(db);
  const h = fx.household();
  const c = fx.constellation();
  fx.member(c, h, 'SATELLITE', '2020-01-01');
  for (let i = 0; i < 30; i++) fx.placement(fx.child(), { household: h, start: '2024-01-01' });
  await fx.flush();
  for (const scope of [ORG, NONE, IN(c)]) {
    const em = db.orm.em.fork();
    const { result, counter } = countStatements(() => stabilityReport(em as any, { organisationId: fx.orgId, scope, from: FROM, to: TO }));
    await result;
    expect(counter.count).toBe(1);
  }
});

test('refuses a period that is not one', async () => {
  const fx = await Fixture.create(db);
  await expect(fx.report(ORG, '2025-02-01', '2025-01-31')).rejects.toThrow(UserFacingError);
  await expect(fx.report(ORG, '2025-02-30', '2025-03-31')).rejects.toThrow(/from is not a valid date/);
  await expect(fx.report(IN('not-a-uuid'), FROM, TO)).rejects.toThrow(UserFacingError);
  // A one-day period is a period.
  await expect(fx.report(ORG, FROM, FROM)).resolves.toMatchObject({ from: FROM, to: FROM });
});
