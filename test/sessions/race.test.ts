import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';
import { gid } from '../support/fixtures';
import { RSVP, scheduleOk } from './helpers';

/**
 * The capacity race over HTTP. On the real PostgreSQL (CI) the 40 requests run on 10 pooled
 * connections and really contend for the session's lock; on the embedded database (one
 * connection) they are serialised by the pool, so there the test only checks the outcomes.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

const RSVPS = `query($id: ID!) { node(id: $id) { ... on PeerSupportSession { goingCount waitlistCount placesLeft rsvps { carer { id } status waitlistPosition } } } }`;

test('40 RSVPs at once for 10 places, then 5 cancellations at once', async () => {
  const org = await t.fx.organisation('Race Council');
  const hub = await t.fx.household(org, { name: 'Race Hub' });
  const k = await t.fx.constellation(org, hub, { name: 'Racing' });
  const hubCarer = await t.fx.carer(org, hub, { name: 'Rae Hub' });
  const carers: { carerId: string; token: string }[] = [];
  for (let h = 0; h < 10; h++) {
    const household = await t.fx.household(org, { name: `Race House ${h}` });
    await t.fx.member(org, k, household);
    for (let c = 0; c < 4; c++) {
      const carer = await t.fx.carer(org, household, { name: `Racer ${h}-${c}` });
      carers.push({ carerId: carer.carerId, token: carer.token! });
    }
  }
  const session = await scheduleOk(t, hubCarer.token!, k, { capacity: 10 });

  let started = performance.now();
  const answers = await Promise.all(carers.map((c) => t.gql(RSVP, { i: { sessionId: session.id, going: true } }, { token: c.token })));
  const rsvpMs = performance.now() - started;
  for (const a of answers) {
    expect(a.status).toBe(200);
    expect(a.errors).toBeUndefined();
    expect(a.data.rsvpPeerSupportSession.userErrors).toEqual([]);
  }
  const statuses = answers.map((a) => a.data.rsvpPeerSupportSession.rsvp.status);
  expect(statuses.filter((s) => s === 'GOING')).toHaveLength(10);
  expect(statuses.filter((s) => s === 'WAITLISTED')).toHaveLength(30);
  // Each transaction saw every earlier holder of the lock committed: the positions it reported are 1..30, once each.
  const reported = answers.map((a) => a.data.rsvpPeerSupportSession.rsvp.waitlistPosition).filter((p) => p !== null);
  expect([...reported].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

  const before = (await t.gql(RSVPS, { id: session.id }, { token: hubCarer.token! })).data.node;
  expect(before).toMatchObject({ goingCount: 10, waitlistCount: 30, placesLeft: 0 });
  const waiting = before.rsvps.filter((r: any) => r.status === 'WAITLISTED');
  expect(waiting.map((r: any) => r.waitlistPosition)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  const [db] = await t.fx.sql(
    `select going_count, waitlist_count, (select count(*) from session_rsvp r where r.session_id = s.id and r.status = 'GOING') as going_rows from peer_support_session s where s.id = $1`,
    [Buffer.from(session.id, 'base64url').toString().split(':')[1]],
  );
  expect(db).toEqual({ going_count: 10, waitlist_count: 30, going_rows: 10 });

  const goingIds = before.rsvps.filter((r: any) => r.status === 'GOING').map((r: any) => r.carer.id);
  const leaving = carers.filter((c) => goingIds.includes(gid('Carer', c.carerId))).slice(0, 5);
  started = performance.now();
  const offs = await Promise.all(leaving.map((c) => t.gql(RSVP, { i: { sessionId: session.id, going: false } }, { token: c.token })));
  const cancelMs = performance.now() - started;
  for (const o of offs) {
    expect(o.errors).toBeUndefined();
    expect(o.data.rsvpPeerSupportSession.userErrors).toEqual([]);
    expect(o.data.rsvpPeerSupportSession.rsvp.status).toBe('NOT_GOING');
  }
  const after = (await t.gql(RSVPS, { id: session.id }, { token: hubCarer.token! })).data.node;
  expect(after).toMatchObject({ goingCount: 10, waitlistCount: 25, placesLeft: 0 });
  // First come, first served: exactly the first five in the queue were promoted, the rest moved up in order.
  const promoted = after.rsvps
    .filter((r: any) => r.status === 'GOING' && !goingIds.includes(r.carer.id))
    .map((r: any) => r.carer.id)
    .sort();
  expect(promoted).toEqual(
    waiting
      .slice(0, 5)
      .map((r: any) => r.carer.id)
      .sort(),
  );
  const stillWaiting = after.rsvps.filter((r: any) => r.status === 'WAITLISTED');
  expect(stillWaiting.map((r: any) => r.carer.id)).toEqual(waiting.slice(5).map((r: any) => r.carer.id));
  expect(stillWaiting.map((r: any) => r.waitlistPosition)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  expect(after.rsvps.filter((r: any) => r.status === 'NOT_GOING')).toHaveLength(5);

  // Printed for the record: how long the race takes on this database.
  console.log(
    `session race (${embedded() ? 'embedded, serialised' : 'real PostgreSQL'}): 40 RSVPs in ${rsvpMs.toFixed(0)} ms -> 10 GOING, 30 WAITLISTED; 5 cancellations in ${cancelMs.toFixed(0)} ms -> 5 promoted, 10 GOING, 25 WAITLISTED`,
  );
});

test('without the lock, the database alone still refuses the place beyond capacity', async () => {
  const org = await t.fx.organisation('Raw Council');
  const hub = await t.fx.household(org, { name: 'Raw Hub' });
  const k = await t.fx.constellation(org, hub);
  const [s] = await t.fx.sql(
    `insert into peer_support_session (organisation_id, constellation_id, kind, title, starts_at, ends_at, capacity, status)
     values ($1, $2, 'TRAINING', 'Raw', now() + interval '1 day', now() + interval '25 hours', 5, 'SCHEDULED') returning id`,
    [org, k],
  );
  const carers = [];
  for (let i = 0; i < 20; i++) carers.push((await t.fx.carer(org, hub, { name: `Raw ${i}`, login: false })).carerId);
  // Plain inserts from many pooled connections at once, bypassing the service and its lock.
  const results = await Promise.allSettled(carers.map((c) => t.fx.sql(`insert into session_rsvp (session_id, carer_id, organisation_id, status) values ($1, $2, $3, 'GOING')`, [s.id, c, org])));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/peer_support_session_going_rule/);
  const [row] = await t.fx.sql(`select going_count, (select count(*) from session_rsvp where session_id = $1 and status = 'GOING') as n from peer_support_session where id = $1`, [s.id]);
  expect(row).toEqual({ going_count: 5, n: 5 });
});
