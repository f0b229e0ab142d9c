import { createTestDb, type TestDb } from '../support/db';
import { stabilityReport } from '../../src/stability/stability.service';
import { Builder } from './builder';
import { refContact, refRetention, refSessions, refSleepovers, refSupport } from './reference';

/**
 * One constellation's half year, every figure worked out by hand (the comments give the sums), and
 * the comparison group beside it. Period [2025-01-01, 2025-06-30]; "today" 2025-08-01.
 */
let db: TestDb;
let b: Builder;
let K: string;
let K2: string;
const FROM = '2025-01-01';
const TO = '2025-06-30';
const TODAY = '2025-08-01';

beforeAll(async () => {
  db = await createTestDb();
  b = await Builder.create(db);
  K = b.constellation({ name: 'Alpha', beds: 2, launchedOn: '2025-02-01' });
  K2 = b.constellation({ name: 'Beta', beds: 1 });
  const hub = b.household();
  const A = b.household();
  const B = b.household({ deregisteredOn: '2025-05-01', reason: 'RETIREMENT' });
  const C = b.household(); // joins after `from`
  const D = b.household({ deregisteredOn: '2025-06-30', reason: 'BECAME_ADOPTERS_OR_GUARDIANS' });
  const hub2 = b.household();
  const S2 = b.household();
  const L = b.household(); // in no constellation
  b.household({ deregisteredOn: '2025-03-03', reason: 'DISSATISFIED_WITH_SERVICE' }); // in no constellation
  b.member(K, hub, 'HUB', '2024-01-01');
  for (const h of [A, B, D]) b.member(K, h, 'SATELLITE', '2024-01-01');
  b.member(K, C, 'SATELLITE', '2025-03-01');
  b.member(K2, hub2, 'HUB', '2024-01-01');
  b.member(K2, S2, 'SATELLITE', '2024-01-01');

  const [a1, b1, b2, s2c, x1, x2, y1, y2, z1, z2, w1, w2] = Array.from({ length: 12 }, () => b.child());
  b.placement(a1, A, '2024-01-01', '2025-04-20', { unplanned: true, reason: 'CREQB' });
  b.placement(a1, null, '2025-04-20');
  b.placement(b1, B, '2024-01-01');
  // A status change with the same carers (an unplanned flag on the record does not make it an ending).
  b.placement(b2, B, '2024-01-01', '2025-02-15', { unplanned: true, reason: 'PLACE' });
  b.placement(b2, B, '2025-02-15');
  b.placement(s2c, S2, '2024-01-01');
  b.placement(x1, A, '2024-06-01');
  b.placement(x2, B, '2024-06-01');
  b.placement(y1, A, '2024-06-01');
  b.placement(y2, L, '2024-06-01');
  b.placement(z1, A, '2024-06-01');
  b.placement(z2, A, '2024-06-01');
  b.sibling(x1, x2);
  b.sibling(y1, y2);
  b.sibling(z1, z2);
  b.placement(w1, B, '2024-06-01');
  b.placement(w2, C, '2024-06-01');
  b.sibling(w1, w2);

  // Sleepovers at Alpha's hub.
  b.sleepover(K, A, { status: 'CONFIRMED', createdAt: '2025-03-10T12:00:00Z', start: '2025-03-14', end: '2025-03-16', children: [a1] }); // asked; 2 nights
  b.sleepover(K, B, { kind: 'EMERGENCY', status: 'CONFIRMED', createdAt: '2025-03-20T23:30:00Z', start: '2025-03-20', end: '2025-03-21', children: [b1, b2] }); // asked; 2 child-nights
  b.sleepover(K, A, { status: 'DECLINED', createdAt: '2025-04-01T09:00:00Z', start: '2025-04-10', end: '2025-04-12', children: [a1] }); // asked
  b.sleepover(K, A, { status: 'CONFIRMED', createdAt: '2024-12-31T23:30:00Z', start: '2025-01-05', end: '2025-01-07', children: [a1] }); // asked in 2024; 2 nights
  b.sleepover(K, S2, { status: 'CONFIRMED', createdAt: '2025-05-01T10:00:00Z', start: '2025-06-29', end: '2025-07-02', children: [s2c] }); // cover; asked; 2 nights in the period
  b.sleepover(K, A, { status: 'REQUESTED', createdAt: '2025-06-30T23:30:00Z', start: '2025-07-10', end: '2025-07-11', children: [y1] }); // 00:30 BST on 1 July: not asked in the period
  b.sleepover(K, B, { kind: 'EMERGENCY', status: 'CANCELLED', createdAt: '2025-01-15T10:00:00Z', start: '2025-01-20', end: '2025-01-21', children: [b1] }); // asked
  b.sleepover(K, A, { status: 'CONFIRMED', createdAt: '2024-11-01T10:00:00Z', start: '2025-06-01', end: '2025-06-03', children: [x1] }); // 2 nights
  b.sleepover(K, B, { status: 'CONFIRMED', createdAt: '2024-11-01T10:00:00Z', start: '2025-06-02', end: '2025-06-04', children: [x2] }); // 2 nights; with x1 on 2 June
  b.sleepover(K, A, { status: 'CONFIRMED', createdAt: '2024-11-01T10:00:00Z', start: '2025-03-01', end: '2025-03-02', children: [y1] }); // 1 night
  b.sleepover(K, L, { status: 'CONFIRMED', createdAt: '2024-11-01T10:00:00Z', start: '2025-03-01', end: '2025-03-02', children: [y2] }); // 1 night; with y1, but before to - 91
  b.block(K, '2025-04-18', '2025-04-21'); // 3 nights
  b.block(K, '2025-01-10', '2025-02-03'); // 2 nights after the launch

  // Sessions at Alpha.
  const [cHub, cA1, cA2, cB, cC] = [b.carer(hub), b.carer(A), b.carer(A), b.carer(B), b.carer(C)];
  const m1 = b.session(K, '2025-02-10T18:00:00Z');
  b.rsvp(m1, cA1, 'ATTENDED');
  b.rsvp(m1, cA2, 'ATTENDED');
  b.rsvp(m1, cB, 'NO_SHOW');
  b.rsvp(m1, cHub, 'ATTENDED');
  const m2 = b.session(K, '2025-03-10T18:00:00Z');
  b.rsvp(m2, cB, 'ATTENDED');
  b.rsvp(m2, cC, 'ATTENDED');
  b.session(K, '2025-04-01T18:00:00Z', 'CANCELLED');
  b.session(K, '2025-06-30T23:30:00Z'); // 1 July in London
  b.session(K, '2024-12-31T23:59:00Z');
  b.session(K, '2025-07-15T18:00:00Z');

  // The support log.
  b.entry(K, A, '2024-12-20T10:00:00Z', { child: a1, atRisk: true }); // opens an episode before the period
  b.entry(K, A, '2025-01-10T10:00:00Z', { child: a1, atRisk: true }); // 21 days on: no episode
  b.entry(K, A, '2025-02-03T10:00:00Z', { child: a1, atRisk: true, wouldHaveEnded: true }); // 45 days after the last opening: opens
  b.entry(K, A, '2025-02-20T10:00:00Z', { child: a1, atRisk: true }); // 17 days: no
  b.entry(K, A, '2025-03-10T10:00:00Z', { child: a1, atRisk: true }); // 35 days: opens
  b.entry(K, A, '2025-03-12T10:00:00Z', { atRisk: true }); // the household alone: opens
  b.entry(K, B, '2025-06-20T10:00:00Z', { child: b1, atRisk: true }); // opens; its 90 days not over by today
  b.entry(K, B, '2025-05-10T18:30:00Z', { outOfHours: true, wouldHaveResigned: true });
  b.entry(K, B, '2025-05-11T10:00:00Z', { wouldHaveResigned: true });
  const sg = b.entry(K, A, '2025-04-02T10:00:00Z', { safeguarding: true });
  b.entry(K, A, '2025-04-02T10:00:00Z', { amends: sg, wouldHaveEnded: true }); // one chain, still safeguarding
  const wrong = b.entry(K, C, '2025-04-05T10:00:00Z');
  b.entry(K, C, '2025-04-05T10:00:00Z', { amends: wrong, recordedInError: true }); // withdrawn: counts nowhere
  const moved = b.entry(K, A, '2025-06-25T10:00:00Z');
  b.entry(K, A, '2025-07-02T10:00:00Z', { amends: moved }); // corrected to a date after the period
  b.entry(K, B, '2025-01-02T00:30:00Z', { child: b2, atRisk: true, outOfHours: true }); // opens; held (the PLACE change is no ending)
  b.entry(K2, S2, '2025-03-03T10:00:00Z', { wouldHaveResigned: true }); // Beta's

  // Hub bookings at Alpha's hub.
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'CONFIRMED', startsAt: '2025-01-01T00:30:00Z', outcome: 'CUT_SHORT', children: [a1] }); // booked; took place
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'CONFIRMED', startsAt: '2025-02-05T10:00:00Z', outcome: 'TOOK_PLACE', children: [a1] }); // booked; took place
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'CONFIRMED', startsAt: '2025-03-05T10:00:00Z', outcome: 'FAMILY_DID_NOT_ATTEND', children: [b1] }); // booked
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'REQUESTED', startsAt: '2025-03-06T10:00:00Z', children: [b1] }); // not booked
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'DECLINED', startsAt: '2025-03-07T10:00:00Z', children: [b1] }); // not booked
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'CANCELLED', startsAt: '2025-03-08T10:00:00Z', children: [b1] }); // not booked
  b.booking(K, { purpose: 'FAMILY_TIME', status: 'CONFIRMED', startsAt: '2025-06-30T23:30:00Z', outcome: 'TOOK_PLACE', children: [a1] }); // 00:30 BST on 1 July: after the period
  b.booking(K, { purpose: 'SIBLING_CONTACT', status: 'CONFIRMED', startsAt: '2025-02-10T10:00:00Z', outcome: 'CHILD_DID_NOT_ATTEND', children: [x1, x2] }); // booked
  b.booking(K, { purpose: 'SIBLING_CONTACT', status: 'CONFIRMED', startsAt: '2025-03-20T10:00:00Z', outcome: 'CUT_SHORT', children: [z1, z2] }); // booked; took place (z1 and z2 live together)
  b.booking(K, { purpose: 'SIBLING_CONTACT', status: 'CONFIRMED', startsAt: '2025-03-30T10:00:00Z', outcome: 'TOOK_PLACE', children: [y1, y2] }); // booked; took place, on to - 92
  b.booking(K, { purpose: 'SIBLING_CONTACT', status: 'CONFIRMED', startsAt: '2025-03-30T23:30:00Z', outcome: 'CUT_SHORT', children: [w1, w2] }); // booked; took place, 00:30 BST on 31 March = to - 91
  b.booking(K, { purpose: 'SIBLING_CONTACT', status: 'CONFIRMED', startsAt: '2025-05-01T10:00:00Z', outcome: 'CHILD_DID_NOT_ATTEND', children: [y1, y2] }); // booked; did not take place
  b.booking(K, { purpose: 'SIBLING_CONTACT', status: 'CANCELLED', startsAt: '2025-05-02T10:00:00Z', children: [y1, y2] }); // not booked
  b.booking(K, { purpose: 'DAY_CARE', status: 'CONFIRMED', startsAt: '2025-05-03T10:00:00Z', outcome: 'TOOK_PLACE', children: [y1, y2] }); // neither purpose
  b.booking(K2, { purpose: 'SIBLING_CONTACT', status: 'CONFIRMED', startsAt: '2025-05-05T10:00:00Z', outcome: 'TOOK_PLACE', children: [s2c] }); // Beta's
  await b.flush();
});
afterAll(async () => db.drop());

