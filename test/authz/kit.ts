import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { ORG_WIDE, type ViewerKind } from './viewers';

/**
 * Who may do what: the table the authorisation test runs, and the source of
 * docs/authorization.md (`npm run authz:doc`). Each row runs its operation as every kind of
 * viewer; `allowed` lists the viewers for whom it must succeed, everyone else must be refused
 * (an UNAUTHENTICATED/FORBIDDEN error, a FORBIDDEN/NOT_FOUND userError, or a null/empty answer).
 */
export type Outcome = 'allowed' | 'denied' | { unexpected: string };

export interface MatrixCtx {
  t: TestApp;
  w: Awaited<ReturnType<TestApp['fx']['world']>>;
  token(v: ViewerKind): string | null;
}

export interface Row {
  area: string;
  operation: string;
  allowed: readonly ViewerKind[];
  note?: string;
  /**
   * The function in src/ that decides who may do it, as `<file>#<function>`: the file by its name
   * without `.ts` when no other file under src/ has that name (`sleepover.policy#seesSleepoverDetails`,
   * `scope#constellationVisible`), otherwise by its path from src/ (`auth/viewer#isManager`). A
   * mutation names the role guard or permission check its service refuses with; a scoped list,
   * node() or subscription the scope or delivery rule; a field its policy. matrix.test.ts checks
   * that every row names one and that it is a function the file exports.
   */
  policy: string;
  run(m: MatrixCtx, v: ViewerKind): Promise<Outcome>;
}

const DENY_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** A query whose answer at `pick` is present when allowed and null/empty (or refused) when not. */
export function query(query: string, vars: (m: MatrixCtx) => Record<string, unknown>, pick: (data: any) => unknown) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const r = await m.t.gql(query, vars(m), { token: m.token(v) });
    const code = r.errors?.[0]?.extensions?.code as string | undefined;
    if (code && DENY_CODES.has(code)) return 'denied';
    if (r.errors?.length) return { unexpected: JSON.stringify(r.errors) };
    const value = pick(r.data);
    if (value == null || (Array.isArray(value) && value.length === 0)) return 'denied';
    return 'allowed';
  };
}

/** A mutation: allowed when it returns no userErrors; refused by error, or FORBIDDEN/NOT_FOUND userError. */
export function mutation(doc: string, field: string, input: (m: MatrixCtx, v: ViewerKind) => Promise<Record<string, unknown>> | Record<string, unknown>) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const r = await m.t.gql(doc, { i: await input(m, v) }, { token: m.token(v) });
    const code = r.errors?.[0]?.extensions?.code as string | undefined;
    if (code && DENY_CODES.has(code)) return 'denied';
    if (r.errors?.length) return { unexpected: JSON.stringify(r.errors) };
    const errs: { code: string }[] = r.data[field].userErrors;
    if (!errs.length) return 'allowed';
    if (errs.every((e) => e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND')) return 'denied';
    return { unexpected: JSON.stringify(errs) };
  };
}

export const ALL_ORG: ViewerKind[] = ['admin', 'manager', 'ssw', 'liaison', 'otherLiaison', 'hubCarer', 'carer', 'otherCarer'];
export const RIVERSIDE: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer', 'carer'];
export const NODE = (type: string, pick: (w: MatrixCtx['w']) => string, fields = 'id') =>
  query(
    `query($id: ID!) { node(id: $id) { ... on ${type} { ${fields} } } }`,
    (m) => ({ id: gid(type, pick(m.w)) }),
    (d) => d?.node?.id,
  );

let n = 0;
export const uniq = () => `${Date.now().toString(36)}${++n}`;

/**
 * The decision rows sleepovers and hub bookings share — confirm, decline, cancel one's own request,
 * cancel one booked for one's household — with the same cases: what they decide on is a fresh
 * request by the Alder House carer, or one a manager booked for Alder House.
 */
