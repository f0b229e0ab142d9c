import { day, gid } from '../support/fixtures';
import { builtOncePerRun, type MatrixCtx, mutation, type Outcome, query, type Row } from './kit';
import { ORG_WIDE, type ViewerKind } from './viewers';

/** Rows for the support log, the constellation return and their CSV exports. */

const RUNS_RIVERSIDE_LOG: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer'];
const period = () => ({ from: day(-90), to: day(0) });
/** A past weekday morning, London time, well inside the world's memberships. */
const past = () => new Date(`${day(-14)}T10:00:00Z`).toISOString();

const RECORD = `mutation($i: RecordSupportInput!) { recordSupport(input: $i) { entry { id } userErrors { code message } } }`;

const once = builtOncePerRun();

/** A safeguarding entry about Alder House (carerA's household), recorded by the liaison worker. */
const safeguardingEntry = (m: MatrixCtx) =>
  once(m, 'safeguardingEntry', async () => {
    const r = await m.t.gql(
      RECORD,
      {
        i: {
          constellationId: gid('Constellation', m.w.k),
          householdId: gid('Household', m.w.satA),
          at: past(),
          channel: 'VISIT',
          topics: ['SAFEGUARDING'],
          summary: 'Concern raised',
          safeguarding: true,
          escalatedTo: 'Duty desk',
          escalatedAt: past(),
        },
      },
      { token: m.w.liaison.token },
    );
    if (r.errors || r.data.recordSupport.userErrors.length) throw new Error(`fixture support entry: ${JSON.stringify(r.errors ?? r.data.recordSupport.userErrors)}`);
    return r.data.recordSupport.entry.id as string;
  });

/** A plain entry about Alder House, which its own carers may read. */
const plainEntry = (m: MatrixCtx) =>
  once(m, 'plainEntry', async () => {
    const r = await m.t.gql(
      RECORD,
      { i: { constellationId: gid('Constellation', m.w.k), householdId: gid('Household', m.w.satA), at: past(), channel: 'PHONE_OR_MESSAGE', topics: ['EDUCATION'], summary: 'School meeting' } },
      { token: m.w.hubCarer.token },
    );
    if (r.errors || r.data.recordSupport.userErrors.length) throw new Error(`fixture support entry: ${JSON.stringify(r.errors ?? r.data.recordSupport.userErrors)}`);
    return r.data.recordSupport.entry.id as string;
  });

/** A CSV export: 200 is allowed; 401, 403 and 404 are refusals; anything else is unexpected. */
function csv(path: (m: MatrixCtx) => string) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const token = m.token(v);
    const res = await fetch(m.t.url.replace(/\/graphql$/, path(m)), { headers: token ? { authorization: `Bearer ${token}` } : {} });
    await res.text();
    if (res.status === 200) return 'allowed';
    if ([401, 403, 404].includes(res.status)) return 'denied';
    return { unexpected: `HTTP ${res.status}` };
  };
}

