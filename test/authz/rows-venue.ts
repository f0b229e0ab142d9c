import { DateTime } from 'luxon';
import { addDays, todayLondon, ZONE } from '../../src/platform/time';
import { gid } from '../support/fixtures';
import { builtOncePerRun, decisionRows, type MatrixCtx, mutation, query, RIVERSIDE, type Row, subscription } from './kit';
import { MANAGERS, ORG_WIDE, type ViewerKind } from './viewers';

/**
 * Rows for the hub as a venue. Every mutation cell books an hour of its own (a day each, far from
 * the nights the sleepover rows use), so cells never meet each other's bookings.
 */

const RUNS_RIVERSIDE: ViewerKind[] = [...MANAGERS, 'liaison', 'hubCarer'];
const RIVERSIDE_STAFF_AND_HUB: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer'];

const once = builtOncePerRun();

let nextDay = 300;
function freshSlot(): { startsAt: string; endsAt: string } {
  const d = addDays(todayLondon(), nextDay++);
  const at = (hhmm: string) => DateTime.fromISO(`${d}T${hhmm}`, { zone: ZONE }).toUTC().toISO()!;
  return { startsAt: at('10:00'), endsAt: at('11:00') };
}

async function freshChild(m: MatrixCtx, household: string): Promise<string> {
  const child = await m.t.fx.child(m.w.org, { firstName: 'Iris' });
  await m.t.fx.placement(m.w.org, child, household, addDays(todayLondon(), -100));
  return child;
}

/** Riverside's hub allows family time (set once, as its hub carer would). */
const familyTimeAllowed = (m: MatrixCtx) =>
  once(m, 'familyTimeAllowed', async () => {
    await m.t.fx.sql(
      `insert into hub_venue (constellation_id, household_id, organisation_id, family_time_allowed, opens_at, closes_at) values ($1, $2, $3, true, '08:00', '20:00')
       on conflict (constellation_id, household_id) do update set family_time_allowed = true`,
      [m.w.k, m.w.hubHousehold, m.w.org],
    );
  });

const REQUEST = `mutation($i: RequestHubBookingInput!) { requestHubBooking(input: $i) { booking { id status } userErrors { code message } } }`;

async function booked(m: MatrixCtx, token: string, purpose: string, children: string[]): Promise<string> {
  const r = await m.t.gql(REQUEST, { i: { constellationId: gid('Constellation', m.w.k), purpose, childIds: children.map((c) => gid('Child', c)), ...freshSlot() } }, { token });
  if (r.errors || r.data.requestHubBooking.userErrors.length) throw new Error(`fixture booking: ${JSON.stringify(r.errors ?? r.data.requestHubBooking.userErrors)}`);
  return r.data.requestHubBooking.booking.id;
}
/** Day care asked for by the Alder House carer for a new child of theirs: REQUESTED. */
const requestedByCarer = async (m: MatrixCtx) => booked(m, m.w.carerA.token!, 'DAY_CARE', [await freshChild(m, m.w.satA)]);
/** Day care booked by a manager for a new child of `household`: CONFIRMED. */
const confirmedByManager = async (m: MatrixCtx, household: string) => booked(m, m.w.manager.token, 'DAY_CARE', [await freshChild(m, household)]);

const DETAILS = `query($id: ID!) { node(id: $id) { ... on HubBooking { purpose children { firstName } requestedBy { name } notes } } }`;

