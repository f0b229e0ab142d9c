import { day, gid } from '../support/fixtures';
import { openSocket } from '../support/socket';
import { RIVERSIDE, type MatrixCtx, type Outcome, type Row } from './kit';
import { ORG_WIDE, type ViewerKind } from './viewers';

/**
 * Rows for the WebSocket transport (what a socket serves, as each viewer) and for cover
 * sleepovers (a child of another constellation staying at Riverside's hub).
 */

const DENY_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_REQUEST']);

/** Runs `doc` over graphql-ws as the viewer. Denied: the connection is refused or the operation is. */
function overSocket(doc: string) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const s = await openSocket(m.t.url, m.token(v));
    try {
      if (!s.acked) return 'denied';
      const r = await s.run(doc);
      if (r.type === 'closed') return 'denied';
      const errors: { extensions?: { code?: string } }[] = r.type === 'error' ? r.payload : (r.payload.errors ?? []);
      if (errors.length) return errors.every((e) => DENY_CODES.has(String(e.extensions?.code))) ? 'denied' : { unexpected: JSON.stringify(errors) };
      return r.payload.data ? 'allowed' : 'denied';
    } finally {
      s.close();
    }
  };
}

const covers = new WeakMap<MatrixCtx, Promise<string>>();
/** A confirmed cover sleepover at Riverside's hub for a new child of Hillside's satellite (Dee Hill's household). */
function coverSleepover(m: MatrixCtx): Promise<string> {
  let p = covers.get(m);
  if (!p) {
    p = (async () => {
      const child = await m.t.fx.child(m.w.org, { firstName: 'Hal', notes: 'Door open at night.' });
      await m.t.fx.placement(m.w.org, child, m.w.sat2, day(-100));
      const r = await m.t.gql(
        `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { id } userErrors { code message } } }`,
        { i: { constellationId: gid('Constellation', m.w.k), childIds: [gid('Child', child)], startDate: day(330), endDate: day(331), coverReason: 'Hillside hub away' } },
        { token: m.w.manager.token },
      );
      if (r.errors || r.data.requestSleepover.userErrors.length) throw new Error(`fixture cover sleepover: ${JSON.stringify(r.errors ?? r.data.requestSleepover.userErrors)}`);
      return r.data.requestSleepover.sleepover.id as string;
    })();
    covers.set(m, p);
  }
  return p;
}

/** A field read through the cover sleepover: allowed when present (non-null, non-empty). */
function throughCover(selection: string, pick: (s: any) => unknown) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const id = await coverSleepover(m);
    const r = await m.t.gql(`query($id: ID!) { node(id: $id) { ... on Sleepover { ${selection} } } }`, { id }, { token: m.token(v) });
    const code = r.errors?.[0]?.extensions?.code as string | undefined;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return 'denied';
    if (r.errors?.length) return { unexpected: JSON.stringify(r.errors) };
    const value = r.data?.node ? pick(r.data.node) : null;
    if (value == null || (Array.isArray(value) && value.length === 0)) return 'denied';
    return 'allowed';
  };
}

export const SECURITY_ROWS: Row[] = [
  {
    area: 'WebSocket',
    operation: 'graphql-ws: Subscription.sleepoverChanged — subscribe',
    policy: 'socket#connect',
    allowed: ['admin', 'manager', 'ssw', 'liaison', 'otherLiaison', 'hubCarer', 'carer', 'otherCarer', 'foreignAdmin'],
    note: 'the socket authenticates per operation; events are scoped as the subscription rows show',
    run: async (m, v) => {
      const s = await openSocket(m.t.url, m.token(v));
      try {
        if (!s.acked) return 'denied';
        // Subscribed: no answer until an event; a refusal would answer at once.
        const r = await Promise.race([s.run(`subscription { sleepoverChanged { kind } }`), new Promise<null>((res) => setTimeout(() => res(null), 300))]);
        return r === null ? 'allowed' : 'denied';
      } finally {
        s.close();
      }
    },
  },
  {
    area: 'WebSocket',
    operation: 'graphql-ws: Query.me on the socket',
    policy: 'socket#subscriptionDocument',
    allowed: [],
    note: 'the socket serves subscriptions only; queries and mutations go over HTTP',
    run: overSocket(`{ me { id } }`),
  },
  {
    area: 'WebSocket',
    operation: 'graphql-ws: Mutation.createUser on the socket',
    policy: 'socket#subscriptionDocument',
    allowed: [],
    note: 'refused before it runs, for every viewer',
    run: overSocket(`mutation { createUser(input: { email: "ws@example.test", name: "W", role: ADMIN, password: "a-long-enough-password" }) { userErrors { code } } }`),
  },
  {
    area: 'WebSocket',
    operation: 'graphql-ws: Mutation.login on the socket',
    policy: 'socket#subscriptionDocument',
    allowed: [],
    note: 'login goes over HTTP, under the per-address limit',
    run: overSocket(`mutation { login(input: { email: "nobody@example.test", password: "wrong-password-123" }) { token } }`),
  },
  {
    area: 'Sleepovers',
    operation: "Sleepover.children of a cover sleepover (a Hillside child at Riverside's hub) — first name, while open",
    policy: 'sleepover.policy#childrenOfSleepoverFor',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer', 'otherCarer'],
    note: "the host's hub carer and liaison worker: first name, age and sleepoverNotes only; the child's own carer as elsewhere",
    run: throughCover(`children { firstName }`, (s) => s.children),
  },
  {
    area: 'Sleepovers',
    operation: "Sleepover.children of a cover sleepover — the child's reference and date of birth",
    policy: 'child.policy#canSeeChildIdentifiers',
    allowed: [...ORG_WIDE],
    note: "not the hosting liaison worker's: the child is not theirs",
    run: throughCover(`children { reference dateOfBirth }`, (s) => s.children?.[0]?.reference),
  },
  {
    area: 'Sleepovers',
    operation: "Sleepover.children of a cover sleepover — the child's stability",
    policy: 'stability.policy#canSeeChildStability',
    allowed: [...ORG_WIDE],
    run: throughCover(`children { stability { daysInCurrentPlacement } }`, (s) => s.children?.[0]?.stability),
  },
  {
    area: 'Sleepovers',
    operation: "Sleepover.constellation of a cover sleepover — the host's availability",
    policy: 'sleepover.policy#isSeenThroughCover',
    allowed: RIVERSIDE,
    note: "the child's carer sees where the child goes, not the host's nights",
    run: throughCover(`constellation { availability(from: "${day(0)}", to: "${day(2)}") { date } }`, (s) => s.constellation?.availability),
  },
  {
    area: 'Sleepovers',
    operation: "Sleepover.constellation of a cover sleepover — the host's liaison worker's email",
    policy: 'sleepover.policy#isSeenThroughCover',
    allowed: RIVERSIDE,
    run: throughCover(`constellation { liaisonWorker { email } }`, (s) => s.constellation?.liaisonWorker?.email),
  },
];
