import { day, gid } from '../support/fixtures';
import { browserKeys } from '../notifications/support';
import { builtOncePerRun, decisionRows, type MatrixCtx, mutation, type Outcome, query, RIVERSIDE, type Row, subscription, uniq } from './kit';
import { LOGGED_IN, MANAGERS, ORG_WIDE, type ViewerKind } from './viewers';

/**
 * Rows for sleepovers, peer support, stability, matching, history import, notifications and the two
 * subscriptions. Every allowed mutation cell acts on targets made for that cell alone (a new child,
 * new nights, a new session), so the cells do not depend on one another or on their order.
 */

/** Those who run Riverside day to day: managers, its liaison worker and its hub carer. */
const RUNS_RIVERSIDE: ViewerKind[] = [...MANAGERS, 'liaison', 'hubCarer'];
/** Staff who may see Riverside, and its hub carer: who sees who a sleepover is for. */
const RIVERSIDE_STAFF_AND_HUB: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer'];

// ---------- fresh targets ----------

/** Built once per matrix run, on first use: read-only targets that queries look at. */
const once = builtOncePerRun();

// Each sleepover or block gets a night of its own at the 2-bed hub, so no cell meets another's beds.
let nextNight = 40;
function freshNight(): { start: string; end: string } {
  const n = nextNight++;
  return { start: day(n), end: day(n + 1) };
}

/** A new child placed with `household` (a Riverside satellite), so its sleepovers overlap nothing. */
async function freshChild(m: MatrixCtx, household: string): Promise<string> {
  const child = await m.t.fx.child(m.w.org, { firstName: 'Fern' });
  await m.t.fx.placement(m.w.org, child, household, day(-100));
  return child;
}

const REQUEST = `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { id status } userErrors { code message } } }`;

/** Asks for one night at Riverside as `token`; returns the sleepover's global id, failing loudly. */
async function book(m: MatrixCtx, token: string, child: string, notes?: string): Promise<string> {
  const { start, end } = freshNight();
  const r = await m.t.gql(REQUEST, { i: { constellationId: gid('Constellation', m.w.k), childIds: [gid('Child', child)], startDate: start, endDate: end, notes } }, { token });
  if (r.errors || r.data.requestSleepover.userErrors.length) throw new Error(`fixture sleepover: ${JSON.stringify(r.errors ?? r.data.requestSleepover.userErrors)}`);
  return r.data.requestSleepover.sleepover.id;
}
/** A REQUESTED sleepover asked for by the Riverside satellite carer (carerA) for a new child of theirs. */
const requestedByCarer = async (m: MatrixCtx) => book(m, m.w.carerA.token!, await freshChild(m, m.w.satA));
/** A CONFIRMED sleepover booked by a manager for a new child of `household`. */
const confirmedByManager = async (m: MatrixCtx, household: string) => book(m, m.w.manager.token, await freshChild(m, household), 'Bring the blue blanket.');

const BLOCK = `mutation($i: HubNightsInput!) { blockHubNights(input: $i) { userErrors { code message } } }`;
async function blockedNight(m: MatrixCtx): Promise<{ from: string; to: string }> {
  const { start, end } = freshNight();
  const r = await m.t.gql(BLOCK, { i: { constellationId: gid('Constellation', m.w.k), from: start, to: end, reason: 'Hub decorating' } }, { token: m.w.admin.token });
  if (r.errors || r.data.blockHubNights.userErrors.length) throw new Error(`fixture block: ${JSON.stringify(r.errors ?? r.data.blockHubNights.userErrors)}`);
  return { from: start, to: end };
}

/** A Riverside session, by SQL: `startsIn` hours from now (negative: already under way). */
async function freshSession(m: MatrixCtx, startsIn = 48): Promise<string> {
  const [s] = await m.t.fx.sql(
    `insert into peer_support_session (organisation_id, constellation_id, kind, title, starts_at, ends_at, capacity, status)
     values ($1, $2, 'SUPPORT_GROUP', 'Coffee and chat', now() + make_interval(hours => $3::int), now() + make_interval(hours => $3::int + 2), 10, 'SCHEDULED') returning id`,
    [m.w.org, m.w.k, startsIn],
  );
  return gid('PeerSupportSession', s.id);
}