test('Alpha: every figure as worked out by hand', async () => {
  const [alpha, beta, none] = await b.returns({ from: FROM, to: TO, today: TODAY });
  expect(alpha.constellationId).toBe(K);
  expect(beta.constellationId).toBe(K2);
  expect(none.constellationId).toBeNull();
  expect(alpha.sleepovers).toEqual({
    requested: 5, // 10 Mar, 20 Mar, 1 Apr, 1 May, 15 Jan
    emergencyRequested: 2,
    confirmed: 3,
    declined: 1,
    nightsUsed: 14, // 2 + 2 + 2 + 2 + 2 + 2 + 1 + 1
    bedNightsAvailable: 290, // (150 nights from 1 Feb - 5 blocked) x 2 beds
    occupancyRate: 14 / 290,
    householdsUsing: 4, // A, B, S2 (cover), L (cover)
    childrenUsing: 8, // a1, b1, b2, s2c, x1, x2, y1, y2
  });
  expect(alpha.sessions).toEqual({ held: 2, cancelled: 1, attendances: 5, householdsAttending: 3 });
  expect(alpha.support).toEqual({
    contacts: 10, // 10 Jan, 3 Feb, 20 Feb, 10 Mar, 12 Mar, 20 Jun, 10 May, 11 May, the safeguarding chain, 2 Jan
    outOfHours: 2,
    householdsSupported: 2, // A, B (C's entry was withdrawn)
    placementsAtRisk: 5, // 3 Feb, 10 Mar, 12 Mar (A alone), 20 Jun, 2 Jan
    atRiskAssessed: 4, // all but 20 Jun
    atRiskPlacementsHeld: 1, // 2 Jan (b2); a1 left A unplanned on 20 Apr, within 90 days of the others
    wouldHaveEnded: 2,
    wouldHaveResigned: 1,
    safeguardingConcerns: 1,
  });
  expect(alpha.contact).toEqual({
    familyTimeBooked: 3, // 1 Jan, 5 Feb, 5 Mar (requested, declined, cancelled and 1 July ones are not)
    familyTimeTookPlace: 2, // 1 Jan (cut short), 5 Feb
    siblingContactBooked: 5, // 10 Feb, 20 Mar, 30 Mar, 31 Mar, 1 May
    siblingContactTookPlace: 3, // 20 Mar, 30 Mar, 31 Mar
    separatedSiblings: 5, // x1 (x2 at B), x2 (x1 at A), y1 (y2 at L), w1 and w2 (at B and C); z1 and z2 live together
    // x1 and x2 a night together on 2 June; w1 and w2 at sibling contact on 31 March (London);
    // y1 and y2 only a night on 1 March and contact on 30 March, before 31 March (1 May did not take place)
    separatedSiblingsWithContact: 4,
  });
  expect(beta.contact).toMatchObject({ familyTimeBooked: 0, familyTimeTookPlace: 0, siblingContactBooked: 1, siblingContactTookPlace: 1 });
  expect(alpha.retention).toEqual({
    householdsAtStart: 3, // A, B, D; C joined in March; the hub is not counted
    deregistered: [
      { reason: 'RETIREMENT', count: 1 },
      { reason: 'BECAME_ADOPTERS_OR_GUARDIANS', count: 1 },
    ],
    retentionRate: 1 - 1 / 3, // adoption or guardianship is not a loss
  });
  expect(beta.support).toMatchObject({ contacts: 1, wouldHaveResigned: 1, householdsSupported: 1 });
  expect(beta.sleepovers).toMatchObject({ requested: 0, nightsUsed: 0, bedNightsAvailable: 181, householdsUsing: 0 }); // launched with its hub (2024): every night x 1 bed
});

