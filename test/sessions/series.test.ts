import { DateTime } from 'luxon';
import { monthlyOccurrences } from '../../src/sessions/series';
import { WeekOfMonth, Weekday } from '../../src/sessions/enums';
import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { SERIES } from './helpers';

const london = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/London' });

describe('monthly occurrences (pure)', () => {
  test('second Tuesday at 19:00 for 90 minutes, 12 times, through both clock changes of 2027', () => {
    const times = monthlyOccurrences({ week: WeekOfMonth.SECOND, weekday: Weekday.TUESDAY, hour: 19, minute: 0, durationMinutes: 90, firstDate: '2027-01-01', count: 12 });
    expect(times.map((t) => t.startsAt.toISOString())).toEqual([
      '2027-01-12T19:00:00.000Z',
      '2027-02-09T19:00:00.000Z',
      '2027-03-09T19:00:00.000Z',
      '2027-04-13T18:00:00.000Z', // BST from 28 March
      '2027-05-11T18:00:00.000Z',
      '2027-06-08T18:00:00.000Z',
      '2027-07-13T18:00:00.000Z',
      '2027-08-10T18:00:00.000Z',
      '2027-09-14T18:00:00.000Z',
      '2027-10-12T18:00:00.000Z',
      '2027-11-09T19:00:00.000Z', // GMT again from 31 October
      '2027-12-14T19:00:00.000Z',
    ]);
    for (const t of times) expect(t.endsAt.getTime() - t.startsAt.getTime()).toBe(90 * 60_000);
  });

  test('the last Sunday falls on the clock-change days themselves, and still starts at 19:00 London time', () => {
    const times = monthlyOccurrences({ week: WeekOfMonth.LAST, weekday: Weekday.SUNDAY, hour: 19, minute: 0, durationMinutes: 60, firstDate: '2027-02-01', count: 10 });
    expect(times[0].startsAt.toISOString()).toBe('2027-02-28T19:00:00.000Z');
    expect(times[1].startsAt.toISOString()).toBe('2027-03-28T18:00:00.000Z'); // the spring-forward day
    expect(times[8].startsAt.toISOString()).toBe('2027-10-31T19:00:00.000Z'); // the fall-back day
    for (const t of times) expect(london(t.startsAt).toFormat('ccc HH:mm')).toBe('Sun 19:00');
  });

  test("a first date after the month's match starts the next month, across the month and year end", () => {
    const times = monthlyOccurrences({ week: WeekOfMonth.FIRST, weekday: Weekday.MONDAY, hour: 10, minute: 30, durationMinutes: 120, firstDate: '2027-12-07', count: 2 });
    expect(times.map((t) => london(t.startsAt).toISO())).toEqual(['2028-01-03T10:30:00.000+00:00', '2028-02-07T10:30:00.000+00:00']);
    const last = monthlyOccurrences({ week: WeekOfMonth.LAST, weekday: Weekday.FRIDAY, hour: 18, minute: 0, durationMinutes: 60, firstDate: '2027-01-30', count: 2 });
    expect(last.map((t) => london(t.startsAt).toISODate())).toEqual(['2027-02-26', '2027-03-26']);
    const fourth = monthlyOccurrences({ week: WeekOfMonth.FOURTH, weekday: Weekday.THURSDAY, hour: 9, minute: 0, durationMinutes: 60, firstDate: '2027-02-25', count: 1 });
    expect(london(fourth[0].startsAt).toISODate()).toBe('2027-02-25');
  });
});