export const VENUE_ROWS: Row[] = [
  {
    area: 'Hub venue',
    operation: 'Constellation.venue',
    policy: 'scope#constellationVisible',
    allowed: RIVERSIDE,
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Constellation { venue { opensAt closesAt familyTimeAllowed } } } }`,
      (m) => ({ id: gid('Constellation', m.w.k) }),
      (d) => d?.node?.venue,
    ),
  },
  {
    area: 'Hub venue',
    operation: 'Mutation.updateHubVenue',
    policy: 'venue.policy#mayEditVenue',
    allowed: ['liaison', 'hubCarer'],
    note: "the hub carer's home: its carer or the liaison worker set its hours and whether family time may happen there",
    run: mutation(`mutation($i: UpdateHubVenueInput!) { updateHubVenue(input: $i) { userErrors { code message } } }`, 'updateHubVenue', (m) => ({
      constellationId: gid('Constellation', m.w.k),
      opensAt: '08:00',
    })),
  },
  {
    area: 'Hub venue',
    operation: 'Mutation.requestHubBooking — MEETING',
    policy: 'venue.policy#mayBook',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer'],
    note: 'the hub carer, the liaison worker or a manager confirm at once; a supervising social worker asks',
    run: mutation(REQUEST, 'requestHubBooking', (m) => ({ constellationId: gid('Constellation', m.w.k), purpose: 'MEETING', childIds: [], ...freshSlot() })),
  },
  {
    area: 'Hub venue',
    operation: 'Mutation.requestHubBooking — FAMILY_TIME',
    policy: 'venue.policy#mayBook',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only, naming a supervisor, where the hub allows it',
    run: mutation(REQUEST, 'requestHubBooking', async (m) => {
      await familyTimeAllowed(m);
      return { constellationId: gid('Constellation', m.w.k), purpose: 'FAMILY_TIME', childIds: [gid('Child', await freshChild(m, m.w.satA))], supervisor: 'Contact worker', ...freshSlot() };
    }),
  },
  {
    area: 'Hub venue',
    operation: "Mutation.requestHubBooking — DAY_CARE for the Alder House carer's child",
    policy: 'venue.policy#mayBook',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer', 'carer'],
    note: "a satellite carer books day care for their own household's children",
    run: mutation(REQUEST, 'requestHubBooking', async (m) => ({
      constellationId: gid('Constellation', m.w.k),
      purpose: 'DAY_CARE',
      childIds: [gid('Child', await freshChild(m, m.w.satA))],
      ...freshSlot(),
    })),
  },
  {
    area: 'Hub venue',
    operation: 'Mutation.requestHubBooking — SIBLING_CONTACT, siblings in two Riverside households',
    policy: 'venue.policy#mayBook',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer'],
    note: 'staff for siblings anywhere in the organisation; the hub carer for children of the constellation',
    run: mutation(REQUEST, 'requestHubBooking', async (m) => {
      const a = await freshChild(m, m.w.satA);
      const b = await freshChild(m, m.w.satB);
      await m.t.fx.siblings(m.w.org, a, b);
      return { constellationId: gid('Constellation', m.w.k), purpose: 'SIBLING_CONTACT', childIds: [gid('Child', a), gid('Child', b)], ...freshSlot() };
    }),
  },
  ...decisionRows({
    area: 'Hub venue',
    type: 'HubBooking',
    idField: 'bookingId',
    allowed: RUNS_RIVERSIDE,
    policies: { decide: 'venue.policy#mayDecide', cancel: 'venue.policy#mayCancel' },
    declineReason: 'Away',
    requestedByCarer,
    confirmedByManager,
  }),
  {
    area: 'Hub venue',
    operation: 'Mutation.recordHubBookingOutcome',
    policy: 'venue.policy#mayRecordOutcome',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer'],
    note: 'once the booking has started',
    run: mutation(`mutation($i: RecordHubBookingOutcomeInput!) { recordHubBookingOutcome(input: $i) { userErrors { code message } } }`, 'recordHubBookingOutcome', async (m) => {
      const id = await once(m, 'startedBooking', async () => {
        const [b] = await m.t.fx.sql(
          `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day)
           select $1, $2, 'MEETING', 'CONFIRMED', x.m + interval '10 hours', x.m + interval '11 hours', $3::date
             from (select ($3::date)::timestamp at time zone 'Europe/London' as m) x returning id`,
          [m.w.org, m.w.k, addDays(todayLondon(), -1)],
        );
        return gid('HubBooking', b.id);
      });
      return { bookingId: id, outcome: 'TOOK_PLACE' };
    }),
  },
  {
    area: 'Hub venue',
    operation: "node(HubBooking) — another Riverside satellite household's, confirmed",
    policy: 'venue.policy#bookingVisible',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    note: 'other satellite carers see that the hub is busy (times and status)',
    run: async (m, v) => {
      const id = await once(m, 'confirmedB', () => confirmedByManager(m, m.w.satB));
      return query(
        `query($id: ID!) { node(id: $id) { id } }`,
        () => ({ id }),
        (d) => d?.node?.id,
      )(m, v);
    },
  },
  {
    area: 'Hub venue',
    operation: "HubBooking.purpose, children, requestedBy, notes — another household's",
    policy: 'venue.policy#bookingDetailsSql',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'null for carers with no child in it',
    run: async (m, v) => {
      const id = await once(m, 'confirmedB', () => confirmedByManager(m, m.w.satB));
      return query(
        DETAILS,
        () => ({ id }),
        (d) => d?.node?.purpose,
      )(m, v);
    },
  },
  {
    area: 'Hub venue',
    operation: "HubBooking.purpose, children, requestedBy, notes — own household's",
    policy: 'venue.policy#bookingDetailsSql',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    run: async (m, v) => {
      const id = await once(m, 'confirmedA', () => confirmedByManager(m, m.w.satA));
      return query(
        DETAILS,
        () => ({ id }),
        (d) => d?.node?.purpose,
      )(m, v);
    },
  },
  {
    area: 'Hub venue',
    operation: "node(HubBooking) — another household's request (REQUESTED)",
    policy: 'venue.policy#bookingVisible',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'other satellite carers never see requests',
    run: async (m, v) => {
      const id = await once(m, 'requestedB', async () => booked(m, m.w.carerB.token!, 'DAY_CARE', [await freshChild(m, m.w.satB)]));
      return query(
        `query($id: ID!) { node(id: $id) { id } }`,
        () => ({ id }),
        (d) => d?.node?.id,
      )(m, v);
    },
  },
  {
    area: 'Hub venue',
    operation: 'Constellation.hubBookings',
    policy: 'venue.policy#bookingVisible',
    allowed: RIVERSIDE,
    note: 'scoped: each booking as the viewer may see it',
    run: async (m, v) => {
      await once(m, 'confirmedB', () => confirmedByManager(m, m.w.satB));
      return query(
        `query($id: ID!) { node(id: $id) { ... on Constellation { hubBookings(first: 100) { edges { node { id } } } } } }`,
        (mm) => ({ id: gid('Constellation', mm.w.k) }),
        (d) => d?.node?.hubBookings?.edges,
      )(m, v);
    },
  },
  {
    area: 'Hub venue',
    operation: "Child.hubBookings — a child of the viewer's household",
    policy: 'venue.policy#bookingVisible',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    run: async (m, v) => {
      const child = await once(m, 'bookedChildA', async () => {
        const c = await freshChild(m, m.w.satA);
        await booked(m, m.w.manager.token, 'DAY_CARE', [c]);
        return c;
      });
      return query(
        `query($id: ID!) { node(id: $id) { ... on Child { hubBookings { edges { node { id } } } } } }`,
        () => ({ id: gid('Child', child) }),
        (d) => d?.node?.hubBookings?.edges,
      )(m, v);
    },
  },
  {
    area: 'Hub venue',
    operation: "Subscription.hubBookingChanged — a confirmation at Riverside (another satellite's)",
    policy: 'venue.policy#deliversBookingEvent',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    note: 'satellite carers hear when the hub becomes busy or free, as busy time only',
    run: subscription(
      `subscription { hubBookingChanged { kind booking { id } } }`,
      'hubBookingChanged',
      (m) => confirmedByManager(m, m.w.satB),
      (e) => e?.booking?.id,
    ),
  },
  {
    area: 'Hub venue',
    operation: "Subscription.hubBookingChanged — another satellite household's request",
    policy: 'venue.policy#deliversBookingEvent',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    run: subscription(
      `subscription { hubBookingChanged { kind booking { id } } }`,
      'hubBookingChanged',
      async (m) => booked(m, m.w.carerB.token!, 'DAY_CARE', [await freshChild(m, m.w.satB)]),
      (e) => e?.booking?.id,
    ),
  },
];
