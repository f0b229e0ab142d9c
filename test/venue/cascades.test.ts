import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { book, dbId } from './support';

/**
 * What follows for hub bookings from a change elsewhere: each cancels the requested and confirmed
 * bookings still to come (from the change's date), in the same transaction, with the reason, an
 * audit event and the notifications; bookings of other children, households and hubs stand.
 * Every test builds a world of its own.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

async function world() {
  const w = await t.fx.world();
  // Amy's family time is booked, confirmed; Ben's day care waits; a meeting with no children.
  const familyTime = await book(t, w.liaison.token, { k: w.k, purpose: 'DAY_CARE', day: 10, from: '10:00', to: '11:00', children: [w.childA] });
  const benDayCare = await book(t, w.carerB.token, { k: w.k, purpose: 'DAY_CARE', day: 11, from: '10:00', to: '11:00', children: [w.childB] });
  const meeting = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 12, from: '10:00', to: '11:00' });
  for (const b of [familyTime, benDayCare, meeting]) expect(b.userErrors).toEqual([]);
  return { w, amy: familyTime.booking.id as string, ben: benDayCare.booking.id as string, meeting: meeting.booking.id as string };
}

async function state(id: string) {
  const [b] = await t.fx.sql(`select status, decision_reason from hub_booking where id = $1`, [dbId(id)]);
  const audit = await t.fx.sql(`select summary from audit_event where action = 'HubBooking.cancel' and subject_id = $1`, [id]);
  const told = await t.fx.sql(`select count(*)::int as n from notification where kind = 'HUB_BOOKING_CANCELLED' and subject_id = $1`, [dbId(id)]);
  return { status: b.status as string, reason: b.decision_reason as string | null, audited: audit.length, told: told[0].n as number };
}

const gqlOk = async (query: string, i: Record<string, unknown>, token: string) => {
  const r = await t.gql(query, { i }, { token });
  expect(r.errors).toBeUndefined();
  const payload = Object.values(r.data)[0] as { userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
};

test("a child's placement ending cancels the child's bookings from the day they moved on; others stand", async () => {
  const { w, amy, ben, meeting } = await world();
  await gqlOk(
    `mutation($i: EndPlacementInput!) { endPlacement(input: $i) { userErrors { code message } } }`,
    { placementId: gid('Placement', w.placementA), endDate: day(5), reason: 'CARPL', unplanned: false },
    w.ssw.token,
  );
  expect(await state(amy)).toEqual({ status: 'CANCELLED', reason: expect.any(String), audited: 1, told: expect.any(Number) });
  expect((await state(amy)).told).toBeGreaterThan(0);
  expect((await state(ben)).status).toBe('REQUESTED');
  expect((await state(meeting)).status).toBe('CONFIRMED');
});

test("a household leaving the constellation cancels its children's bookings there", async () => {
  const { w, amy, ben, meeting } = await world();
  await gqlOk(
    `mutation($i: ConstellationMemberInput!) { removeConstellationMember(input: $i) { userErrors { code message } } }`,
    { constellationId: gid('Constellation', w.k), householdId: gid('Household', w.satB) },
    w.liaison.token,
  );
  expect((await state(ben)).status).toBe('CANCELLED');
  expect((await state(amy)).status).toBe('CONFIRMED');
  expect((await state(meeting)).status).toBe('CONFIRMED');
});

test("a household put on hold: its children's bookings go; put on hold as the hub, every booking it would host goes", async () => {
  const { w, amy, ben, meeting } = await world();
  const HOLD = `mutation($i: UpdateHouseholdInput!) { updateHousehold(input: $i) { userErrors { code message } } }`;
  await gqlOk(HOLD, { householdId: gid('Household', w.satA), status: 'ON_HOLD' }, w.manager.token);
  expect((await state(amy)).status).toBe('CANCELLED');
  expect((await state(ben)).status).toBe('REQUESTED');
  await gqlOk(HOLD, { householdId: gid('Household', w.hubHousehold), status: 'ON_HOLD' }, w.manager.token);
  expect((await state(ben)).status).toBe('CANCELLED');
  expect((await state(meeting)).status).toBe('CANCELLED');
});

test('the constellation closing cancels every booking still to come; pausing does not', async () => {
  const { w, amy, ben, meeting } = await world();
  const STATUS = `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code message } } }`;
  await gqlOk(STATUS, { constellationId: gid('Constellation', w.k), status: 'PAUSED' }, w.manager.token);
  expect((await state(amy)).status).toBe('CONFIRMED');
  await gqlOk(STATUS, { constellationId: gid('Constellation', w.k), status: 'CLOSED' }, w.manager.token);
  for (const id of [amy, ben, meeting]) expect(await state(id)).toMatchObject({ status: 'CANCELLED', audited: 1 });
});

test('the hub changing cancels the bookings at the old home from the change on; the new home starts from the default rules', async () => {
  const { w, amy, ben, meeting } = await world();
  const r = await t.gql(
    `mutation($i: UpdateHubVenueInput!) { updateHubVenue(input: $i) { userErrors { code } } }`,
    { i: { constellationId: gid('Constellation', w.k), opensAt: '07:30' } },
    { token: w.hubCarer.token },
  );
  expect(r.data.updateHubVenue.userErrors).toEqual([]);
  const newHub = await t.fx.household(w.org, { name: 'New Hub Home' });
  await gqlOk(
    `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code message } } }`,
    { constellationId: gid('Constellation', w.k), hubHouseholdId: gid('Household', newHub), hubChangedOn: day(11) },
    w.manager.token,
  );
  expect((await state(amy)).status).toBe('CONFIRMED'); // day 10, before the change
  expect(await state(ben)).toMatchObject({ status: 'CANCELLED', reason: 'The hub home changed.' });
  expect((await state(meeting)).status).toBe('CANCELLED');
  // From the change on the venue is the new home's (its rules unset: the defaults).
  const early = await book(t, w.liaison.token, { k: w.k, purpose: 'MEETING', day: 13, from: '07:30', to: '09:00' });
  expect(early.userErrors.map((e) => e.code)).toEqual(['VENUE_NOT_AVAILABLE']);
});