test('the comparison group: households in no constellation; sleepovers, sessions and support are null', async () => {
  const [, , none] = await b.returns({ from: FROM, to: TO, today: TODAY });
  expect(none.sleepovers).toBeNull();
  expect(none.sessions).toBeNull();
  expect(none.support).toBeNull();
  expect(none.contact).toEqual({ familyTimeBooked: null, familyTimeTookPlace: null, siblingContactBooked: null, siblingContactTookPlace: null, separatedSiblings: 1, separatedSiblingsWithContact: 0 });
  // L, M, and C, which joined Alpha only in March: in no constellation on `from`.
  expect(none.retention).toEqual({ householdsAtStart: 3, deregistered: [{ reason: 'DISSATISFIED_WITH_SERVICE', count: 1 }], retentionRate: 1 - 1 / 3 });
});

test("stability is today's stability report for the same scope, and retention's households at start agree with it", async () => {
  const [alpha, beta, none] = await b.returns({ from: FROM, to: TO, today: TODAY });
  const em = db.orm.em.fork() as any;
  expect(alpha.stability).toEqual(await stabilityReport(em, { organisationId: b.orgId, scope: { kind: 'CONSTELLATION', constellationId: K }, from: FROM, to: TO }));
  expect(beta.stability).toEqual(await stabilityReport(em, { organisationId: b.orgId, scope: { kind: 'CONSTELLATION', constellationId: K2 }, from: FROM, to: TO }));
  expect(none.stability).toEqual(await stabilityReport(em, { organisationId: b.orgId, scope: { kind: 'NO_CONSTELLATION' }, from: FROM, to: TO }));
  for (const r of [alpha, beta, none]) expect(r.retention.householdsAtStart).toBe(r.stability.householdsAtStart);
  expect(alpha.sleepovers!.nightsUsed).toBe(alpha.stability.sleepoverNightsUsed);
});

