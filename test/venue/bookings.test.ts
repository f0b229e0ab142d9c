import { BLOCK } from '../sleepovers/support';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { at, book, bookInput, codes, dbId, decideBooking, node, RECORD_OUTCOME, REQUEST_BOOKING, setVenue } from './support';

/**
 * The hub as a venue over HTTP: the venue's rules, who books what, the decisions, outcomes and who
 * sees what. Each test uses days of its own so that bookings of one never meet another's.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
/** Cal (placed with the lone household) is Amy's brother: siblings placed apart. */
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  await t.fx.siblings(w.org, w.childA, w.childLone);
  await t.fx.siblings(w.org, w.childA2, w.childLone);
});
afterAll(async () => t.stop());

const VENUE = `query($id: ID!) { node(id: $id) { ... on Constellation { venue { familyTimeAllowed opensAt closesAt } } } }`;

describe('the venue and its rules', () => {
  test('a hub starts closed to family time, open 08:00–20:00; the hub carer and the liaison worker set its rules, no one else', async () => {
    const r = await t.gql(VENUE, { id: gid('Constellation', w.k) }, { token: w.carerA.token });
    expect(r.data.node.venue).toEqual({ familyTimeAllowed: false, opensAt: '08:00', closesAt: '20:00' });
    for (const token of [w.manager.token, w.ssw.token, w.carerA.token, w.otherLiaison.token]) {
      expect(codes(await setVenue(t, token, w.k, { opensAt: '09:00' }))).toEqual([expect.stringMatching(/FORBIDDEN|NOT_FOUND/)]);
    }
    const hub = await setVenue(t, w.hubCarer.token, w.k, { opensAt: '09:00', closesAt: '18:30' });
    expect(hub.userErrors).toEqual([]);
    expect(hub.constellation.venue).toEqual({ familyTimeAllowed: false, opensAt: '09:00', closesAt: '18:30' });
    const liaison = await setVenue(t, w.liaison.token, w.k, { familyTimeAllowed: true });
    expect(liaison.constellation.venue).toEqual({ familyTimeAllowed: true, opensAt: '09:00', closesAt: '18:30' });
  });

  test('opening hours are "HH:MM" London time and the hub opens before it closes; nothing is written otherwise', async () => {
    for (const bad of ['9:00', '24:00', '12:60', 'noon', '08:00:00', '']) {
      const r = await setVenue(t, w.hubCarer.token, w.k, { opensAt: bad });
      expect(r.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'opensAt'] })]);
    }
    expect(codes(await setVenue(t, w.hubCarer.token, w.k, { closesAt: '08:59' }))).toEqual(['INVALID_INPUT']);
    expect(codes(await setVenue(t, w.hubCarer.token, w.k, { opensAt: '18:30' }))).toEqual(['INVALID_INPUT']);
    const r = await t.gql(VENUE, { id: gid('Constellation', w.k) }, { token: w.hubCarer.token });
    expect(r.data.node.venue).toEqual({ familyTimeAllowed: true, opensAt: '09:00', closesAt: '18:30' });
  });

  test('a change that would leave a booking still to come outside the rules is refused with the bookings in the way', async () => {
    const b = await book(t, w.liaison.token, { k: w.k, purpose: 'FAMILY_TIME', day: 3, from: '17:00', to: '18:00', children: [w.childB], supervisor: 'J. Smith (contact worker)' });
    expect(b.userErrors).toEqual([]);
    const narrower = await setVenue(t, w.hubCarer.token, w.k, { closesAt: '17:30' });
    expect(narrower.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE', subjectIds: [b.booking.id], dates: [day(3)] })]);
    const noFamily = await setVenue(t, w.hubCarer.token, w.k, { familyTimeAllowed: false });
    expect(noFamily.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE', subjectIds: [b.booking.id] })]);
    expect((await decideBooking(t, w.liaison.token, 'cancel', b.booking.id)).userErrors).toEqual([]);
    expect((await setVenue(t, w.hubCarer.token, w.k, { closesAt: '17:30' })).userErrors).toEqual([]);
    expect((await setVenue(t, w.hubCarer.token, w.k, { closesAt: '18:30' })).userErrors).toEqual([]);
  });
});

