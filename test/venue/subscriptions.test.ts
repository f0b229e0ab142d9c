import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { book, decideBooking } from './support';

/**
 * hubBookingChanged over graphql-ws: each subscriber gets the events they may see, with the
 * booking as they may see it (a fresh context per event): the hub carer and staff everything, the
 * carers of the children their bookings, other satellite carers only busy time (confirmations and
 * cancellations of confirmed bookings, purpose and children hidden), nobody else anything.
 */
jest.setTimeout(60_000);
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const SUB = `subscription($k: ID) { hubBookingChanged(constellationId: $k) { kind at booking { id status purpose childCount children { firstName } notes constellation { name } } } }`;

interface Listener {
  events: any[];
  client: Client;
}

async function listen(token: string, k: string | null = null): Promise<Listener> {
  const events: any[] = [];
  let connected = false;
  const client = createClient({
    url: t.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { connected: () => void (connected = true) },
  });
  client.subscribe(
    { query: SUB, variables: { k } },
    {
      next: (v) => void events.push(v.errors ? { errors: v.errors } : v.data!.hubBookingChanged),
      error: (e) => void events.push({ error: String(e) }),
      complete: () => undefined,
    },
  );
  const deadline = Date.now() + 5000;
  while (!connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200)); // the subscribe message is handled after the ack
  return { events, client };
}

const settle = () => new Promise((r) => setTimeout(r, 400));
const about = (l: Listener, id: string) => l.events.filter((e) => e.booking?.id === id || e.errors || e.error);

test('each subscriber hears what they may see, as they may see it', async () => {
  const hub = await listen(w.hubCarer.token!);
  const liaison = await listen(w.liaison.token, gid('Constellation', w.k));
  const amyCarer = await listen(w.carerA.token!);
  const benCarer = await listen(w.carerB.token!);
  const hillside = await listen(w.carer2.token!);
  const otherLiaison = await listen(w.otherLiaison.token);
  const foreign = await listen(w.foreignAdmin.token);
  try {
    const r = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 4, from: '15:00', to: '17:00', children: [w.childA], notes: 'Swimming kit' });
    const id = r.booking.id;
    await settle();
    // A request: the hub carer, the liaison worker and the children's own carers hear of it.
    expect(about(hub, id)).toEqual([
      expect.objectContaining({ kind: 'REQUESTED', booking: expect.objectContaining({ purpose: 'DAY_CARE', children: [{ firstName: 'Amy' }], notes: 'Swimming kit' }) }),
    ]);
    expect(about(liaison, id).map((e) => e.kind)).toEqual(['REQUESTED']);
    expect(about(amyCarer, id).map((e) => e.kind)).toEqual(['REQUESTED']);
    expect(about(benCarer, id)).toEqual([]);

    expect((await decideBooking(t, w.hubCarer.token, 'confirm', id)).userErrors).toEqual([]);
    await settle();
    expect(about(amyCarer, id).map((e) => e.kind)).toEqual(['REQUESTED', 'CONFIRMED']);
    // Another satellite carer hears that the hub is busy, and no more.
    expect(about(benCarer, id)).toEqual([
      expect.objectContaining({ kind: 'CONFIRMED', booking: { id, status: 'CONFIRMED', purpose: null, childCount: 1, children: null, notes: null, constellation: { name: 'Riverside' } } }),
    ]);

    expect((await decideBooking(t, w.carerA.token, 'cancel', id, 'Poorly')).userErrors).toEqual([]);
    await settle();
    expect(about(benCarer, id).map((e) => [e.kind, e.booking.status, e.booking.purpose])).toEqual([
      ['CONFIRMED', 'CONFIRMED', null],
      ['CANCELLED', 'CANCELLED', null],
    ]);
    expect(about(hub, id).map((e) => e.kind)).toEqual(['REQUESTED', 'CONFIRMED', 'CANCELLED']);

    // A request that is declined never reaches other satellite carers.
    const d = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 5, from: '15:00', to: '17:00', children: [w.childA] });
    await decideBooking(t, w.hubCarer.token, 'decline', d.booking.id, 'Away');
    await settle();
    expect(about(benCarer, d.booking.id)).toEqual([]);
    expect(about(amyCarer, d.booking.id).map((e) => e.kind)).toEqual(['REQUESTED', 'DECLINED']);

    for (const l of [hillside, otherLiaison, foreign]) expect(l.events).toEqual([]);
  } finally {
    for (const l of [hub, liaison, amyCarer, benCarer, hillside, otherLiaison, foreign]) await l.client.dispose();
  }
});

test("a carer hears of their child's sibling contact at another constellation's hub, and sees only their own child", async () => {
  await t.fx.siblings(w.org, w.childLone, w.childB);
  const lone = await listen(w.loneCarer.token!);
  const hillsideLiaison = await listen(w.otherLiaison.token);
  try {
    const r = await book(t, w.ssw.token, { k: w.k2, purpose: 'SIBLING_CONTACT', day: 6, from: '10:00', to: '11:00', children: [w.childLone, w.childB] });
    expect(r.userErrors).toEqual([]);
    await settle();
    expect(about(lone, r.booking.id)).toEqual([
      expect.objectContaining({
        kind: 'REQUESTED',
        booking: expect.objectContaining({ purpose: 'SIBLING_CONTACT', childCount: 2, children: [{ firstName: 'Cal' }], constellation: { name: 'Hillside' } }),
      }),
    ]);
    expect(about(hillsideLiaison, r.booking.id).map((e) => e.booking.children.map((c: any) => c.firstName))).toEqual([['Ben', 'Cal']]);
  } finally {
    await lone.client.dispose();
    await hillsideLiaison.client.dispose();
  }
});

test('a deactivated subscriber hears nothing more', async () => {
  const manager = await t.fx.user(w.org, 'FOSTERING_MANAGER');
  const l = await listen(manager.token);
  try {
    await t.fx.sql(`update app_user set active = false where id = $1`, [manager.id]);
    const r = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 7, from: '10:00', to: '11:00' });
    await settle();
    expect(about(l, r.booking.id).filter((e) => e.booking)).toEqual([]);
  } finally {
    await l.client.dispose();
  }
});