/** A Riverside session another satellite household (Birch, carerB) has answered GOING to. */
const sessionWithBirchRsvp = (m: MatrixCtx) =>
  once(m, 'sessionWithBirchRsvp', async () => {
    const id = await freshSession(m);
    const r = await m.t.gql(`mutation($i: RsvpInput!) { rsvpPeerSupportSession(input: $i) { userErrors { code } } }`, { i: { sessionId: id, going: true } }, { token: m.w.carerB.token });
    if (r.errors || r.data.rsvpPeerSupportSession.userErrors.length) throw new Error(`fixture rsvp: ${JSON.stringify(r.errors ?? r.data.rsvpPeerSupportSession.userErrors)}`);
    return id;
  });

/** A group of fields that must be all visible or all hidden: a mixture is a leak or a bug. */
function allOrNothing(doc: string, vars: (m: MatrixCtx) => Promise<Record<string, unknown>>, pick: (data: any) => unknown[] | null) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const r = await m.t.gql(doc, await vars(m), { token: m.token(v) });
    const code = r.errors?.[0]?.extensions?.code as string | undefined;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return 'denied';
    if (r.errors?.length) return { unexpected: JSON.stringify(r.errors) };
    const values = pick(r.data);
    if (!values || values.every((x) => x == null)) return 'denied';
    if (values.every((x) => x != null)) return 'allowed';
    return { unexpected: `some fields shown, some hidden: ${JSON.stringify(values)}` };
  };
}

// ---------- the rows ----------

const SLEEPOVER_DETAILS = `query($id: ID!) { node(id: $id) { ... on Sleepover { children { firstName } household { name } requestedBy { name } notes } } }`;
const SESSION_MUTATION_FIELDS = 'session { id } userErrors { code message }';
const STABILITY = 'scope childrenLookedAfter';
const period = () => ({ from: day(-365), to: day(0) });

