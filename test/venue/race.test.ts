import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';
import { book, CONFIRM_BOOKING, REQUEST_BOOKING, bookInput } from './support';

/**
 * Races for one afternoon at the hub, over HTTP. The exclusion constraint on the bookings' time
 * decides: exactly one wins, every other gets OVERLAP, none an error. Only a real PostgreSQL
 * proves the race (CI runs this file there); the embedded database has one connection and runs
 * the transactions one after another, so there the same checks test the bookkeeping only.
 */
const N = 12;

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

/** byDatabase: refused by the exclusion constraint at commit time (no subjectIds), not by the check before it. */
type Result = { ok: boolean; code: string | null; errors: unknown; status: string | null; byDatabase?: boolean };

/** What the database holds, checked without trusting the constraint meant to hold it. */
async function overlapping(): Promise<number> {
  const [r] = await t.fx.sql(
    `select count(*)::int as n from hub_booking a join hub_booking b
       on a.id < b.id and a.constellation_id = b.constellation_id and a.period && b.period
      where a.status = 'CONFIRMED' and b.status = 'CONFIRMED'`,
  );
  return r.n;
}

test(`${N} confirmations for one afternoon at once: exactly one confirmed, the rest OVERLAP, no errors${embedded() ? ' (embedded: serial)' : ''}`, async () => {
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    // Twelve requests that all share 14:00–15:00, with different edges.
    const r = await book(t, w.ssw.token, { k: w.k, purpose: 'MEETING', day: 3, from: `13:${String(i * 4).padStart(2, '0')}`, to: `1${5 + (i % 3)}:00`, children: [w.childA] });
    expect(r.userErrors).toEqual([]);
    expect(r.booking.status).toBe('REQUESTED');
    ids.push(r.booking.id);
  }
  const started = performance.now();
  const results = await Promise.all(
    ids.map(async (bookingId, i): Promise<Result> => {
      const r = await t.gql(CONFIRM_BOOKING, { i: { bookingId } }, { token: i % 2 ? w.hubCarer.token : w.liaison.token });
      const p = r.data?.confirmHubBooking;
      return {
        ok: !!p && p.userErrors.length === 0,
        code: p?.userErrors[0]?.code ?? null,
        errors: r.errors,
        status: p?.booking?.status ?? null,
        byDatabase: p?.userErrors[0]?.subjectIds.length === 0,
      };
    }),
  );
  const ms = performance.now() - started;
  expect(results.filter((r) => r.errors)).toEqual([]);
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(N - 1).fill('OVERLAP'));
  const stored = await t.fx.sql(`select status, count(*)::int as n from hub_booking where id = any($1::uuid[]) group by status order by status`, [
    ids.map((g) => Buffer.from(g, 'base64url').toString().split(':')[1]),
  ]);
  expect(Object.fromEntries(stored.map((r: any) => [r.status, r.n]))).toEqual({ CONFIRMED: 1, REQUESTED: N - 1 });
  expect(await overlapping()).toBe(0);
  const byDatabase = results.filter((r) => !r.ok && r.byDatabase).length;
  console.log(
    `hub booking confirm race: ${N} at once, 1 confirmed, ${N - 1} OVERLAP (${byDatabase} refused by the exclusion constraint, ${N - 1 - byDatabase} by the check before it), 0 errors, ${ms.toFixed(0)} ms`,
  );
});

test(`${N} bookings confirmed at once (the hub carer, the liaison worker, managers) for one afternoon: one stands, the rest OVERLAP and write nothing`, async () => {
  const before = (await t.fx.sql(`select count(*)::int as n from hub_booking where constellation_id = $1`, [w.k]))[0].n;
  const tokens = [w.hubCarer.token, w.liaison.token, w.manager.token, w.admin.token];
  const results = await Promise.all(
    Array.from({ length: N }, async (_, i): Promise<Result> => {
      const r = await t.gql(REQUEST_BOOKING, { i: bookInput({ k: w.k, purpose: 'OTHER', day: 4, from: `13:${String(i * 4).padStart(2, '0')}`, to: '16:00' }) }, { token: tokens[i % tokens.length] });
      const p = r.data?.requestHubBooking;
      return { ok: !!p && p.userErrors.length === 0, code: p?.userErrors[0]?.code ?? null, errors: r.errors, status: p?.booking?.status ?? null };
    }),
  );
  expect(results.filter((r) => r.errors)).toEqual([]);
  expect(results.filter((r) => r.ok).map((r) => r.status)).toEqual(['CONFIRMED']);
  expect(results.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(N - 1).fill('OVERLAP'));
  const after = (await t.fx.sql(`select count(*)::int as n from hub_booking where constellation_id = $1`, [w.k]))[0].n;
  expect(after - before).toBe(1);
  expect(await overlapping()).toBe(0);
  // The afternoon is taken: a later request for it is refused at once, naming the booking.
  const late = await t.gql(REQUEST_BOOKING, { i: bookInput({ k: w.k, purpose: 'MEETING', day: 4, from: '15:00', to: '15:30' }) }, { token: w.ssw.token });
  expect(late.data.requestHubBooking.userErrors[0]).toMatchObject({ code: 'OVERLAP', subjectIds: [expect.any(String)] });
});

test('the database itself refuses two confirmed bookings of one hub sharing a moment, and a booking outside one London day', async () => {
  const insert = (status: string, from: string, to: string) =>
    t.fx.sql(
      `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day)
       values ($1, $2, 'OTHER', $3, $4::timestamptz, $5::timestamptz, ($4::timestamptz at time zone 'Europe/London')::date)`,
      [w.org, w.k, status, from, to],
    );
  await insert('CONFIRMED', '2031-06-02T09:00:00Z', '2031-06-02T10:00:00Z');
  await expect(insert('CONFIRMED', '2031-06-02T09:59:00Z', '2031-06-02T11:00:00Z')).rejects.toMatchObject({ constraint: 'hub_booking_no_overlap' });
  // Requests may overlap; touching confirmed bookings do not overlap ([start, end)).
  await insert('REQUESTED', '2031-06-02T09:30:00Z', '2031-06-02T10:30:00Z');
  await insert('CONFIRMED', '2031-06-02T10:00:00Z', '2031-06-02T11:00:00Z');
  // 23:00 London (BST) to 01:00 the next day.
  await expect(insert('REQUESTED', '2031-06-02T22:00:00Z', '2031-06-03T00:00:00Z')).rejects.toMatchObject({ constraint: 'hub_booking_times_rule' });
});
