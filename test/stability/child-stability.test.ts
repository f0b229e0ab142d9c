import crypto from 'node:crypto';
import { countStatements, installStatementCounter } from '../../src/platform/db/statement-counter';
import { childStability } from '../../src/stability/stability.service';
import { createTestDb, type TestDb } from '../support/db';
import { Fixture } from './fixtures';
import { referenceChildStability } from './reference';

let db: TestDb;
beforeAll(async () => {
  installStatementCounter();
  db = await createTestDb();
});
afterAll(async () => {
  await db.drop();
});

// "The last 12 months" for today = 2025-12-31 is [2025-01-01, 2025-12-31].
const TODAY = '2025-12-31';

test('per child: merged placements in the 365 days to today, days in the current placement, unplanned endings', async () => {
  const fx = await Fixture.create(db);
  const [h1, h2] = [fx.household(), fx.household()];
  const moved = fx.child();
  fx.placement(moved, { household: h1, start: '2024-01-01', end: '2025-03-01', unplanned: true });
  fx.placement(moved, { household: h2, kind: 'SHORT_TERM', start: '2025-03-01', end: '2025-06-01', reason: 'PLACE' });
  fx.placement(moved, { household: h2, kind: 'LONG_TERM', start: '2025-06-01' });
  const leftBefore = fx.child(); // ended the day before the window
  fx.placement(leftBefore, { household: h1, start: '2024-01-01', end: '2024-12-31', unplanned: true });
  const leftOnWindowStart = fx.child(); // moved on on the window's first day: an ending, no placement in it
  fx.placement(leftOnWindowStart, { household: h1, start: '2024-01-01', end: '2025-01-01', unplanned: true });
  const respiteOnly = fx.child();
  fx.placement(respiteOnly, { household: h1, kind: 'RESPITE', start: '2025-12-20', end: '2026-01-03' });
  const placedToday = fx.child();
  fx.placement(placedToday, { household: h1, start: TODAY });
  const placedTomorrow = fx.child();
  fx.placement(placedTomorrow, { household: h1, start: '2026-01-01' });
  const unstable = fx.child(); // A → B → A → other provider, one unplanned ending after a respite break
  fx.placement(unstable, { household: h1, start: '2024-11-01', end: '2025-02-01', unplanned: true });
  fx.placement(unstable, { household: h2, start: '2025-02-01', end: '2025-05-01', unplanned: false });
  fx.placement(unstable, { household: h1, start: '2025-05-01', end: '2025-09-01', unplanned: true });
  fx.placement(unstable, { household: h2, kind: 'RESPITE', start: '2025-09-01', end: '2025-09-03' });
  fx.placement(unstable, { provider: 'Acme', start: '2025-09-03' });
  const noPlacements = fx.child();
  const stranger = (await Fixture.create(db, 'Other service')).child();

  const ids = [moved, leftBefore, leftOnWindowStart, respiteOnly, placedToday, placedTomorrow, unstable, noPlacements];
  const unknown = crypto.randomUUID();
  const result = await fx.childStability([...ids, stranger, unknown, 'not-a-uuid', moved.toUpperCase()], TODAY);
  expect(result).toEqual([
    { placementsInLast12Months: 2, daysInCurrentPlacement: 305, unplannedEndingsInLast12Months: 1 },
    { placementsInLast12Months: 0, daysInCurrentPlacement: null, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 0, daysInCurrentPlacement: null, unplannedEndingsInLast12Months: 1 },
    { placementsInLast12Months: 0, daysInCurrentPlacement: null, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 1, daysInCurrentPlacement: 0, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 0, daysInCurrentPlacement: null, unplannedEndingsInLast12Months: 0 },
    { placementsInLast12Months: 4, daysInCurrentPlacement: 119, unplannedEndingsInLast12Months: 2 },
    { placementsInLast12Months: 0, daysInCurrentPlacement: null, unplannedEndingsInLast12Months: 0 },
    null, // another organisation's child
    null,
    null,
    { placementsInLast12Months: 2, daysInCurrentPlacement: 305, unplannedEndingsInLast12Months: 1 },
  ]);
  expect(ids.map((id) => referenceChildStability(fx.data, id, TODAY))).toEqual(result.slice(0, ids.length));
});

test('many children cost one statement; no ids cost none', async () => {
  const fx = await Fixture.create(db);
  const h = fx.household();
  const ids = Array.from({ length: 40 }, () => fx.child());
  ids.forEach((id, i) => fx.placement(id, { household: h, start: `2025-0${1 + (i % 9)}-01` }));
  await fx.flush();
  const em = db.orm.em.fork();
  const many = countStatements(() => childStability(em as any, fx.orgId, ids, TODAY));
  const result = await many.result;
  expect(many.counter.count).toBe(1);
  expect(result.every((r) => r !== null && r.placementsInLast12Months === 1)).toBe(true);
  const none = countStatements(() => childStability(em as any, fx.orgId, [], TODAY));
  expect(await none.result).toEqual([]);
  expect(none.counter.count).toBe(0);
});
