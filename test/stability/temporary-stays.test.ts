import type { StabilityScope } from '../../src/stability/stability.service';
import { createTestDb, type TestDb } from '../support/db';
import { Fixture, IN, NONE, ORG } from './fixtures';
import { referenceChildStability, referenceReport } from './reference';

// Temporary stays (RESPITE records) in every figure, hand-computed: a stay is never a placement or
// an ending, its days keep the child looked after, A → stay → A is one placement with A, and
// A → stay → B ends A on its own end date. Each expectation is also checked against the reference.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

const FROM = '2025-01-01';
const TO = '2025-12-31';
const STAY = 'RESPITE';

async function check(fx: Fixture, scope: StabilityScope, expected: Record<string, unknown>) {
  const report = await fx.report(scope, FROM, TO);
  expect(report).toMatchObject(expected);
  expect(referenceReport(fx.data, scope, FROM, TO)).toEqual(report);
}

test('temporary stays in every scope and in Child.stability', async () => {
  const fx = await Fixture.create(db);
  const [hub, h1, h2, h3] = [fx.household(), fx.household(), fx.household(), fx.household()];
  const k = fx.constellation();
  fx.member(k, hub, 'HUB', '2020-01-01');
  fx.member(k, h1, 'SATELLITE', '2020-01-01'); // h2 and h3 are in no constellation

  // A → stay → A: one placement since 2023-06-01, eligible and stable on 2025-12-31.
  const aStayA = fx.child();
  fx.placement(aStayA, { household: h1, start: '2023-06-01', end: '2025-04-01' });
  fx.placement(aStayA, { household: h2, kind: STAY, start: '2025-04-01', end: '2025-04-08' });
  fx.placement(aStayA, { household: h1, start: '2025-04-08' });
  // A stay, then a status change with the same carers: one placement, counted from 2024-02-01.
  const stayThenStatus = fx.child();
  fx.placement(stayThenStatus, { household: h1, kind: 'SHORT_TERM', start: '2024-02-01', end: '2025-06-01', reason: 'PLACE' });
  fx.placement(stayThenStatus, { household: h2, kind: STAY, start: '2025-06-01', end: '2025-06-15' });
  fx.placement(stayThenStatus, { household: h1, kind: 'LONG_TERM', start: '2025-06-15' });
  // A → stay marked unplanned → B: A ends on 2025-05-01, unplanned; looked after continuously.
  const stayUnplanned = fx.child();
  fx.placement(stayUnplanned, { household: h1, start: '2023-01-01', end: '2025-05-01', unplanned: false });
  fx.placement(stayUnplanned, { household: h2, kind: STAY, start: '2025-05-01', end: '2025-05-10', unplanned: true });
  fx.placement(stayUnplanned, { household: h3, start: '2025-05-10' });
  // A's last record marked unplanned, a planned stay, then another provider: unplanned ending.
  const lastUnplanned = fx.child();
  fx.placement(lastUnplanned, { household: h1, start: '2024-01-01', end: '2025-07-01', unplanned: true });
  fx.placement(lastUnplanned, { household: h2, kind: STAY, start: '2025-07-01', end: '2025-07-03' });
  fx.placement(lastUnplanned, { provider: 'Acme', start: '2025-07-03' });
  // Temporary stays only: never looked after, no endings.
  const staysOnly = fx.child();
  fx.placement(staysOnly, { household: h2, kind: STAY, start: '2025-12-20', end: '2026-01-05' });
  const stayEnded = fx.child();
  fx.placement(stayEnded, { household: h2, kind: STAY, start: '2025-03-01', end: '2025-03-05', unplanned: true });
  // A stay covering `from`, then B: A is open on `from` through the stay (two placements in the
  // period); its ending is dated 2024-12-28, before the period.
  const coversFrom = fx.child();
  fx.placement(coversFrom, { household: h1, start: '2022-01-01', end: '2024-12-28' });
  fx.placement(coversFrom, { household: h2, kind: STAY, start: '2024-12-28', end: '2025-01-03' });
  fx.placement(coversFrom, { household: h2, start: '2025-01-03' });
  // A stay covering `from`, then back with A: one placement since 2021.
  const coversFromBack = fx.child();
  fx.placement(coversFromBack, { household: h1, start: '2021-01-01', end: '2024-12-30' });
  fx.placement(coversFromBack, { household: h3, kind: STAY, start: '2024-12-30', end: '2025-01-02' });
  fx.placement(coversFromBack, { household: h1, start: '2025-01-02' });
  // A stay open on `to`: looked after on `to` with A (in A's constellation), no ending.
  const openOnTo = fx.child();
  fx.placement(openOnTo, { household: h1, start: '2024-06-01', end: '2025-12-20' });
  fx.placement(openOnTo, { household: h2, kind: STAY, start: '2025-12-20' });
  // A stay across `to`, then another provider: looked after with A on `to`, and A's ending dated
  // on its own end date, inside the period.
  const acrossTo = fx.child();
  fx.placement(acrossTo, { household: h1, start: '2025-02-01', end: '2025-12-30' });
  fx.placement(acrossTo, { household: h2, kind: STAY, start: '2025-12-30', end: '2026-01-04' });
  fx.placement(acrossTo, { provider: 'Acme', start: '2026-01-04' });
  // Two stays in a row, then back with A: one placement since 2023.
  const twoStaysBack = fx.child();
  fx.placement(twoStaysBack, { household: h1, start: '2023-01-01', end: '2025-02-01' });
  fx.placement(twoStaysBack, { household: h2, kind: STAY, start: '2025-02-01', end: '2025-02-05' });
  fx.placement(twoStaysBack, { household: h3, kind: STAY, start: '2025-02-05', end: '2025-02-09' });
  fx.placement(twoStaysBack, { household: h1, start: '2025-02-09' });
  // Two stays in a row, the second marked unplanned, then B: A ends on 2025-09-01, unplanned.
  const twoStaysMove = fx.child();
  fx.placement(twoStaysMove, { household: h1, start: '2024-01-01', end: '2025-09-01' });
  fx.placement(twoStaysMove, { household: h2, kind: STAY, start: '2025-09-01', end: '2025-09-03' });
  fx.placement(twoStaysMove, { household: h3, kind: STAY, start: '2025-09-03', end: '2025-09-06', unplanned: true });
  fx.placement(twoStaysMove, { household: h3, start: '2025-09-06' });
  // A stay, a gap, then B: A ends on 2025-03-01; the gap breaks continuity.
  const stayThenGap = fx.child();
  fx.placement(stayThenGap, { household: h1, start: '2024-01-01', end: '2025-03-01' });
  fx.placement(stayThenGap, { household: h2, kind: STAY, start: '2025-03-01', end: '2025-03-04' });
  fx.placement(stayThenGap, { household: h2, start: '2025-03-10' });
  // A stay with no placement before it, then A: the stay counts for nothing.
  const stayFirst = fx.child();
  fx.placement(stayFirst, { household: h2, kind: STAY, start: '2025-02-01', end: '2025-02-10' });
  fx.placement(stayFirst, { household: h1, start: '2025-02-10' });

  await check(fx, ORG, {
    childrenLookedAfter: 12, // all but staysOnly and stayEnded
    childrenWithThreeOrMorePlacements: 0,
    longTermEligible: 5, // aStayA, stayUnplanned, coversFrom, coversFromBack, twoStaysBack
    longTermStable: 3, // aStayA, coversFromBack, twoStaysBack
    placementEndings: 5, // stayUnplanned, lastUnplanned, acrossTo, twoStaysMove, stayThenGap
    unplannedEndings: 3,
    childIdsWithUnplannedEndings: [stayUnplanned, lastUnplanned, twoStaysMove].sort(),
    householdsAtStart: 4,
  });
  // Placed with h1 on `to` (through a stay for openOnTo and acrossTo); every ending was from h1.
  await check(fx, IN(k), {
    childrenLookedAfter: 7, // aStayA, stayThenStatus, coversFromBack, openOnTo, acrossTo, twoStaysBack, stayFirst
    longTermEligible: 3,
    longTermStable: 3,
    placementEndings: 5,
    unplannedEndings: 3,
    householdsAtStart: 1,
  });
  await check(fx, NONE, {
    childrenLookedAfter: 4, // stayUnplanned, coversFrom, twoStaysMove, stayThenGap
    longTermEligible: 2, // stayUnplanned, coversFrom: continuously looked after through their stays
    longTermStable: 0,
    placementEndings: 0,
    householdsAtStart: 2,
  });

  const ids = [aStayA, stayThenStatus, stayUnplanned, coversFrom, openOnTo, acrossTo, staysOnly, stayThenGap];
  const result = await fx.childStability(ids, TO);
  expect(result).toEqual([
    { placementsInLast12Months: 1, daysInCurrentPlacement: 944, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 1, daysInCurrentPlacement: 699, unplannedEndingsInLast12Months: 0 }, // from 2024-02-01
    { placementsInLast12Months: 2, daysInCurrentPlacement: 235, unplannedEndingsInLast12Months: 1 },
    { placementsInLast12Months: 2, daysInCurrentPlacement: 362, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 1, daysInCurrentPlacement: 578, unplannedEndingsInLast12Months: 0 }, // on a stay today
    { placementsInLast12Months: 1, daysInCurrentPlacement: 333, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 0, daysInCurrentPlacement: null, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 2, daysInCurrentPlacement: 296, unplannedEndingsInLast12Months: 0 },
  ]);
  expect(ids.map((id) => referenceChildStability(fx.data, id, TO))).toEqual(result);
});