describe('when the hub is available', () => {
  test('outside the opening hours, checked at both ends (London time): VENUE_NOT_AVAILABLE', async () => {
    const early = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 5, from: '08:30', to: '10:00' });
    expect(early.userErrors).toEqual([expect.objectContaining({ code: 'VENUE_NOT_AVAILABLE', dates: [day(5)] })]);
    const late = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 5, from: '17:00', to: '18:31' });
    expect(codes(late)).toEqual(['VENUE_NOT_AVAILABLE']);
    const exact = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 5, from: '09:00', to: '18:30' });
    expect(exact.userErrors).toEqual([]);
    expect(exact.booking).toMatchObject({ status: 'CONFIRMED', purpose: 'MEETING', childCount: 0, children: [], startsAt: at(5, '09:00') });
  });

  test('bad times: ending before starting, in the past, across midnight', async () => {
    expect(codes(await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 6, from: '12:00', to: '11:00' }))).toEqual(['INVALID_INPUT']);
    expect(codes(await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: -1, from: '12:00', to: '13:00' }))).toEqual(['INVALID_INPUT']);
    const r = await t.gql(
      `mutation($i: RequestHubBookingInput!) { requestHubBooking(input: $i) { userErrors { code field } } }`,
      { i: { constellationId: gid('Constellation', w.k), purpose: 'MEETING', startsAt: at(6, '17:00'), endsAt: at(7, '10:00'), childIds: [] } },
      { token: w.hubCarer.token },
    );
    expect(r.data.requestHubBooking.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'endsAt'] }]);
    expect((await t.fx.sql(`select count(*)::int as n from hub_booking where london_day in ($1, $2)`, [day(6), day(7)]))[0].n).toBe(0);
  });

  test('a day whose night the hub has blocked is closed: VENUE_NOT_AVAILABLE, with the day', async () => {
    const r = await t.gql(BLOCK, { i: { constellationId: gid('Constellation', w.k), from: day(8), to: day(9), reason: 'Family wedding' } }, { token: w.hubCarer.token });
    expect(r.data.blockHubNights.userErrors).toEqual([]);
    const b = await book(t, w.hubCarer.token, { k: w.k, purpose: 'DAY_CARE', day: 8, from: '10:00', to: '12:00', children: [w.childB] });
    expect(b.userErrors).toEqual([expect.objectContaining({ code: 'VENUE_NOT_AVAILABLE', dates: [day(8)] })]);
    // The day after the blocked night is open.
    expect((await book(t, w.hubCarer.token, { k: w.k, purpose: 'DAY_CARE', day: 9, from: '10:00', to: '12:00', children: [w.childB] })).userErrors).toEqual([]);
  });

  test('family time only where the hub allows it', async () => {
    expect((await setVenue(t, w.hubCarer.token, w.k, { familyTimeAllowed: false })).userErrors).toEqual([]);
    const refused = await book(t, w.ssw.token, { k: w.k, purpose: 'FAMILY_TIME', day: 10, from: '10:00', to: '11:00', children: [w.childA], supervisor: 'Grace (SSW)' });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'VENUE_NOT_AVAILABLE', field: ['input', 'purpose'] })]);
    expect((await setVenue(t, w.hubCarer.token, w.k, { familyTimeAllowed: true })).userErrors).toEqual([]);
    expect((await book(t, w.ssw.token, { k: w.k, purpose: 'FAMILY_TIME', day: 10, from: '10:00', to: '11:00', children: [w.childA], supervisor: 'Grace (SSW)' })).userErrors).toEqual([]);
  });

  test('a request overlapping a confirmed booking is refused at once with OVERLAP and the booking in the way; touching is fine', async () => {
    const first = await book(t, w.liaison.token, { k: w.k, purpose: 'MEETING', day: 11, from: '13:00', to: '15:00', notes: 'Review' });
    expect(first.booking.status).toBe('CONFIRMED');
    const clash = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 11, from: '14:30', to: '16:00', children: [w.childA] });
    expect(clash.userErrors).toEqual([expect.objectContaining({ code: 'OVERLAP', subjectIds: [first.booking.id] })]);
    const after = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 11, from: '15:00', to: '16:00', children: [w.childA] });
    expect(after.userErrors).toEqual([]);
    expect(after.booking.status).toBe('REQUESTED');
    // Requests may overlap requests: the hub carer picks.
    const also = await book(t, w.carerB.token, { k: w.k, purpose: 'DAY_CARE', day: 11, from: '15:30', to: '16:30', children: [w.childB] });
    expect(also.booking.status).toBe('REQUESTED');
    expect((await decideBooking(t, w.hubCarer.token, 'confirm', after.booking.id)).booking.status).toBe('CONFIRMED');
    const lost = await decideBooking(t, w.hubCarer.token, 'confirm', also.booking.id);
    expect(lost.userErrors).toEqual([expect.objectContaining({ code: 'OVERLAP', subjectIds: [after.booking.id] })]);
    // An immediate booking is refused the same way.
    expect(codes(await book(t, w.manager.token, { k: w.k, purpose: 'OTHER', day: 11, from: '12:00', to: '13:30' }))).toEqual(['OVERLAP']);
  });

  test('a paused or closed constellation takes no new bookings', async () => {
    const hub = await t.fx.household(w.org, { name: 'Quiet Hub' });
    const k = await t.fx.constellation(w.org, hub, { status: 'PAUSED' });
    expect(codes(await book(t, w.manager.token, { k, purpose: 'MEETING', day: 12, from: '10:00', to: '11:00' }))).toEqual(['INVALID_STATE']);
  });
});

