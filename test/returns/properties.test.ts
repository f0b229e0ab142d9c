import fc from 'fast-check';
import { addDays } from '../../src/platform/time';
import { createTestDb, type TestDb } from '../support/db';
import { Builder } from './builder';
import { refContact, refRetention, refSessions, refSleepovers, refSupport } from './reference';

// Random organisations written to the database, and every figure of every constellation and of
// the comparison group compared with the in-memory reference. Each run is a new organisation in
// the same database, so earlier runs also check that nothing leaks between organisations.

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => db.drop());

const NUM_RUNS = Number(process.env.RETURNS_PROPERTY_RUNS ?? 30);
const DAY0 = '2024-01-01';
const day = (n: number) => addDays(DAY0, n);
/** An instant on day n at a UTC minute: near midnight, the London date differs from the UTC one half the year. */
const instant = (n: number, minute: number) => new Date(Date.parse(`${day(n)}T00:00:00Z`) + minute * 60_000).toISOString();
const HOUSEHOLDS = 7; // 0 and 1 are the hubs
const CHILDREN = 8;
const REASONS = ['RETIREMENT', 'PERSONAL_CIRCUMSTANCES', 'BECAME_ADOPTERS_OR_GUARDIANS', 'OTHER'];

const minuteArb = fc.oneof(fc.integer({ min: 0, max: 1439 }), fc.constantFrom(0, 30, 23 * 60 + 30, 23 * 60 + 59, 7 * 60 + 59, 17 * 60));