export const CONTRACT_ROWS: Row[] = [
  // ---- Sleepovers
  {
    area: 'Sleepovers',
    operation: 'Query.sleepovers',
    policy: 'sleepover.scope#sleepoverVisible',
    allowed: LOGGED_IN,
    note: 'scoped',
    run: query(
      `{ sleepovers { edges { node { id } } } }`,
      () => ({}),
      (d) => d?.sleepovers,
    ),
  },
  {
    area: 'Sleepovers',
    operation: "Query.sleepovers — lists another satellite household's confirmed sleepover",
    policy: 'sleepover.scope#sleepoverVisible',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: "a satellite carer's list holds their own household's; others' booked nights show in availability",
    run: async (m, v) => {
      const id = await once(m, 'confirmedB', () => confirmedByManager(m, m.w.satB));
      return query(
        `{ sleepovers(first: 100) { edges { node { id } } } }`,
        () => ({}),
        (d) => d?.sleepovers?.edges?.filter((e: any) => e.node.id === id),
      )(m, v);
    },
  },
  {
    area: 'Sleepovers',
    operation: "node(Sleepover) — another Riverside satellite household's, confirmed",
    policy: 'sleepover.scope#sleepoverVisible',
    allowed: RIVERSIDE,
    note: 'a satellite carer sees it as booked nights only (next row)',
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
    area: 'Sleepovers',
    operation: 'Sleepover.children, household, requestedBy, notes — another household’s',
    policy: 'sleepover.policy#seesSleepoverDetails',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: "staff who may see it, the hub carer, and the household's own carers",
    run: allOrNothing(
      SLEEPOVER_DETAILS,
      async (m) => ({ id: await once(m, 'confirmedB', () => confirmedByManager(m, m.w.satB)) }),
      (d) => (d?.node ? [d.node.children, d.node.household, d.node.requestedBy, d.node.notes] : null),
    ),
  },
  {
    area: 'Sleepovers',
    operation: 'Sleepover.children, household, requestedBy, notes — own household’s',
    policy: 'sleepover.policy#seesSleepoverDetails',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    run: allOrNothing(
      SLEEPOVER_DETAILS,
      async (m) => ({ id: await once(m, 'confirmedA', () => confirmedByManager(m, m.w.satA)) }),
      (d) => (d?.node ? [d.node.children, d.node.household, d.node.requestedBy, d.node.notes] : null),
    ),
  },
  {
    area: 'Sleepovers',
    operation: "node(Sleepover) — another household's request (REQUESTED)",
    policy: 'sleepover.scope#sleepoverVisible',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'other satellite carers never hear of requests',
    run: async (m, v) => {
      const id = await once(m, 'requestedB', async () => book(m, m.w.carerB.token!, await freshChild(m, m.w.satB)));
      return query(
        `query($id: ID!) { node(id: $id) { id } }`,
        () => ({ id }),
        (d) => d?.node?.id,
      )(m, v);
    },
  },
  {
    area: 'Sleepovers',
    operation: 'Constellation.availability',
    policy: 'sleepover.policy#isSeenThroughCover',
    allowed: RIVERSIDE,
    run: query(
      `query($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Constellation { availability(from: $from, to: $to) { date bedsFree } } } }`,
      (m) => ({ id: gid('Constellation', m.w.k), from: day(1), to: day(8) }),
      (d) => d?.node?.availability,
    ),
  },
  {
    area: 'Sleepovers',
    operation: 'BedNight.blockedReason',
    policy: 'sleepover.policy#seesBlockedReason',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'satellite carers see the night blocked, not why',
    run: async (m, v) => {
      const n = await once(m, 'blocked', () => blockedNight(m));
      return query(
        `query($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Constellation { availability(from: $from, to: $to) { blocked blockedReason } } } }`,
        (mm) => ({ id: gid('Constellation', mm.w.k), ...n }),
        (d) => d?.node?.availability?.[0]?.blockedReason,
      )(m, v);
    },
  },
  {
    area: 'Sleepovers',
    operation: 'Mutation.requestSleepover — a child of the Riverside satellite Alder House',
    policy: 'sleepover.policy#mayRequestFor',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer', 'carer'],
    note: "managers, the liaison worker and the hub carer book at once; a carer's or a supervising social worker's request waits",
    run: mutation(REQUEST.replace('sleepover { id status } ', ''), 'requestSleepover', async (m) => {
      const { start, end } = freshNight();
      return { constellationId: gid('Constellation', m.w.k), childIds: [gid('Child', await freshChild(m, m.w.satA))], startDate: start, endDate: end };
    }),
  },
  {
    area: 'Sleepovers',
    operation: 'Mutation.requestSleepover — a child of another household',
    policy: 'sleepover.policy#mayRequestFor',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer'],
    note: 'carers ask for the children placed with their own household',
    run: mutation(REQUEST.replace('sleepover { id status } ', ''), 'requestSleepover', async (m) => {
      const { start, end } = freshNight();
      return { constellationId: gid('Constellation', m.w.k), childIds: [gid('Child', await freshChild(m, m.w.satB))], startDate: start, endDate: end };
    }),
  },
  ...decisionRows({
    area: 'Sleepovers',
    type: 'Sleepover',
    idField: 'sleepoverId',
    allowed: RUNS_RIVERSIDE,
    policies: { decide: 'auth/viewer#runsConstellation', cancel: 'sleepover.policy#mayCancelSleepover' },
    declineReason: 'No room',
    requestedByCarer,
    confirmedByManager,
  }),
  {
    area: 'Sleepovers',
    operation: 'Mutation.blockHubNights',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(BLOCK, 'blockHubNights', (m) => {
      const { start, end } = freshNight();
      return { constellationId: gid('Constellation', m.w.k), from: start, to: end, reason: 'Hub away' };
    }),
  },
  {
    area: 'Sleepovers',
    operation: 'Mutation.unblockHubNights',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(`mutation($i: HubNightsInput!) { unblockHubNights(input: $i) { userErrors { code message } } }`, 'unblockHubNights', async (m) => ({
      constellationId: gid('Constellation', m.w.k),
      ...(await blockedNight(m)),
    })),
  },
  {
    area: 'Sleepovers',
    operation: "Subscription.sleepoverChanged — a confirmation at Riverside (another satellite's)",
    policy: 'sleepover.events#delivers',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    note: "satellite carers hear of others' booked nights only (confirmations, cancellations, blocks), never requests",
    run: subscription(
      `subscription { sleepoverChanged { kind sleepoverId } }`,
      'sleepoverChanged',
      (m) => confirmedByManager(m, m.w.satB),
      (e) => e?.sleepoverId,
    ),
  },
  {
    area: 'Sleepovers',
    operation: "Subscription.sleepoverChanged — another satellite household's request",
    policy: 'sleepover.events#delivers',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    run: subscription(
      `subscription { sleepoverChanged { kind sleepoverId } }`,
      'sleepoverChanged',
      async (m) => book(m, m.w.carerB.token!, await freshChild(m, m.w.satB)),
      (e) => e?.sleepoverId,
    ),
  },

  // ---- Peer support
  {
    area: 'Peer support',
    operation: 'Constellation.sessions',
    policy: 'scope#constellationVisible',
    allowed: RIVERSIDE,
    run: async (m, v) => {
      await sessionWithBirchRsvp(m);
      return query(
        `query($id: ID!) { node(id: $id) { ... on Constellation { sessions { edges { node { id } } } } } }`,
        (mm) => ({ id: gid('Constellation', mm.w.k) }),
        (d) => d?.node?.sessions?.edges,
      )(m, v);
    },
  },
  {
    area: 'Peer support',
    operation: 'node(PeerSupportSession) — Riverside',
    policy: 'scope#constellationVisible',
    allowed: RIVERSIDE,
    run: async (m, v) => {
      const id = await sessionWithBirchRsvp(m);
      return query(
        `query($id: ID!) { node(id: $id) { id } }`,
        () => ({ id }),
        (d) => d?.node?.id,
      )(m, v);
    },
  },
  {
    area: 'Peer support',
    operation: "PeerSupportSession.rsvps — another household's answers",
    policy: 'session.loaders#loadRsvps',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: "other carers see their own household's answers (and the counts)",
    run: async (m, v) => {
      const id = await sessionWithBirchRsvp(m);
      return query(
        `query($id: ID!) { node(id: $id) { ... on PeerSupportSession { rsvps { status } } } }`,
        () => ({ id }),
        (d) => d?.node?.rsvps,
      )(m, v);
    },
  },
  {
    area: 'Peer support',
    operation: 'Mutation.schedulePeerSupportSession',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(`mutation($i: SchedulePeerSupportSessionInput!) { schedulePeerSupportSession(input: $i) { ${SESSION_MUTATION_FIELDS} } }`, 'schedulePeerSupportSession', (m) => ({
      constellationId: gid('Constellation', m.w.k),
      kind: 'SUPPORT_GROUP',
      title: `Coffee ${uniq()}`,
      startsAt: new Date(Date.now() + 48 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 50 * 3_600_000).toISOString(),
      capacity: 10,
    })),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.schedulePeerSupportSeries',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(`mutation($i: SchedulePeerSupportSeriesInput!) { schedulePeerSupportSeries(input: $i) { sessions { id } userErrors { code message } } }`, 'schedulePeerSupportSeries', (m) => ({
      constellationId: gid('Constellation', m.w.k),
      kind: 'TRAINING',
      title: `Training ${uniq()}`,
      recurrence: { firstDate: day(10), week: 'FIRST', weekday: 'TUESDAY', startTime: '18:30', durationMinutes: 90, count: 2 },
    })),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.updatePeerSupportSession',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(`mutation($i: UpdatePeerSupportSessionInput!) { updatePeerSupportSession(input: $i) { ${SESSION_MUTATION_FIELDS} } }`, 'updatePeerSupportSession', async (m) => ({
      sessionId: await freshSession(m),
      title: 'Tea and chat',
    })),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.cancelPeerSupportSession',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(`mutation($i: CancelPeerSupportSessionInput!) { cancelPeerSupportSession(input: $i) { ${SESSION_MUTATION_FIELDS} } }`, 'cancelPeerSupportSession', async (m) => ({
      sessionId: await freshSession(m),
      reason: 'Snow',
    })),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.rsvpPeerSupportSession',
    policy: 'session.policy#mayRsvp',
    allowed: ['hubCarer', 'carer'],
    note: "carers of the constellation, for their own household's carers; staff do not RSVP",
    run: mutation(`mutation($i: RsvpInput!) { rsvpPeerSupportSession(input: $i) { rsvp { status } userErrors { code message } } }`, 'rsvpPeerSupportSession', async (m) => ({
      sessionId: await freshSession(m),
      going: true,
    })),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.recordAttendance',
    policy: 'auth/viewer#runsConstellation',
    allowed: RUNS_RIVERSIDE,
    run: mutation(`mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { ${SESSION_MUTATION_FIELDS} } }`, 'recordAttendance', async (m) => ({
      sessionId: await freshSession(m, -1),
      attendedCarerIds: [gid('Carer', m.w.carerA.carerId)],
    })),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.issueCalendarFeed',
    policy: 'guards#viewerOf',
    allowed: LOGGED_IN,
    note: "the viewer's own feed",
    run: mutation(`mutation { issueCalendarFeed { url userErrors { code message } } }`, 'issueCalendarFeed', () => ({})),
  },
  {
    area: 'Peer support',
    operation: 'Mutation.revokeCalendarFeed',
    policy: 'guards#viewerOf',
    allowed: LOGGED_IN,
    note: "the viewer's own feed",
    run: mutation(`mutation { revokeCalendarFeed { revoked userErrors { code message } } }`, 'revokeCalendarFeed', () => ({})),
  },
  {
    area: 'Peer support',
    operation: 'Subscription.peerSupportSessionChanged — a session scheduled at Riverside',
    policy: 'session.events#seesConstellation',
    allowed: RIVERSIDE,
    run: subscription(
      `subscription { peerSupportSessionChanged { kind session { id } } }`,
      'peerSupportSessionChanged',
      async (m) => {
        const r = await m.t.gql(
          `mutation($i: SchedulePeerSupportSessionInput!) { schedulePeerSupportSession(input: $i) { ${SESSION_MUTATION_FIELDS} } }`,
          {
            i: {
              constellationId: gid('Constellation', m.w.k),
              kind: 'SUPPORT_GROUP',
              title: `Picnic ${uniq()}`,
              startsAt: new Date(Date.now() + 72 * 3_600_000).toISOString(),
              endsAt: new Date(Date.now() + 74 * 3_600_000).toISOString(),
            },
          },
          { token: m.w.manager.token },
        );
        if (r.errors || r.data.schedulePeerSupportSession.userErrors.length) throw new Error(`fixture session: ${JSON.stringify(r.errors ?? r.data.schedulePeerSupportSession.userErrors)}`);
        return r.data.schedulePeerSupportSession.session.id;
      },
      (e) => e?.session?.id,
    ),
  },

  // ---- Stability
  {
    area: 'Stability',
    operation: 'Query.stabilityReport — organisation-wide',
    policy: 'stability.policy#canReadStabilityReport',
    allowed: [...ORG_WIDE, 'foreignAdmin'],
    note: 'each organisation its own',
    run: query(`query($from: Date!, $to: Date!) { stabilityReport(from: $from, to: $to) { ${STABILITY} } }`, period, (d) => d?.stabilityReport?.scope),
  },
  {
    area: 'Stability',
    operation: 'Query.stabilityReport — constellation (Riverside)',
    policy: 'stability.policy#canReadStabilityReport',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    run: query(
      `query($k: ID, $from: Date!, $to: Date!) { stabilityReport(constellationId: $k, from: $from, to: $to) { ${STABILITY} } }`,
      (m) => ({ k: gid('Constellation', m.w.k), ...period() }),
      (d) => d?.stabilityReport?.scope,
    ),
  },
  {
    area: 'Stability',
    operation: 'Query.stabilityReport — scope NO_CONSTELLATION',
    policy: 'stability.policy#canReadStabilityReport',
    allowed: [...ORG_WIDE, 'foreignAdmin'],
    run: query(`query($from: Date!, $to: Date!) { stabilityReport(scope: NO_CONSTELLATION, from: $from, to: $to) { ${STABILITY} } }`, period, (d) => d?.stabilityReport?.scope),
  },
  {
    area: 'Stability',
    operation: 'Constellation.stability — Riverside',
    policy: 'stability.policy#canReadStabilityReport',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'satellite carers see none',
    run: query(
      `query($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Constellation { stability(from: $from, to: $to) { ${STABILITY} } } } }`,
      (m) => ({ id: gid('Constellation', m.w.k), ...period() }),
      (d) => d?.node?.stability?.scope,
    ),
  },
  {
    area: 'Stability',
    operation: 'Child.stability',
    policy: 'stability.policy#canSeeChildStability',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only',
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Child { stability { placementsInLast12Months } } } }`,
      (m) => ({ id: gid('Child', m.w.childA) }),
      (d) => d?.node?.stability,
    ),
  },
  {
    area: 'Stability',
    operation: 'StabilityReport.childrenWithThreeOrMorePlacementsList, childrenWithUnplannedEndings — Riverside',
    policy: 'stability.policy#canSeeStabilityChildren',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only: the hub carer gets the figures, not the children behind them',
    run: allOrNothing(
      `query($k: ID, $from: Date!, $to: Date!) { stabilityReport(constellationId: $k, from: $from, to: $to) { childrenWithThreeOrMorePlacementsList { id } childrenWithUnplannedEndings { id } } }`,
      async (m) => ({ k: gid('Constellation', m.w.k), ...period() }),
      (d) => (d?.stabilityReport ? [d.stabilityReport.childrenWithThreeOrMorePlacementsList, d.stabilityReport.childrenWithUnplannedEndings] : null),
    ),
  },

  // ---- Matching and history
  {
    area: 'Matching',
    operation: 'Query.placementMatches — a Riverside child',
    policy: 'matching.policy#mayMatch',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only, and only for children and households they may see',
    run: async (m, v) => {
      // A Riverside satellite with places free: the other rows fill Alder House with new children.
      await once(m, 'roomyRiversideSatellite', async () => m.t.fx.member(m.w.org, m.w.k, await m.t.fx.household(m.w.org, { name: 'Elm House', maxChildren: 3 })));
      return query(
        `query($c: ID!, $d: Date!) { placementMatches(childId: $c, startDate: $d, kind: SHORT_TERM) { household { id } } }`,
        (mm) => ({ c: gid('Child', mm.w.childB), d: day(1) }),
        (d) => d?.placementMatches,
      )(m, v);
    },
  },
  {
    area: 'Placements',
    operation: 'Mutation.importPlacementHistory',
    policy: 'auth/viewer#isManager',
    allowed: [...MANAGERS, 'foreignAdmin'],
    note: "into the importer's own organisation",
    run: mutation(
      `mutation($i: ImportPlacementHistoryInput!) { importPlacementHistory(input: $i) { imported rowErrors { row column message } userErrors { code message } } }`,
      'importPlacementHistory',
      () => ({
        csv: [
          'child_reference,first_name,date_of_birth,start_date,end_date,end_reason,setting,household,kind,unplanned',
          `IMP-${uniq()},Ivy,2014-05-06,2019-01-01,2019-06-30,CARPL,RESIDENTIAL,,SHORT_TERM,false`,
        ].join('\n'),
      }),
    ),
  },

  // ---- Notifications
  {
    area: 'Notifications',
    operation: 'User.notifications, unreadNotificationCount, notificationPreferences — own (me)',
    policy: 'notification.policy#seesNotificationsOf',
    allowed: LOGGED_IN,
    run: allOrNothing(
      `{ me { notifications { totalCount } unreadNotificationCount notificationPreferences { __typename } } }`,
      async () => ({}),
      (d) => (d?.me ? [d.me.notifications, d.me.unreadNotificationCount, d.me.notificationPreferences] : null),
    ),
  },
  {
    area: 'Notifications',
    operation: 'User.notifications, unreadNotificationCount, notificationPreferences — another user (a satellite carer)',
    policy: 'notification.policy#seesNotificationsOf',
    allowed: [],
    note: 'nobody reads anyone else’s',
    run: allOrNothing(
      `query($id: ID!) { node(id: $id) { ... on User { notifications { totalCount } unreadNotificationCount notificationPreferences { __typename } } } }`,
      async (m) => ({ id: gid('User', m.w.carerB.userId!) }),
      (d) => (d?.node ? [d.node.notifications, d.node.unreadNotificationCount, d.node.notificationPreferences] : null),
    ),
  },
  {
    area: 'Notifications',
    operation: 'Mutation.updateNotificationPreferences',
    policy: 'guards#viewerOf',
    allowed: LOGGED_IN,
    note: "the viewer's own",
    run: mutation(`mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { userErrors { code message } } }`, 'updateNotificationPreferences', () => ({
      preferences: [{ kind: 'SESSION_SCHEDULED', email: false }],
    })),
  },
  {
    area: 'Notifications',
    operation: 'Mutation.markNotificationsRead',
    policy: 'guards#viewerOf',
    allowed: LOGGED_IN,
    note: "the viewer's own",
    run: mutation(`mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { userErrors { code message } } }`, 'markNotificationsRead', () => ({ all: true })),
  },
  {
    area: 'Notifications',
    operation: "Mutation.markNotificationsRead — the hub carer's notification, by id",
    policy: 'notification.service#markNotificationsRead',
    allowed: ['hubCarer'],
    note: "another user's notification reads as unknown (NOT_FOUND)",
    run: mutation(`mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { notifications { id read } userErrors { code message } } }`, 'markNotificationsRead', async (m) => {
      const [n] = await m.t.fx.sql(
        `insert into notification (organisation_id, recipient_id, kind, title, body_text, body_html) values ($1, $2, 'SESSION_SCHEDULED', 'New session', 'Coffee', '<p>Coffee</p>') returning id`,
        [m.w.org, m.w.hubCarer.userId],
      );
      return { ids: [gid('Notification', n.id)] };
    }),
  },
  {
    area: 'Notifications',
    operation: 'Mutation.registerPushSubscription',
    policy: 'guards#viewerOf',
    allowed: LOGGED_IN,
    run: mutation(`mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { registered userErrors { code message } } }`, 'registerPushSubscription', () => {
      const k = browserKeys();
      return { endpoint: `https://push.example.test/send/${uniq()}`, keys: { p256dh: k.p256dh, auth: k.auth } };
    }),
  },
  {
    area: 'Notifications',
    operation: "Mutation.removePushSubscription — the hub carer's browser",
    policy: 'notification.service#removePushSubscription',
    allowed: ['hubCarer'],
    note: 'only its owner removes a subscription (anyone else gets removed: false)',
    run: async (m, v) => {
      const k = browserKeys();
      const endpoint = `https://push.example.test/send/${uniq()}`;
      const reg = await m.t.gql(
        `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { registered userErrors { code } } }`,
        { i: { endpoint, keys: { p256dh: k.p256dh, auth: k.auth } } },
        { token: m.w.hubCarer.token },
      );
      if (!reg.data?.registerPushSubscription?.registered) throw new Error(`fixture push: ${JSON.stringify(reg.errors ?? reg.data)}`);
      return query(
        `mutation($i: RemovePushSubscriptionInput!) { removePushSubscription(input: $i) { removed userErrors { code } } }`,
        () => ({ i: { endpoint } }),
        (d) => (d?.removePushSubscription?.removed ? true : null),
      )(m, v);
    },
  },
];