describe('who books what', () => {
  test('FAMILY_TIME: staff only (supervising social worker, manager, the liaison worker), naming a supervisor', async () => {
    const ft = (token: string | null, from: string, supervisor?: string) =>
      book(t, token, { k: w.k, purpose: 'FAMILY_TIME', day: 14, from, to: from.replace(/^(\d\d)/, (h) => String(Number(h) + 1).padStart(2, '0')), children: [w.childB], supervisor });
    expect(codes(await ft(w.hubCarer.token, '09:00', 'Me'))).toEqual(['FORBIDDEN']);
    expect(codes(await ft(w.carerB.token, '09:00', 'Me'))).toEqual(['FORBIDDEN']);
    expect(codes(await ft(w.otherLiaison.token, '09:00', 'Me'))).toEqual(['NOT_FOUND']);
    expect((await ft(w.ssw.token, '09:00')).userErrors).toEqual([expect.objectContaining({ code: 'INVALID_INPUT', field: ['input', 'supervisor'] })]);
    const ssw = await ft(w.ssw.token, '09:00', 'Contact worker');
    expect(ssw.booking).toMatchObject({ status: 'REQUESTED', supervisor: 'Contact worker' });
    const liaison = await ft(w.liaison.token, '11:00', 'Contact worker');
    expect(liaison.booking.status).toBe('CONFIRMED');
    const manager = await ft(w.manager.token, '13:00', 'Contact worker');
    expect(manager.booking.status).toBe('CONFIRMED');
  });

  test('SIBLING_CONTACT: two or more siblings of each other, from any household (staff), or of the constellation (the hub carer)', async () => {
    const sc = (token: string | null, children: string[], from: string) => book(t, token, { k: w.k, purpose: 'SIBLING_CONTACT', day: 15, from, to: `${from.slice(0, 2)}:45`, children });
    expect(codes(await sc(w.ssw.token, [w.childA], '09:00'))).toEqual(['INVALID_INPUT']);
    expect(codes(await sc(w.ssw.token, [w.childA, w.childB], '09:00'))).toEqual(['INVALID_INPUT']);
    // Amy and Cal are siblings, Ava and Cal are, Amy and Ava are: all three together is fine.
    const three = await sc(w.ssw.token, [w.childA, w.childA2, w.childLone], '09:00');
    expect(three.userErrors).toEqual([]);
    expect(three.booking.childCount).toBe(3);
    // Cal is placed outside the constellation: the hub carer cannot name him, even as Amy's brother.
    expect(codes(await sc(w.hubCarer.token, [w.childA, w.childLone], '10:00'))).toEqual(['NOT_FOUND']);
    const hub = await sc(w.hubCarer.token, [w.childA, w.childA2], '10:00');
    expect(hub.booking.status).toBe('CONFIRMED');
    expect(codes(await sc(w.carerA.token, [w.childA, w.childA2], '11:00'))).toEqual(['FORBIDDEN']);
  });

  test("DAY_CARE: also a satellite carer, for their own household's children; MEETING and OTHER: the hub carer, the liaison worker, staff", async () => {
    const own = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 16, from: '15:00', to: '18:00', children: [w.childA, w.childA2] });
    expect(own.booking).toMatchObject({ status: 'REQUESTED', childCount: 2 });
    expect(codes(await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 16, from: '09:00', to: '10:00', children: [w.childB] }))).toEqual(['NOT_FOUND']);
    expect(codes(await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 16, from: '09:00', to: '10:00' }))).toEqual(['INVALID_INPUT']);
    expect(codes(await book(t, w.carer2.token, { k: w.k, purpose: 'DAY_CARE', day: 16, from: '09:00', to: '10:00', children: [w.childA] }))).toEqual(['NOT_FOUND']);
    expect(codes(await book(t, w.carerA.token, { k: w.k, purpose: 'MEETING', day: 16, from: '09:00', to: '10:00' }))).toEqual(['FORBIDDEN']);
    expect(codes(await book(t, w.carerA.token, { k: w.k, purpose: 'OTHER', day: 16, from: '09:00', to: '10:00' }))).toEqual(['FORBIDDEN']);
    expect((await book(t, w.hubCarer.token, { k: w.k, purpose: 'OTHER', day: 16, from: '09:00', to: '10:00', notes: 'Training morning' })).booking.status).toBe('CONFIRMED');
    expect((await book(t, w.ssw.token, { k: w.k, purpose: 'MEETING', day: 16, from: '10:00', to: '11:00', children: [w.childB] })).booking.status).toBe('REQUESTED');
  });
});