test('the hand-worked figures agree with the in-memory reference', async () => {
  const [alpha, , none] = await b.returns({ from: FROM, to: TO, today: TODAY });
  const now = `${TODAY}T12:00:00Z`;
  expect(alpha.sleepovers).toEqual(refSleepovers(b.data, K, FROM, TO));
  expect(alpha.sessions).toEqual(refSessions(b.data, K, FROM, TO, now));
  expect(alpha.support).toEqual(refSupport(b.data, K, FROM, TO, TODAY));
  expect(alpha.contact).toEqual(refContact(b.data, K, FROM, TO));
  expect(alpha.retention).toEqual(refRetention(b.data, K, FROM, TO));
  expect(none.contact).toEqual(refContact(b.data, null, FROM, TO));
  expect(none.retention).toEqual(refRetention(b.data, null, FROM, TO));
});

test('another organisation asking about these constellations gets zeros, never their figures', async () => {
  const other = await Builder.create(db);
  const [alpha] = await other.returns({ from: FROM, to: TO, today: TODAY, constellations: [K], comparison: false });
  expect(alpha.sessions).toEqual({ held: 0, cancelled: 0, attendances: 0, householdsAttending: 0 });
  expect(alpha.sleepovers).toBeNull();
  expect(alpha.support).toMatchObject({ contacts: 0, placementsAtRisk: 0 });
  expect(alpha.contact).toEqual({ familyTimeBooked: 0, familyTimeTookPlace: 0, siblingContactBooked: 0, siblingContactTookPlace: 0, separatedSiblings: 0, separatedSiblingsWithContact: 0 });
  expect(alpha.retention.householdsAtStart).toBe(0);
});
