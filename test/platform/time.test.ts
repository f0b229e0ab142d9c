import fc from 'fast-check';
import { DateTime } from 'luxon';
import { todayLondon } from '../../src/platform/time';

// todayLondon caches per UTC minute; it must still agree with a direct conversion at every
// instant, including the minutes either side of London midnight and the clock changes.
test('todayLondon agrees with luxon at any instant, in any order', () => {
  const direct = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/London' }).toISODate();
  const edges = [
    '2026-03-29T00:59:59.999Z',
    '2026-03-29T01:00:00.000Z',
    '2026-10-24T22:59:59.999Z',
    '2026-10-24T23:00:00.000Z',
    '2026-10-25T00:00:00.000Z',
    '2026-12-31T23:59:59.999Z',
    '2027-01-01T00:00:00.000Z',
  ];
  for (const e of edges) expect(todayLondon(new Date(e))).toBe(direct(new Date(e)));
  fc.assert(
    fc.property(fc.array(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }), { minLength: 1, maxLength: 20 }), (instants) => {
      for (const ms of instants) {
        // Each instant and its neighbours a millisecond and a minute away.
        for (const t of [ms, ms + 1, ms - 1, ms + 60_000]) expect(todayLondon(new Date(t))).toBe(direct(new Date(t)));
      }
    }),
    { numRuns: 300 },
  );
});