export const SUPPORT_ROWS: Row[] = [
  {
    area: 'Support log',
    operation: 'Mutation.recordSupport — about a Riverside satellite',
    policy: 'support.policy#canRecordSupport',
    allowed: RUNS_RIVERSIDE_LOG,
    note: 'the hub carer, the liaison worker and organisation-wide staff; satellite carers FORBIDDEN',
    run: mutation(RECORD, 'recordSupport', (m) => ({
      constellationId: gid('Constellation', m.w.k),
      householdId: gid('Household', m.w.satB),
      at: past(),
      channel: 'PHONE_OR_MESSAGE',
      topics: ['BEHAVIOUR'],
      summary: 'Talked through bedtime',
    })),
  },
  {
    area: 'Support log',
    operation: 'Constellation.supportLog — Riverside',
    policy: 'support.policy#canReadConstellationLog',
    allowed: RUNS_RIVERSIDE_LOG,
    note: 'null for satellite carers',
    run: async (m, v) => {
      await plainEntry(m);
      return query(
        `query($id: ID!) { node(id: $id) { ... on Constellation { supportLog { totalCount } } } }`,
        (mm) => ({ id: gid('Constellation', mm.w.k) }),
        (d) => d?.node?.supportLog,
      )(m, v);
    },
  },
  {
    area: 'Support log',
    operation: "Household.supportLog — the viewer's own household",
    policy: 'support.policy#canReadHouseholdLog',
    allowed: [...RUNS_RIVERSIDE_LOG, 'carer'],
    note: 'its own carers see it without safeguarding entries',
    run: async (m, v) => {
      await plainEntry(m);
      return query(
        `query($id: ID!) { node(id: $id) { ... on Household { supportLog { edges { node { id } } } } } }`,
        (mm) => ({ id: gid('Household', mm.w.satA) }),
        (d) => d?.node?.supportLog?.edges,
      )(m, v);
    },
  },
  {
    area: 'Support log',
    operation: 'Household.supportLog — another satellite',
    policy: 'support.policy#canReadHouseholdLog',
    allowed: RUNS_RIVERSIDE_LOG,
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Household { supportLog { totalCount } } } }`,
      (m) => ({ id: gid('Household', m.w.satB) }),
      (d) => d?.node?.supportLog,
    ),
  },
  {
    area: 'Support log',
    operation: 'node(SupportLogEntry) — a safeguarding entry about Alder House',
    policy: 'support.policy#entryVisible',
    allowed: RUNS_RIVERSIDE_LOG,
    note: 'never the household it may be about',
    run: async (m, v) => {
      const id = await safeguardingEntry(m);
      return query(
        `query($id: ID!) { node(id: $id) { id } }`,
        () => ({ id }),
        (d) => d?.node?.id,
      )(m, v);
    },
  },
  {
    area: 'Returns',
    operation: 'Query.constellationReturn — Riverside',
    policy: 'returns.policy#canReadReturn',
    allowed: RUNS_RIVERSIDE_LOG,
    run: query(
      `query($k: ID!, $from: Date!, $to: Date!) { constellationReturn(constellationId: $k, from: $from, to: $to) { from } }`,
      (m) => ({ k: gid('Constellation', m.w.k), ...period() }),
      (d) => d?.constellationReturn,
    ),
  },
  {
    area: 'Returns',
    operation: 'RetentionFigures.deregistered — Riverside',
    policy: 'returns.policy#canSeeDeregistrationReasons',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only: among a handful of known households a count by reason would name one',
    run: query(
      `query($k: ID!, $from: Date!, $to: Date!) { constellationReturn(constellationId: $k, from: $from, to: $to) { retention { deregistered { reason } } } }`,
      (m) => ({ k: gid('Constellation', m.w.k), ...period() }),
      (d) => (d?.constellationReturn?.retention?.deregistered ? true : null),
    ),
  },
  {
    area: 'Returns',
    operation: 'Query.constellationReturns',
    policy: 'returns.policy#canReadAllReturns',
    allowed: [...ORG_WIDE, 'foreignAdmin'],
    note: 'organisation-wide staff, each organisation its own',
    run: query(`query($from: Date!, $to: Date!) { constellationReturns(from: $from, to: $to) { from } }`, period, (d) => d?.constellationReturns),
  },
  {
    area: 'Returns',
    operation: 'GET /exports/constellation-returns.csv',
    policy: 'returns.policy#canReadAllReturns',
    allowed: [...ORG_WIDE, 'foreignAdmin'],
    note: "the viewer's own organisation",
    run: csv(() => `/exports/constellation-returns.csv?from=${day(-90)}&to=${day(0)}`),
  },
  {
    area: 'Support log',
    operation: 'GET /exports/support-log.csv — Riverside',
    policy: 'support.policy#canExportSupportLog',
    allowed: [...ORG_WIDE, 'liaison'],
    run: csv((m) => `/exports/support-log.csv?constellationId=${encodeURIComponent(gid('Constellation', m.w.k))}`),
  },
];