const worldArb = fc.record({
  households: fc.array(
    fc.record({
      approved: fc.option(fc.integer({ min: -200, max: 500 }), { nil: null, freq: 6 }),
      deregisteredAfter: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null, freq: 2 }),
      reason: fc.constantFrom(...REASONS),
      memberships: fc.array(fc.record({ k: fc.integer({ min: 0, max: 1 }), gap: fc.integer({ min: 0, max: 200 }), length: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }) }), {
        maxLength: 2,
      }),
    }),
    { minLength: HOUSEHOLDS, maxLength: HOUSEHOLDS },
  ),
  launched: fc.tuple(fc.option(fc.integer({ min: -100, max: 400 }), { nil: null }), fc.option(fc.integer({ min: -100, max: 400 }), { nil: null })),
  children: fc.array(
    fc.array(
      fc.record({
        gap: fc.constantFrom(0, 0, 0, 5, 60),
        length: fc.integer({ min: 1, max: 300 }),
        h: fc.integer({ min: -1, max: HOUSEHOLDS - 1 }),
        same: fc.boolean(),
        unplanned: fc.boolean(),
        respite: fc.boolean(),
      }),
      { maxLength: 4 },
    ),
    { minLength: CHILDREN, maxLength: CHILDREN },
  ),
  childStarts: fc.array(fc.integer({ min: -200, max: 300 }), { minLength: CHILDREN, maxLength: CHILDREN }),
  siblings: fc.array(fc.tuple(fc.integer({ min: 0, max: CHILDREN - 1 }), fc.integer({ min: 0, max: CHILDREN - 1 })), { maxLength: 8 }),
  sleepovers: fc.array(
    fc.record({
      k: fc.integer({ min: 0, max: 1 }),
      h: fc.integer({ min: 2, max: HOUSEHOLDS - 1 }),
      kind: fc.constantFrom('PLANNED', 'EMERGENCY'),
      status: fc.constantFrom('REQUESTED', 'CONFIRMED', 'CONFIRMED', 'DECLINED', 'CANCELLED'),
      asked: fc.integer({ min: -50, max: 600 }),
      askedMinute: minuteArb,
      lead: fc.integer({ min: 0, max: 30 }),
      nights: fc.integer({ min: 1, max: 10 }),
      children: fc.uniqueArray(fc.integer({ min: 0, max: CHILDREN - 1 }), { minLength: 1, maxLength: 3 }),
    }),
    { maxLength: 18 },
  ),
  blocks: fc.array(fc.record({ k: fc.integer({ min: 0, max: 1 }), gap: fc.integer({ min: 0, max: 120 }), nights: fc.integer({ min: 1, max: 20 }) }), { maxLength: 4 }),
  sessions: fc.array(
    fc.record({
      k: fc.integer({ min: 0, max: 1 }),
      d: fc.integer({ min: -20, max: 600 }),
      minute: minuteArb,
      cancelled: fc.boolean(),
      rsvps: fc.uniqueArray(fc.record({ carer: fc.integer({ min: 0, max: HOUSEHOLDS * 2 - 1 }), status: fc.constantFrom('ATTENDED', 'ATTENDED', 'NO_SHOW', 'NOT_GOING') }), {
        maxLength: 4,
        selector: (r) => r.carer,
      }),
    }),
    { maxLength: 8 },
  ),
  entries: fc.array(
    fc.record({
      k: fc.constantFrom(0, 0, 0, 1),
      // Few pairs, and days after the previous entry around the 30- and 90-day edges.
      h: fc.constantFrom(2, 2, 3),
      child: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
      gap: fc.constantFrom(0, 1, 17, 29, 30, 31, 45, 89, 90, 91),
      minute: minuteArb,
      outOfHours: fc.boolean(),
      atRisk: fc.constantFrom(true, true, false),
      wouldHaveEnded: fc.boolean(),
      wouldHaveResigned: fc.boolean(),
      safeguarding: fc.boolean(),
      // A correction of an earlier entry (by index), perhaps withdrawing it.
      amends: fc.option(fc.nat(), { nil: null, freq: 3 }),
      recordedInError: fc.boolean(),
    }),
    { minLength: 8, maxLength: 25 },
  ),
  // Hub bookings; an hour at one of a few UTC times (23:00 is the next London day in summer).
  bookings: fc.array(
    fc.record({
      k: fc.integer({ min: 0, max: 1 }),
      purpose: fc.constantFrom('FAMILY_TIME', 'SIBLING_CONTACT', 'SIBLING_CONTACT', 'DAY_CARE'),
      status: fc.constantFrom('REQUESTED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'DECLINED', 'CANCELLED'),
      // A day, or a few days before the end of one of the periods (where sibling contact counts).
      d: fc.oneof(
        fc.integer({ min: -20, max: 700 }).map((n) => ({ n })),
        fc.record({ period: fc.nat(), back: fc.integer({ min: 0, max: 93 }) }),
      ),
      slot: fc.constantFrom(0, 9 * 60, 22 * 60, 23 * 60),
      outcome: fc.option(fc.constantFrom('TOOK_PLACE', 'CUT_SHORT', 'FAMILY_DID_NOT_ATTEND', 'CHILD_DID_NOT_ATTEND', 'CANCELLED_ON_THE_DAY'), { nil: null, freq: 3 }),
      children: fc.uniqueArray(fc.integer({ min: 0, max: CHILDREN - 1 }), { minLength: 1, maxLength: 3 }),
      // Or a pair of siblings (by index into the sibling pairs), so that contact is found often.
      siblings: fc.option(fc.nat(), { nil: null }),
    }),
    { maxLength: 12 },
  ),
  periods: fc.array(
    fc.record({
      from: fc.integer({ min: -90, max: 300 }),
      length: fc.oneof(fc.constant(364), fc.integer({ min: 0, max: 400 })),
      today: fc.oneof(
        fc.integer({ min: 0, max: 800 }).map((n) => ({ day: n })),
        fc.nat().map((n) => ({ pick: n })),
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds the organisation; returns its constellations and the days just around each entry's 90 days. */
function build(b: Builder, w: World): { ks: string[]; edges: string[] } {
  const ks = [b.constellation({ launchedOn: w.launched[0] === null ? null : day(w.launched[0]) }), b.constellation({ beds: 3, launchedOn: w.launched[1] === null ? null : day(w.launched[1]) })];
  const hs = w.households.map((h) => {
    const approvedOn = h.approved === null ? null : day(h.approved);
    return b.household({ approvedOn, deregisteredOn: approvedOn && h.deregisteredAfter !== null ? addDays(approvedOn, h.deregisteredAfter) : null, reason: h.reason });
  });
  b.member(ks[0], hs[0], 'HUB', day(-300));
  b.member(ks[1], hs[1], 'HUB', day(-250));
  w.households.forEach((h, i) => {
    if (i < 2) return;
    let cursor = -250;
    for (const m of h.memberships) {
      const joined = cursor + m.gap;
      const left = m.length === null ? null : joined + m.length;
      b.member(ks[m.k], hs[i], 'SATELLITE', day(joined), left === null ? null : day(left));
      if (left === null) break;
      cursor = left;
    }
  });
  const cs = w.children.map((placements, i) => {
    const c = b.child();
    let cursor = w.childStarts[i];
    let h = -1;
    placements.forEach((p, j) => {
      const start = cursor + (j === 0 ? 0 : p.gap);
      const end = j === placements.length - 1 && i % 3 !== 0 ? null : start + p.length;
      h = p.same && h !== -2 ? h : p.h;
      b.placement(c, h >= 0 ? hs[h] : null, day(start), end === null ? null : day(end), { unplanned: p.unplanned, kind: p.respite ? 'RESPITE' : 'LONG_TERM', reason: 'CARPL' });
      if (end !== null) cursor = end;
    });
    return c;
  });
  const pairs = new Set<string>();
  for (const [a, c] of w.siblings) {
    if (a === c || pairs.has(`${a}|${c}`) || pairs.has(`${c}|${a}`)) continue;
    pairs.add(`${a}|${c}`);
    b.sibling(cs[a], cs[c]);
  }
  const active = new Map<string, [string, string][]>();
  for (const s of w.sleepovers) {
    const start = day(s.asked + s.lead);
    const end = addDays(start, s.nights);
    const live = s.status === 'REQUESTED' || s.status === 'CONFIRMED';
    const children = s.children.map((i) => cs[i]).filter((c) => !live || !(active.get(c) ?? []).some(([a, z]) => a < end && start < z));
    if (!children.length) continue;
    if (live) for (const c of children) active.set(c, [...(active.get(c) ?? []), [start, end]]);
    b.sleepover(ks[s.k], hs[s.h], { kind: s.kind, status: s.status, createdAt: instant(s.asked, s.askedMinute), start, end, children });
  }
  const blockCursor = [-50, -50];
  for (const bl of w.blocks) {
    const start = blockCursor[bl.k] + bl.gap;
    b.block(ks[bl.k], day(start), day(start + bl.nights));
    blockCursor[bl.k] = start + bl.nights;
  }
  const carers = hs.flatMap((h) => [b.carer(h), b.carer(h)]);
  for (const s of w.sessions) {
    const id = b.session(ks[s.k], instant(s.d, s.minute), s.cancelled ? 'CANCELLED' : 'SCHEDULED');
    for (const r of s.rsvps) b.rsvp(id, carers[r.carer], s.cancelled ? 'NOT_GOING' : r.status);
  }
  // Confirmed bookings of one hub do not overlap (an exclusion constraint): one per hub, day and slot.
  const slots = new Set<string>();
  for (const x of w.bookings) {
    const confirmed = x.status === 'CONFIRMED';
    const q = 'n' in x.d ? null : w.periods[x.d.period % w.periods.length];
    const d = 'n' in x.d ? x.d.n : q!.from + q!.length - x.d.back;
    if (confirmed && slots.has(`${x.k}|${d}|${x.slot}`)) continue;
    if (confirmed) slots.add(`${x.k}|${d}|${x.slot}`);
    const pair = x.siblings !== null && w.siblings.length ? w.siblings[x.siblings % w.siblings.length] : null;
    const children = pair && pair[0] !== pair[1] ? [cs[pair[0]], cs[pair[1]]] : x.children.map((i) => cs[i]);
    b.booking(ks[x.k], { purpose: x.purpose, status: x.status, startsAt: instant(d, x.slot), outcome: confirmed ? x.outcome : null, children });
  }
  const made: { id: string; k: number; latest: boolean }[] = [];
  const edges: string[] = [];
  // Each entry's day follows the previous one of the same pair by its gap, so pairs meet the edges.
  const lastDay = new Map<string, number>();
  for (const e of w.entries) {
    let amends: string | null = null;
    let k: number = e.k;
    if (e.amends !== null && made.length) {
      const target = made[e.amends % made.length];
      if (target.latest) {
        amends = target.id;
        k = target.k;
        target.latest = false;
      }
    }
    const pair = `${k}|${e.h}|${e.child}`;
    const d = (lastDay.get(pair) ?? -60) + e.gap;
    lastDay.set(pair, d);
    const id = b.entry(ks[k], hs[e.h], instant(d, e.minute), {
      child: e.child === null ? null : cs[e.child],
      outOfHours: e.outOfHours,
      atRisk: e.atRisk,
      wouldHaveEnded: e.wouldHaveEnded,
      wouldHaveResigned: e.wouldHaveResigned,
      safeguarding: e.safeguarding,
      amends,
      recordedInError: amends !== null && e.recordedInError,
    });
    // A withdrawn entry is not corrected further (the service refuses it).
    made.push({ id, k, latest: !(amends !== null && e.recordedInError) });
    edges.push(day(d + 90), day(d + 91));
  }
  return { ks, edges };
}

test('every figure equals the reference over random organisations, for every constellation and the comparison group', async () => {
  await fc.assert(
    fc.asyncProperty(worldArb, async (w) => {
      const b = await Builder.create(db);
      const { ks, edges } = build(b, w);
      await b.flush();
      for (const q of w.periods) {
        const from = day(q.from);
        const to = day(q.from + q.length);
        const today = 'day' in q.today ? day(q.today.day) : edges.length ? edges[q.today.pick % edges.length] : day(0);
        const now = `${today}T12:00:00Z`;
        const got = await b.returns({ from, to, today, now });
        expect(got.map((r) => r.constellationId)).toEqual([...ks, null]);
        for (const [i, k] of ks.entries()) {
          const r = got[i];
          expect({ k, from, to, sleepovers: r.sleepovers }).toEqual({ k, from, to, sleepovers: refSleepovers(b.data, k, from, to) });
          expect({ k, from, to, sessions: r.sessions }).toEqual({ k, from, to, sessions: refSessions(b.data, k, from, to, now) });
          expect({ k, from, to, today, support: r.support }).toEqual({ k, from, to, today, support: refSupport(b.data, k, from, to, today) });
          expect({ k, from, to, contact: r.contact }).toEqual({ k, from, to, contact: refContact(b.data, k, from, to) });
          expect({ k, from, to, retention: r.retention }).toEqual({ k, from, to, retention: refRetention(b.data, k, from, to) });
          expect(r.retention.householdsAtStart).toBe(r.stability.householdsAtStart);
        }
        const none = got[ks.length];
        expect(none.contact).toEqual(refContact(b.data, null, from, to));
        expect(none.retention).toEqual(refRetention(b.data, null, from, to));
        expect(none.retention.householdsAtStart).toBe(none.stability.householdsAtStart);
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

test('sibling contact at hub bookings equals the reference where separated siblings are common', async () => {
  // Every child settled with a satellite or an unaffiliated household, so that many siblings are
  // apart on `to` and the bookings near `to` decide who had contact.
  const TO = day(100);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 2, max: 6 }), { minLength: 6, maxLength: 6 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 6 }),
      fc.array(
        fc.record({
          k: fc.integer({ min: 0, max: 1 }),
          purpose: fc.constantFrom('SIBLING_CONTACT', 'SIBLING_CONTACT', 'FAMILY_TIME'),
          status: fc.constantFrom('CONFIRMED', 'CONFIRMED', 'REQUESTED', 'CANCELLED'),
          back: fc.integer({ min: -2, max: 94 }),
          slot: fc.constantFrom(0, 9 * 60, 22 * 60, 23 * 60),
          outcome: fc.option(fc.constantFrom('TOOK_PLACE', 'CUT_SHORT', 'CHILD_DID_NOT_ATTEND'), { nil: null, freq: 4 }),
          children: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
        }),
        { maxLength: 10 },
      ),
      async (homes, pairs, bookings) => {
        const b = await Builder.create(db);
        const ks = [b.constellation(), b.constellation()];
        const hs = Array.from({ length: 7 }, () => b.household());
        b.member(ks[0], hs[0], 'HUB', day(-300));
        b.member(ks[1], hs[1], 'HUB', day(-300));
        for (const i of [2, 3]) b.member(ks[0], hs[i], 'SATELLITE', day(-300));
        for (const i of [4, 5]) b.member(ks[1], hs[i], 'SATELLITE', day(-300));
        const cs = homes.map((h) => {
          const c = b.child();
          b.placement(c, hs[h], day(-200));
          return c;
        });
        const seen = new Set<string>();
        for (const [x, y] of pairs) {
          if (x === y || seen.has(`${x}|${y}`) || seen.has(`${y}|${x}`)) continue;
          seen.add(`${x}|${y}`);
          b.sibling(cs[x], cs[y]);
        }
        const slots = new Set<string>();
        for (const x of bookings) {
          const confirmed = x.status === 'CONFIRMED';
          if (confirmed && slots.has(`${x.k}|${x.back}|${x.slot}`)) continue;
          if (confirmed) slots.add(`${x.k}|${x.back}|${x.slot}`);
          b.booking(ks[x.k], { purpose: x.purpose, status: x.status, startsAt: instant(100 - x.back, x.slot), outcome: confirmed ? x.outcome : null, children: x.children.map((i) => cs[i]) });
        }
        const got = await b.returns({ from: day(0), to: TO, today: TO });
        for (const [i, k] of [...ks, null].entries()) expect({ k, contact: got[i].contact }).toEqual({ k, contact: refContact(b.data, k, day(0), TO) });
      },
    ),
    { numRuns: NUM_RUNS },
  );
});