describe('decisions', () => {
  test('the hub carer confirms or declines; a satellite carer cannot; whoever asked may cancel before it starts', async () => {
    const a = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 18, from: '09:00', to: '10:00', children: [w.childA] });
    const b = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 18, from: '11:00', to: '12:00', children: [w.childA] });
    expect(codes(await decideBooking(t, w.carerA.token, 'confirm', a.booking.id))).toEqual(['FORBIDDEN']);
    expect(codes(await decideBooking(t, w.carerB.token, 'confirm', a.booking.id))).toEqual(['NOT_FOUND']);
    expect(codes(await decideBooking(t, w.ssw.token, 'confirm', a.booking.id))).toEqual(['FORBIDDEN']);
    const ok = await decideBooking(t, w.hubCarer.token, 'confirm', a.booking.id);
    expect(ok.booking.status).toBe('CONFIRMED');
    // Pressing again answers with it as it is.
    expect((await decideBooking(t, w.liaison.token, 'confirm', a.booking.id)).booking.status).toBe('CONFIRMED');
    const no = await decideBooking(t, w.hubCarer.token, 'decline', b.booking.id, 'Dentist that morning');
    expect(no.booking).toMatchObject({ status: 'DECLINED', decisionReason: 'Dentist that morning' });
    expect(codes(await decideBooking(t, w.hubCarer.token, 'confirm', b.booking.id))).toEqual(['INVALID_STATE']);
    expect(codes(await decideBooking(t, w.carerA.token, 'cancel', b.booking.id))).toEqual(['INVALID_STATE']);
    expect(codes(await decideBooking(t, w.hubCarer.token, 'decline', a.booking.id))).toEqual(['INVALID_STATE']);
    const gone = await decideBooking(t, w.carerA.token, 'cancel', a.booking.id, 'Plans changed');
    expect(gone.booking).toMatchObject({ status: 'CANCELLED', decisionReason: 'Plans changed' });
    // Someone else's booking: only those who decide may cancel it.
    const m = await book(t, w.liaison.token, { k: w.k, purpose: 'MEETING', day: 18, from: '13:00', to: '14:00', children: [w.childA] });
    expect(codes(await decideBooking(t, w.carerA.token, 'cancel', m.booking.id))).toEqual(['FORBIDDEN']);
    expect((await decideBooking(t, w.hubCarer.token, 'cancel', m.booking.id)).booking.status).toBe('CANCELLED');
  });

  test('a booking that has begun is not cancelled but written up: outcome by the hub carer, the liaison worker or staff; COMPLETED once over', async () => {
    const [b] = await t.fx
      .sql(
        `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day, requested_by_id)
       values ($1, $2, 'DAY_CARE', 'CONFIRMED', now() - interval '1 minute', now() - interval '1 minute' + interval '1 hour',
               (now() - interval '1 minute') at time zone 'Europe/London', $3) returning id`,
        [w.org, w.k, w.carerA.userId],
      )
      .catch(() => [null]);
    // Near midnight the hour would cross into the next London day: write it as one that ended already.
    const [row] = b
      ? [b]
      : await t.fx.sql(
          `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day, requested_by_id)
           values ($1, $2, 'DAY_CARE', 'CONFIRMED', now() - interval '2 minutes', now() - interval '1 minute', (now() - interval '2 minutes') at time zone 'Europe/London', $3) returning id`,
          [w.org, w.k, w.carerA.userId],
        );
    await t.fx.sql(`insert into hub_booking_child (booking_id, child_id, organisation_id) values ($1, $2, $3)`, [row.id, w.childA, w.org]);
    const id = gid('HubBooking', row.id);
    expect(codes(await decideBooking(t, w.hubCarer.token, 'cancel', id))).toEqual(['INVALID_STATE']);
    const record = (token: string | null, outcome: string, notes?: string) => t.gql(RECORD_OUTCOME, { i: { bookingId: id, outcome, notes } }, { token });
    expect((await record(w.carerA.token, 'TOOK_PLACE')).data.recordHubBookingOutcome.userErrors[0].code).toBe('FORBIDDEN');
    const r = await record(w.hubCarer.token, 'CUT_SHORT', 'Amy was unwell');
    expect(r.data.recordHubBookingOutcome.userErrors).toEqual([]);
    expect(r.data.recordHubBookingOutcome.booking).toMatchObject({ outcome: 'CUT_SHORT', outcomeNotes: 'Amy was unwell' });
    // Corrected by the liaison worker; the carers of the child read it.
    expect((await record(w.liaison.token, 'TOOK_PLACE')).data.recordHubBookingOutcome.booking.outcome).toBe('TOOK_PLACE');
    expect((await node(t, w.carerA.token, id)).outcome).toBe('TOOK_PLACE');
    // Not before it starts, and not for one never confirmed.
    const later = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 19, from: '10:00', to: '11:00' });
    const early = await t.gql(RECORD_OUTCOME, { i: { bookingId: later.booking.id, outcome: 'TOOK_PLACE' } }, { token: w.hubCarer.token });
    expect(early.data.recordHubBookingOutcome.userErrors[0].code).toBe('INVALID_STATE');
    // COMPLETED is derived: confirmed, and its end has passed.
    await t.fx.sql(`update hub_booking set ends_at = starts_at + interval '30 seconds' where id = $1`, [row.id]);
    expect((await node(t, w.hubCarer.token, id)).status).toBe('COMPLETED');
    const listed = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Constellation { hubBookings(filter: { status: [COMPLETED] }) { totalCount edges { node { id } } } } } }`,
      { id: gid('Constellation', w.k) },
      { token: w.hubCarer.token },
    );
    expect(listed.data.node.hubBookings.edges.map((e: any) => e.node.id)).toContain(id);
  });
});

describe('who sees what', () => {
  let confirmed: string;
  let requested: string;
  let sibling: string;
  beforeAll(async () => {
    confirmed = (await book(t, w.hubCarer.token, { k: w.k, purpose: 'DAY_CARE', day: 21, from: '15:00', to: '17:00', children: [w.childA], notes: 'After school' })).booking.id;
    requested = (await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 22, from: '15:00', to: '17:00', children: [w.childA2] })).booking.id;
    sibling = (await book(t, w.liaison.token, { k: w.k, purpose: 'SIBLING_CONTACT', day: 23, from: '10:00', to: '12:00', children: [w.childA, w.childLone], notes: 'Park after' })).booking.id;
  });

  test('staff, the liaison worker and the hub carer see everything', async () => {
    for (const token of [w.admin.token, w.manager.token, w.ssw.token, w.liaison.token, w.hubCarer.token]) {
      const b = await node(t, token, confirmed);
      expect(b).toMatchObject({ purpose: 'DAY_CARE', status: 'CONFIRMED', childCount: 1, children: [{ firstName: 'Amy' }], notes: 'After school', requestedBy: { name: 'Helen Hub' } });
      expect((await node(t, token, sibling)).children.map((c: any) => c.firstName)).toEqual(['Amy', 'Cal']);
    }
  });

  test('the carers of a child in a booking see it (their own children only); other carers of the constellation see only that the hub is busy', async () => {
    const own = await node(t, w.carerA.token, confirmed);
    expect(own).toMatchObject({ purpose: 'DAY_CARE', children: [{ firstName: 'Amy' }], notes: 'After school' });
    const busy = await node(t, w.carerB.token, confirmed);
    expect(busy).toMatchObject({
      status: 'CONFIRMED',
      childCount: 1,
      purpose: null,
      children: null,
      supervisor: null,
      requestedBy: null,
      notes: null,
      decisionReason: null,
      outcome: null,
      outcomeNotes: null,
    });
    expect(busy.startsAt).toBe(at(21, '15:00'));
    // Requests are not busy time: other carers do not see them at all.
    expect(await node(t, w.carerB.token, requested)).toBeNull();
    expect((await node(t, w.carerA.token, requested)).purpose).toBe('DAY_CARE');
    // Cal's carer, outside the constellation, sees the sibling contact with Cal only; Amy's carer with Amy only.
    const lone = await node(t, w.loneCarer.token, sibling);
    expect(lone).toMatchObject({ purpose: 'SIBLING_CONTACT', childCount: 2, children: [{ firstName: 'Cal' }], constellation: { name: 'Riverside' } });
    expect((await node(t, w.carerA.token, sibling)).children).toEqual([{ firstName: 'Amy' }]);
    // Another constellation's carer and another organisation see nothing.
    expect(await node(t, w.carer2.token, confirmed)).toBeNull();
    expect(await node(t, w.foreignAdmin.token, confirmed)).toBeNull();
    expect(await node(t, w.otherLiaison.token, confirmed)).toBeNull();
  });

  test('lists: Constellation.hubBookings as each viewer may see it; a purpose filter never reveals busy-only bookings; Child.hubBookings newest first', async () => {
    const LIST = `query($id: ID!, $f: HubBookingFilter) { node(id: $id) { ... on Constellation { hubBookings(first: 100, filter: $f) { totalCount edges { node { id purpose } } } } } }`;
    const window = { from: at(21, '00:00'), to: at(24, '00:00') };
    const asB = await t.gql(LIST, { id: gid('Constellation', w.k), f: window }, { token: w.carerB.token });
    expect(asB.data.node.hubBookings.edges).toEqual([{ node: { id: confirmed, purpose: null } }, { node: { id: sibling, purpose: null } }]);
    expect(asB.data.node.hubBookings.totalCount).toBe(2);
    const byPurpose = await t.gql(LIST, { id: gid('Constellation', w.k), f: { ...window, purpose: ['DAY_CARE'] } }, { token: w.carerB.token });
    expect(byPurpose.data.node.hubBookings.totalCount).toBe(0);
    const hub = await t.gql(LIST, { id: gid('Constellation', w.k), f: window }, { token: w.hubCarer.token });
    expect(hub.data.node.hubBookings.edges.map((e: any) => e.node.id)).toEqual([confirmed, requested, sibling]);
    const hubRequested = await t.gql(LIST, { id: gid('Constellation', w.k), f: { ...window, status: ['REQUESTED'] } }, { token: w.hubCarer.token });
    expect(hubRequested.data.node.hubBookings.edges.map((e: any) => e.node.id)).toEqual([requested]);
    // Pages by startsAt. The total counts every page's bookings, whether the first page's statement
    // counted it or a statement of its own did (later pages), and asked for in a fragment too.
    const P = `query($id: ID!, $f: HubBookingFilter, $after: String) { node(id: $id) { ... on Constellation { hubBookings(first: 2, after: $after, filter: $f) { edges { node { id } } pageInfo { hasNextPage endCursor } ...Total } } } }
      fragment Total on HubBookingConnection { totalCount }`;
    const p1 = await t.gql(P, { id: gid('Constellation', w.k), f: window }, { token: w.hubCarer.token });
    const p2 = await t.gql(P, { id: gid('Constellation', w.k), f: window, after: p1.data.node.hubBookings.pageInfo.endCursor }, { token: w.hubCarer.token });
    expect([...p1.data.node.hubBookings.edges, ...p2.data.node.hubBookings.edges].map((e: any) => e.node.id)).toEqual([confirmed, requested, sibling]);
    expect([p1.data.node.hubBookings.totalCount, p2.data.node.hubBookings.totalCount]).toEqual([3, 3]);
    expect(p2.statements).toBe(p1.statements + 1);
    expect((await t.gql(P, { id: gid('Constellation', w.k), after: 'bm9wZQ' }, { token: w.hubCarer.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const CHILD = `query($id: ID!) { node(id: $id) { ... on Child { hubBookings { totalCount edges { node { id } } } } } }`;
    const amy = await t.gql(CHILD, { id: gid('Child', w.childA) }, { token: w.carerA.token });
    const ids = amy.data.node.hubBookings.edges.map((e: any) => e.node.id);
    expect(ids.indexOf(sibling)).toBeLessThan(ids.indexOf(confirmed));
  });
});

describe('notifications', () => {
  const notes = (bookingId: string) =>
    t.fx.sql<{ recipient_id: string; kind: string; title: string; body_text: string }>(
      `select recipient_id, kind, title, body_text from notification where subject_type = 'HubBooking' and subject_id = $1 order by created_at, recipient_id`,
      [dbId(bookingId)],
    );

  test("requested → the hub carer at once; confirmed, declined, cancelled → whoever asked and the children's carers; never the one who acted", async () => {
    const r = await book(t, w.ssw.token, { k: w.k, purpose: 'FAMILY_TIME', day: 25, from: '10:00', to: '11:00', children: [w.childA], supervisor: 'Contact worker' });
    let n = await notes(r.booking.id);
    expect(n.map((x) => [x.recipient_id, x.kind])).toEqual([[w.hubCarer.userId, 'HUB_BOOKING_REQUESTED']]);
    expect(n[0].body_text).toContain('Amy');
    expect(n[0].title).not.toContain('Amy');
    await decideBooking(t, w.hubCarer.token, 'confirm', r.booking.id);
    n = await notes(r.booking.id);
    const confirmedTo = n
      .filter((x) => x.kind === 'HUB_BOOKING_CONFIRMED')
      .map((x) => x.recipient_id)
      .sort();
    expect(confirmedTo).toEqual([w.ssw.id, w.carerA.userId].sort());
    await decideBooking(t, w.ssw.token, 'cancel', r.booking.id, 'Mum unwell');
    n = await notes(r.booking.id);
    const cancelledTo = n
      .filter((x) => x.kind === 'HUB_BOOKING_CANCELLED')
      .map((x) => x.recipient_id)
      .sort();
    expect(cancelledTo).toEqual([w.carerA.userId, w.hubCarer.userId].sort());
    expect(n.find((x) => x.kind === 'HUB_BOOKING_CANCELLED')!.body_text).toContain('Mum unwell');

    const d = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 25, from: '14:00', to: '15:00', children: [w.childA] });
    await decideBooking(t, w.hubCarer.token, 'decline', d.booking.id, 'Away');
    const declined = (await notes(d.booking.id)).filter((x) => x.kind === 'HUB_BOOKING_DECLINED');
    expect(declined.map((x) => x.recipient_id)).toEqual([w.carerA.userId]);
  });

  test('a carer is told of their own child by name and of a sibling elsewhere only as a count', async () => {
    const s = await book(t, w.liaison.token, { k: w.k, purpose: 'SIBLING_CONTACT', day: 26, from: '10:00', to: '11:00', children: [w.childA, w.childLone] });
    const n = await notes(s.booking.id);
    const lone = n.find((x) => x.recipient_id === w.loneCarer.userId)!;
    expect(lone.body_text).toContain('Cal and 1 other child');
    expect(lone.body_text).not.toContain('Amy');
  });
});

describe('idempotency', () => {
  test('the same request repeated with the same Idempotency-Key books once and answers the same', async () => {
    const headers = { 'Idempotency-Key': 'venue-idem-1' };
    const input = bookInput({ k: w.k, purpose: 'MEETING', day: 28, from: '10:00', to: '11:00', notes: 'Once' });
    const a = await t.gql(REQUEST_BOOKING, { i: input }, { token: w.hubCarer.token, headers });
    const b = await t.gql(REQUEST_BOOKING, { i: input }, { token: w.hubCarer.token, headers });
    expect(a.data.requestHubBooking.userErrors).toEqual([]);
    expect(b.data.requestHubBooking.booking.id).toBe(a.data.requestHubBooking.booking.id);
    expect(b.data.requestHubBooking.booking.notes).toBe('Once');
    expect((await t.fx.sql(`select count(*)::int as n from hub_booking where london_day = $1`, [day(28)]))[0].n).toBe(1);
  });
});