describe('schedulePeerSupportSeries over HTTP', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<TestApp['fx']['world']>>;
  beforeAll(async () => {
    t = await startTestApp();
    w = await t.fx.world();
  });
  afterAll(async () => t.stop());

  // Always next year, so the series is in the future whenever the test runs.
  const year = DateTime.now().setZone('Europe/London').year + 1;
  const input = (recurrence: Record<string, unknown> = {}, over: Record<string, unknown> = {}) => ({
    constellationId: gid('Constellation', w.k),
    kind: 'CONSTELLATION_MEETING',
    title: 'Constellation meeting',
    capacity: 12,
    recurrence: { week: 'SECOND', weekday: 'TUESDAY', startTime: '19:00', durationMinutes: 90, firstDate: `${year}-01-01`, count: 12, ...recurrence },
    ...over,
  });

  test('"second Tuesday at 19:00 for 90 minutes, 12 times": 12 sessions sharing a seriesId, 19:00 in London on both sides of the clock changes', async () => {
    const r = await t.gql(SERIES, { i: input() }, { token: w.hubCarer.token! });
    expect(r.errors).toBeUndefined();
    expect(r.data.schedulePeerSupportSeries.userErrors).toEqual([]);
    const sessions = r.data.schedulePeerSupportSeries.sessions;
    expect(sessions).toHaveLength(12);
    expect(new Set(sessions.map((s: any) => s.seriesId)).size).toBe(1);
    expect(sessions[0].seriesId).toBeTruthy();
    const utcHours = new Set<number>();
    sessions.forEach((s: any, i: number) => {
      const start = DateTime.fromISO(s.startsAt, { zone: 'Europe/London' });
      expect(start.toFormat('ccc HH:mm')).toBe('Tue 19:00');
      expect(start.month).toBe(i + 1);
      expect(start.day).toBeGreaterThanOrEqual(8);
      expect(start.day).toBeLessThanOrEqual(14);
      expect(Date.parse(s.endsAt) - Date.parse(s.startsAt)).toBe(90 * 60_000);
      utcHours.add(new Date(s.startsAt).getUTCHours());
      expect(new Date(s.startsAt).getUTCHours()).toBe(start.isInDST ? 18 : 19);
    });
    expect([...utcHours].sort()).toEqual([18, 19]);
    const audit = await t.fx.sql(`select summary from audit_event where action = 'PeerSupportSession.scheduleSeries'`);
    expect(audit).toHaveLength(1);
    expect(audit[0].summary.count).toBe(12);
  });

  test('bad recurrences and people who may not schedule are refused; nothing is written', async () => {
    const before = (await t.fx.sql(`select count(*) n from peer_support_session`))[0].n;
    const bad: [Record<string, unknown>, string][] = [
      [{ startTime: '25:00' }, 'startTime'],
      [{ startTime: '7pm' }, 'startTime'],
      [{ durationMinutes: 0 }, 'durationMinutes'],
      [{ durationMinutes: 24 * 60 + 1 }, 'durationMinutes'],
      [{ count: 0 }, 'count'],
      [{ count: 25 }, 'count'],
      [{ firstDate: `${year - 3}-01-01` }, 'firstDate'],
    ];
    for (const [rec, field] of bad) {
      const r = await t.gql(SERIES, { i: input(rec) }, { token: w.liaison.token });
      expect(r.data.schedulePeerSupportSeries.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'recurrence', field] });
    }
    const badDay = await t.gql(SERIES, { i: input({ firstDate: `${year}-02-30` }) }, { token: w.liaison.token });
    expect(badDay.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const sat = await t.gql(SERIES, { i: input() }, { token: w.carerA.token! });
    expect(sat.data.schedulePeerSupportSeries.userErrors[0].code).toBe('FORBIDDEN');
    const other = await t.gql(SERIES, { i: input() }, { token: w.otherLiaison.token });
    expect(other.data.schedulePeerSupportSeries.userErrors[0].code).toBe('NOT_FOUND');
    const cap = await t.gql(SERIES, { i: input({}, { capacity: 0 }) }, { token: w.manager.token });
    expect(cap.data.schedulePeerSupportSeries.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'capacity'] });
    expect((await t.fx.sql(`select count(*) n from peer_support_session`))[0].n).toBe(before);
  });
});