export function decisionRows(o: {
  area: string;
  /** The type whose decisions these are: its mutations are confirm<Type>, decline<Type>, cancel<Type>. */
  type: 'Sleepover' | 'HubBooking';
  idField: string;
  allowed: readonly ViewerKind[];
  /** Who confirms and declines, and who cancels (see Row.policy). */
  policies: { decide: string; cancel: string };
  declineReason: string;
  requestedByCarer: (m: MatrixCtx) => Promise<string>;
  confirmedByManager: (m: MatrixCtx, household: string) => Promise<string>;
}): Row[] {
  const decide = (verb: 'confirm' | 'decline' | 'cancel', input: (m: MatrixCtx) => Promise<Record<string, unknown>>) =>
    mutation(`mutation($i: ${o.type}DecisionInput!) { ${verb}${o.type}(input: $i) { userErrors { code message } } }`, `${verb}${o.type}`, input);
  return [
    {
      area: o.area,
      operation: `Mutation.confirm${o.type}`,
      policy: o.policies.decide,
      allowed: o.allowed,
      run: decide('confirm', async (m) => ({ [o.idField]: await o.requestedByCarer(m) })),
    },
    {
      area: o.area,
      operation: `Mutation.decline${o.type}`,
      policy: o.policies.decide,
      allowed: o.allowed,
      run: decide('decline', async (m) => ({ [o.idField]: await o.requestedByCarer(m), reason: o.declineReason })),
    },
    {
      area: o.area,
      operation: `Mutation.cancel${o.type} — one the viewer asked for`,
      policy: o.policies.cancel,
      allowed: [...o.allowed, 'carer'],
      note: 'the requester (here the Alder House carer) may cancel their own',
      run: decide('cancel', async (m) => ({ [o.idField]: await o.requestedByCarer(m) })),
    },
    {
      area: o.area,
      operation: `Mutation.cancel${o.type} — one someone else booked for the viewer's household`,
      policy: o.policies.cancel,
      allowed: o.allowed,
      run: decide('cancel', async (m) => ({ [o.idField]: await o.confirmedByManager(m, m.w.satA) })),
    },
  ];
}

/**
 * A per-file cache of targets built once per matrix run, on first use (read-only targets that
 * queries look at). Each file makes its own, so files may use the same keys for different things.
 */
export function builtOncePerRun(): <T>(m: MatrixCtx, key: string, build: () => Promise<T>) => Promise<T> {
  const built = new WeakMap<MatrixCtx, Map<string, Promise<unknown>>>();
  return <T>(m: MatrixCtx, key: string, build: () => Promise<T>): Promise<T> => {
    let map = built.get(m);
    if (!map) built.set(m, (map = new Map()));
    if (!map.has(key)) map.set(key, build());
    return map.get(key) as Promise<T>;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(20);
}

/**
 * Subscribes over graphql-ws as the viewer, makes a Riverside change, and waits up to 1.5 s for
 * its event. Allowed: the event arrives. Denied: the connection is refused, the subscription
 * errs, or nothing arrives.
 */
export function subscription(doc: string, field: string, trigger: (m: MatrixCtx) => Promise<string>, idOf: (event: any) => string | null | undefined) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const token = m.token(v);
    const events: any[] = [];
    let connected = false;
    let ended = false;
    const client = createClient({
      url: m.t.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      on: { connected: () => void (connected = true), closed: () => void (ended = true) },
    });
    client.subscribe(
      { query: doc },
      {
        next: (r) => void (r.errors ? (ended = true) : events.push(r.data![field])),
        error: () => void (ended = true),
        complete: () => void (ended = true),
      },
    );
    try {
      await until(() => connected || ended, 5_000);
      if (!connected || ended) return 'denied';
      await sleep(200); // the subscribe message is handled after the connection ack
      if (ended) return 'denied';
      const id = await trigger(m);
      await until(() => ended || events.some((e) => idOf(e) === id), 1_500);
      return events.some((e) => idOf(e) === id) ? 'allowed' : 'denied';
    } finally {
      await client.dispose();
    }
  };
}
