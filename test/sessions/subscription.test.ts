import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { rsvpAs, scheduleOk } from './helpers';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const clients: Client[] = [];
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await t.stop();
});

const SUB = `subscription($k: ID) { peerSupportSessionChanged(constellationId: $k) { kind at session { id title goingCount waitlistCount constellation { name } viewerRsvps { status } } } }`;

/** Subscribes as a user and collects events; `next()` waits for the next one. */
async function subscribe(token: string, variables: Record<string, unknown> = {}) {
  const client = createClient({ url: t.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });
  clients.push(client);
  const events: any[] = [];
  const waiters: ((e: any) => void)[] = [];
  let ready!: () => void;
  const acknowledged = new Promise<void>((r) => (ready = r));
  client.on('connected', () => ready());
  client.subscribe(
    { query: SUB, variables },
    {
      next: (e) => (waiters.length ? waiters.shift()!(e) : events.push(e)),
      error: (e) => (waiters.length ? waiters.shift()!({ error: e }) : events.push({ error: e })),
      complete: () => undefined,
    },
  );
  await acknowledged;
  // Give the server a moment to register the operation's pub/sub listener.
  await new Promise((r) => setTimeout(r, 100));
  return {
    next: () => (events.length ? Promise.resolve(events.shift()) : new Promise<any>((r) => waiters.push(r))),
    pending: () => events.length,
  };
}

test('members and the people running the constellation receive its session events, each read fresh; outsiders do not', async () => {
  const ann = await subscribe(w.carerA.token!);
  const liaison = await subscribe(w.liaison.token, { k: gid('Constellation', w.k) });
  const hill = await subscribe(w.carer2.token!);

  const s = await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Walk in the park', capacity: 1 });
  const e1 = await ann.next();
  expect(e1.errors).toBeUndefined();
  expect(e1.data.peerSupportSessionChanged).toMatchObject({ kind: 'SCHEDULED', session: { id: s.id, title: 'Walk in the park', goingCount: 0, constellation: { name: 'Riverside' } } });
  expect((await liaison.next()).data.peerSupportSessionChanged.kind).toBe('SCHEDULED');

  await rsvpAs(t, w.carerA.token!, s.id, true);
  // The second event must not be served from the first event's loaders.
  const e2 = await ann.next();
  expect(e2.data.peerSupportSessionChanged).toMatchObject({ kind: 'RSVP_CHANGED', session: { goingCount: 1, viewerRsvps: [{ status: 'GOING' }] } });
  const l2 = await liaison.next();
  expect(l2.data.peerSupportSessionChanged.session).toMatchObject({ goingCount: 1, viewerRsvps: [] });

  await rsvpAs(t, w.carerB.token!, s.id, true);
  const e3 = await ann.next();
  expect(e3.data.peerSupportSessionChanged.session).toMatchObject({ goingCount: 1, waitlistCount: 1 });
  await liaison.next();

  // Hillside's own session is the first thing Hillside's carer hears about.
  const hs = await scheduleOk(t, w.otherLiaison.token, w.k2, { title: 'Hillside picnic' });
  const h1 = await hill.next();
  expect(h1.data.peerSupportSessionChanged.session).toMatchObject({ id: hs.id, title: 'Hillside picnic' });
  expect(hill.pending()).toBe(0);

  // Cancelling is an event too; the constellation filter keeps Hillside's session away from the liaison worker.
  await t.gql(`mutation($i: CancelPeerSupportSessionInput!) { cancelPeerSupportSession(input: $i) { userErrors { code } } }`, { i: { sessionId: s.id } }, { token: w.liaison.token });
  expect((await liaison.next()).data.peerSupportSessionChanged).toMatchObject({ kind: 'CANCELLED', session: { id: s.id } });
  expect((await ann.next()).data.peerSupportSessionChanged.kind).toBe('CANCELLED');
  expect(liaison.pending()).toBe(0);
});

test('a carer whose household leaves stops hearing about the constellation', async () => {
  const h = await t.fx.household(w.org, { name: 'Gorse House' });
  await t.fx.member(w.org, w.k, h);
  const gus = await t.fx.carer(w.org, h, { name: 'Gus Gorse' });
  const sub = await subscribe(gus.token!);
  await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Before leaving' });
  expect((await sub.next()).data.peerSupportSessionChanged.session.title).toBe('Before leaving');
  await t.gql(
    `mutation($i: ConstellationMemberInput!) { removeConstellationMember(input: $i) { userErrors { code } } }`,
    { i: { constellationId: gid('Constellation', w.k), householdId: gid('Household', h) } },
    { token: w.liaison.token },
  );
  await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'After leaving' });
  // Joins another constellation: its sessions arrive, Riverside's do not.
  await t.fx.member(w.org, w.k2, h, day(0));
  await scheduleOk(t, w.otherLiaison.token, w.k2, { title: 'Hillside welcome' });
  expect((await sub.next()).data.peerSupportSessionChanged.session.title).toBe('Hillside welcome');
});
