import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { ATTENDANCE, CANCEL, dbId, inHours, RSVP, rsvpAs, SCHEDULE, scheduleOk, SESSION, sessionInput, startedAnHourAgo, UPDATE } from './helpers';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const count = async (sqlText: string, params: unknown[] = []) => Number((await t.fx.sql(sqlText, params))[0].n);

describe('scheduling', () => {
  test('the hub carer, the liaison worker and managers schedule; the session comes back as scheduled, with an audit event', async () => {
    for (const token of [w.hubCarer.token!, w.liaison.token, w.manager.token, w.admin.token]) {
      const r = await t.gql(SCHEDULE, { i: sessionInput(w.k, { title: 'Monthly meeting', kind: 'CONSTELLATION_MEETING', capacity: 12 }) }, { token });
      expect(r.errors).toBeUndefined();
      const p = r.data.schedulePeerSupportSession;
      expect(p.userErrors).toEqual([]);
      expect(p.session).toMatchObject({
        title: 'Monthly meeting',
        kind: 'CONSTELLATION_MEETING',
        status: 'SCHEDULED',
        capacity: 12,
        goingCount: 0,
        waitlistCount: 0,
        placesLeft: 12,
        seriesId: null,
        location: 'Hub kitchen',
        constellation: { id: gid('Constellation', w.k), name: 'Riverside' },
        rsvps: [],
        viewerRsvps: [],
      });
      const audit = await t.fx.sql(`select action, actor_id from audit_event where subject_id = $1`, [p.session.id]);
      expect(audit).toHaveLength(1);
      expect(audit[0].action).toBe('PeerSupportSession.schedule');
    }
  });

  test('satellite carers and supervising social workers may not schedule; outsiders cannot see the constellation', async () => {
    const before = await count(`select count(*) n from peer_support_session`);
    const forbidden = [w.carerA.token!, w.ssw.token];
    for (const token of forbidden) {
      const r = await t.gql(SCHEDULE, { i: sessionInput(w.k) }, { token });
      expect(r.data.schedulePeerSupportSession.userErrors.map((e: any) => e.code)).toEqual(['FORBIDDEN']);
    }
    for (const token of [w.otherLiaison.token, w.carer2.token!, w.loneCarer.token!, w.foreignAdmin.token]) {
      const r = await t.gql(SCHEDULE, { i: sessionInput(w.k) }, { token });
      expect(r.data.schedulePeerSupportSession.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'constellationId'], message: 'No such constellation.' }]);
    }
    const anon = await t.gql(SCHEDULE, { i: sessionInput(w.k) });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await count(`select count(*) n from peer_support_session`)).toBe(before);
  });

  test('bad input is refused with the field named, and nothing is written', async () => {
    const before = await count(`select count(*) n from peer_support_session`);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ endsAt: inHours(48) }, ['input', 'endsAt']],
      [{ endsAt: inHours(47) }, ['input', 'endsAt']],
      [{ endsAt: inHours(48 + 25) }, ['input', 'endsAt']],
      [{ capacity: 0 }, ['input', 'capacity']],
      [{ capacity: -3 }, ['input', 'capacity']],
      [{ capacity: 100000 }, ['input', 'capacity']],
      [{ startsAt: inHours(-1), endsAt: inHours(1) }, ['input', 'startsAt']],
      [{ title: '   ' }, ['input', 'title']],
      [{ title: 'x'.repeat(201) }, ['input', 'title']],
      [{ description: 'x'.repeat(4001) }, ['input', 'description']],
    ];
    for (const [over, field] of cases) {
      const r = await t.gql(SCHEDULE, { i: sessionInput(w.k, over) }, { token: w.hubCarer.token! });
      expect(r.errors).toBeUndefined();
      const errs = r.data.schedulePeerSupportSession.userErrors;
      expect(errs.map((e: any) => e.field)).toContainEqual(field);
      expect(errs.every((e: any) => e.code === 'INVALID_INPUT')).toBe(true);
      expect(r.data.schedulePeerSupportSession.session).toBeNull();
    }
    const notADate = await t.gql(SCHEDULE, { i: sessionInput(w.k, { startsAt: 'next tuesday' }) }, { token: w.hubCarer.token! });
    expect(notADate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.gql(SCHEDULE, { i: { ...sessionInput(w.k), constellationId: 'nonsense' } }, { token: w.manager.token });
    expect(unknown.data.schedulePeerSupportSession.userErrors[0].code).toBe('NOT_FOUND');
    expect(await count(`select count(*) n from peer_support_session`)).toBe(before);
  });

  test('a closed constellation takes no new sessions; no limit is null capacity', async () => {
    const hub = await t.fx.household(w.org, { name: 'Closed Hub' });
    const closed = await t.fx.constellation(w.org, hub, { status: 'CLOSED' });
    const r = await t.gql(SCHEDULE, { i: sessionInput(closed) }, { token: w.manager.token });
    expect(r.data.schedulePeerSupportSession.userErrors[0].code).toBe('INVALID_STATE');
    const open = await scheduleOk(t, w.liaison.token, w.k, { capacity: null });
    expect(open.capacity).toBeNull();
    expect(open.placesLeft).toBeNull();
  });
});

describe('who sees sessions', () => {
  let sessionId: string;
  beforeAll(async () => {
    sessionId = (await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Seen only inside', startsAt: inHours(24 * 30), endsAt: inHours(24 * 30 + 2) })).id;
  });

  test('members and the people running the constellation see it; nobody outside does', async () => {
    const q = `query($id: ID!) { node(id: $id) { ... on PeerSupportSession { id title } } }`;
    for (const token of [w.hubCarer.token!, w.carerA.token!, w.carerB.token!, w.liaison.token, w.manager.token, w.ssw.token, w.admin.token]) {
      const r = await t.gql(q, { id: sessionId }, { token });
      expect(r.data.node?.title).toBe('Seen only inside');
    }
    for (const token of [w.carer2.token!, w.loneCarer.token!, w.otherLiaison.token, w.foreignAdmin.token]) {
      const r = await t.gql(q, { id: sessionId }, { token });
      expect(r.errors).toBeUndefined();
      expect(r.data.node).toBeNull();
    }
  });

  test('Constellation.sessions lists by startsAt, filters, and pages', async () => {
    const base = 24 * 200;
    const ids: string[] = [];
    for (const [h, kind] of [
      [3, 'TRAINING'],
      [1, 'SOCIAL_ACTIVITY'],
      [2, 'TRAINING'],
    ] as const) {
      ids.push((await scheduleOk(t, w.liaison.token, w.k, { kind, title: `Later ${h}`, startsAt: inHours(base + h), endsAt: inHours(base + h + 1) })).id);
    }
    const cancelled = await scheduleOk(t, w.liaison.token, w.k, { title: 'Later cancelled', startsAt: inHours(base + 1.5), endsAt: inHours(base + 2) });
    await t.gql(CANCEL, { i: { sessionId: cancelled.id } }, { token: w.liaison.token });
    const q = `query($id: ID!, $f: PeerSupportSessionFilter, $first: Int, $after: String) { node(id: $id) { ... on Constellation {
      sessions(first: $first, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } edges { node { title status } } } } } }`;
    const from = inHours(base);
    const all = await t.gql(q, { id: gid('Constellation', w.k), f: { from } }, { token: w.carerA.token! });
    expect(all.data.node.sessions.edges.map((e: any) => e.node.title)).toEqual(['Later 1', 'Later 2', 'Later 3']);
    expect(all.data.node.sessions.totalCount).toBe(3);
    const withCancelled = await t.gql(q, { id: gid('Constellation', w.k), f: { from, includeCancelled: true } }, { token: w.carerA.token! });
    expect(withCancelled.data.node.sessions.edges.map((e: any) => [e.node.title, e.node.status])).toEqual([
      ['Later 1', 'SCHEDULED'],
      ['Later cancelled', 'CANCELLED'],
      ['Later 2', 'SCHEDULED'],
      ['Later 3', 'SCHEDULED'],
    ]);
    const training = await t.gql(q, { id: gid('Constellation', w.k), f: { from, to: inHours(base + 2.5), kind: ['TRAINING'] } }, { token: w.carerA.token! });
    expect(training.data.node.sessions.edges.map((e: any) => e.node.title)).toEqual(['Later 2']);
    const page1 = await t.gql(q, { id: gid('Constellation', w.k), f: { from }, first: 2 }, { token: w.hubCarer.token! });
    expect(page1.data.node.sessions.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(q, { id: gid('Constellation', w.k), f: { from }, first: 2, after: page1.data.node.sessions.pageInfo.endCursor }, { token: w.hubCarer.token! });
    expect(page2.data.node.sessions.edges.map((e: any) => e.node.title)).toEqual(['Later 3']);
    expect(page2.data.node.sessions.pageInfo.hasNextPage).toBe(false);
    const tooMany = await t.gql(q, { id: gid('Constellation', w.k), first: 101 }, { token: w.hubCarer.token! });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badCursor = await t.gql(q, { id: gid('Constellation', w.k), after: 'not-a-cursor' }, { token: w.hubCarer.token! });
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('statements per request do not grow with the number of sessions and RSVPs listed', async () => {
    const hub = await t.fx.household(w.org, { name: 'Count Hub' });
    const k = await t.fx.constellation(w.org, hub, { name: 'Counting' });
    const hubCarer = await t.fx.carer(w.org, hub, { name: 'Cora Count' });
    const sats = [];
    for (let i = 0; i < 3; i++) {
      const h = await t.fx.household(w.org, { name: `Count Sat ${i}` });
      await t.fx.member(w.org, k, h);
      sats.push(await t.fx.carer(w.org, h, { name: `Count Carer ${i}` }));
    }
    const q = `query($id: ID!) { node(id: $id) { ... on Constellation { sessions(first: 50) { totalCount edges { node { ${SESSION} } } } } } }`;
    const measure = async () => {
      const r = await t.gql(q, { id: gid('Constellation', k) }, { token: hubCarer.token! });
      expect(r.errors).toBeUndefined();
      return { statements: r.statements, sessions: r.data.node.sessions.edges.length };
    };
    const s1 = await scheduleOk(t, hubCarer.token!, k, { capacity: 1 });
    await rsvpAs(t, sats[0].token!, s1.id, true);
    const small = await measure();
    for (let i = 0; i < 5; i++) {
      const s = await scheduleOk(t, hubCarer.token!, k, { capacity: 1, startsAt: inHours(60 + i), endsAt: inHours(61 + i) });
      for (const c of sats) await rsvpAs(t, c.token!, s.id, true);
    }
    const big = await measure();
    expect(small.sessions).toBe(1);
    expect(big.sessions).toBe(6);
    expect(big.statements).toBe(small.statements);
  });
});

describe('RSVPs and the waitlist', () => {
  let annLater: { carerId: string; userId: string | null; token: string | null };
  beforeAll(async () => {
    annLater = await t.fx.carer(w.org, w.satA, { name: 'Andy Alder' });
  });

  test('GOING while places are left, then WAITLISTED in order; going → not going promotes the first in the queue', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 2 });
    const a = await rsvpAs(t, w.carerA.token!, s.id, true);
    expect(a.userErrors).toEqual([]);
    expect(a.rsvp).toMatchObject({ carer: { name: 'Ann Alder' }, status: 'GOING', waitlistPosition: null, childCount: 0 });
    expect(a.session).toMatchObject({ goingCount: 1, placesLeft: 1, waitlistCount: 0 });
    const b = await rsvpAs(t, w.carerB.token!, s.id, true, { childCount: 2 });
    expect(b.rsvp).toMatchObject({ status: 'GOING', childCount: 2 });
    const h = await rsvpAs(t, w.hubCarer.token!, s.id, true);
    expect(h.rsvp).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1 });
    // A carer answers for another carer of their own household.
    const andy = await rsvpAs(t, w.carerA.token!, s.id, true, { carerId: gid('Carer', annLater.carerId) });
    expect(andy.rsvp).toMatchObject({ carer: { name: 'Andy Alder' }, status: 'WAITLISTED', waitlistPosition: 2 });
    expect(andy.session).toMatchObject({ goingCount: 2, placesLeft: 0, waitlistCount: 2 });
    // Saying going again keeps the place in the queue.
    const again = await rsvpAs(t, w.hubCarer.token!, s.id, true, { childCount: 1 });
    expect(again.rsvp).toMatchObject({ status: 'WAITLISTED', waitlistPosition: 1, childCount: 1 });

    const off = await rsvpAs(t, w.carerA.token!, s.id, false);
    expect(off.rsvp).toMatchObject({ status: 'NOT_GOING', waitlistPosition: null });
    expect(off.session).toMatchObject({ goingCount: 2, waitlistCount: 1, placesLeft: 0 });

    const q = `query($id: ID!) { node(id: $id) { ... on PeerSupportSession { goingCount waitlistCount rsvps { carer { name } status waitlistPosition childCount } viewerRsvps { carer { name } status waitlistPosition } } } }`;
    const asHub = await t.gql(q, { id: s.id }, { token: w.hubCarer.token! });
    expect(asHub.data.node.rsvps).toEqual([
      { carer: { name: 'Bob Birch' }, status: 'GOING', waitlistPosition: null, childCount: 2 },
      { carer: { name: 'Helen Hub' }, status: 'GOING', waitlistPosition: null, childCount: 1 },
      { carer: { name: 'Andy Alder' }, status: 'WAITLISTED', waitlistPosition: 1, childCount: 0 },
      { carer: { name: 'Ann Alder' }, status: 'NOT_GOING', waitlistPosition: null, childCount: 0 },
    ]);
    expect(asHub.data.node.viewerRsvps).toEqual([{ carer: { name: 'Helen Hub' }, status: 'GOING', waitlistPosition: null }]);
    for (const token of [w.liaison.token, w.manager.token, w.ssw.token]) {
      const r = await t.gql(q, { id: s.id }, { token });
      expect(r.data.node.rsvps).toHaveLength(4);
      expect(r.data.node.viewerRsvps).toEqual([]);
    }
    // A satellite carer sees the counts, and only their own household's answers.
    const asAnn = await t.gql(q, { id: s.id }, { token: w.carerA.token! });
    expect(asAnn.data.node).toMatchObject({ goingCount: 2, waitlistCount: 1 });
    expect(asAnn.data.node.rsvps.map((r: any) => r.carer.name)).toEqual(['Andy Alder', 'Ann Alder']);
    expect(asAnn.data.node.viewerRsvps).toEqual([
      { carer: { name: 'Andy Alder' }, status: 'WAITLISTED', waitlistPosition: 1 },
      { carer: { name: 'Ann Alder' }, status: 'NOT_GOING', waitlistPosition: null },
    ]);
    const audit = await count(`select count(*) n from audit_event where subject_id = $1 and action = 'PeerSupportSession.rsvp'`, [s.id]);
    expect(audit).toBe(6);
  });

  test('who may answer, and for whom', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 5 });
    const forOther = await rsvpAs(t, w.carerA.token!, s.id, true, { carerId: gid('Carer', w.carerB.carerId) });
    expect(forOther.userErrors.map((e: any) => e.code)).toEqual(['FORBIDDEN']);
    const hubForSatellite = await rsvpAs(t, w.hubCarer.token!, s.id, true, { carerId: gid('Carer', w.carerA.carerId) });
    expect(hubForSatellite.userErrors.map((e: any) => e.code)).toEqual(['FORBIDDEN']);
    for (const token of [w.liaison.token, w.manager.token, w.admin.token]) {
      const r = await rsvpAs(t, token, s.id, true);
      expect(r.userErrors.map((e: any) => e.code)).toEqual(['FORBIDDEN']);
    }
    for (const token of [w.carer2.token!, w.loneCarer.token!, w.foreignAdmin.token]) {
      const r = await rsvpAs(t, token, s.id, true);
      expect(r.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'sessionId'], message: 'No such session.' }]);
    }
    const badCarer = await rsvpAs(t, w.carerA.token!, s.id, true, { carerId: 'nope' });
    expect(badCarer.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'carerId'] });
    const hillCarer = await rsvpAs(t, w.carerA.token!, s.id, true, { carerId: gid('Carer', w.carer2.carerId) });
    expect(hillCarer.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'carerId'] });
    for (const childCount of [-1, 21]) {
      const r = await rsvpAs(t, w.carerA.token!, s.id, true, { childCount });
      expect(r.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'childCount'] });
    }
    expect(await count(`select count(*) n from session_rsvp where session_id = $1`, [dbId(s.id)])).toBe(0);
  });

  test('no RSVP to a cancelled or past session; a household on hold cannot say it is going', async () => {
    const cancelled = await scheduleOk(t, w.hubCarer.token!, w.k);
    await t.gql(CANCEL, { i: { sessionId: cancelled.id } }, { token: w.hubCarer.token! });
    const r1 = await rsvpAs(t, w.carerA.token!, cancelled.id, true);
    expect(r1.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', message: 'The session was cancelled.' });
    const past = await scheduleOk(t, w.hubCarer.token!, w.k);
    await startedAnHourAgo(t, past.id);
    for (const going of [true, false]) {
      const r2 = await rsvpAs(t, w.carerA.token!, past.id, going);
      expect(r2.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', message: 'The session has already started.' });
    }
    const later = await scheduleOk(t, w.hubCarer.token!, w.k);
    const held = await t.fx.household(w.org, { name: 'Held House', status: 'ON_HOLD' });
    await t.fx.member(w.org, w.k, held);
    const heldCarer = await t.fx.carer(w.org, held, { name: 'Hal Held' });
    const r3 = await rsvpAs(t, heldCarer.token!, later.id, true);
    expect(r3.userErrors[0].code).toBe('NOT_APPROVED');
    // A household leaving before the session's day cannot book it.
    const leaving = await t.fx.household(w.org, { name: 'Leaving House' });
    await t.fx.member(w.org, w.k, leaving, undefined, inHours(24).slice(0, 10));
    const leavingCarer = await t.fx.carer(w.org, leaving, { name: 'Lee Leaving' });
    const r4 = await rsvpAs(t, leavingCarer.token!, later.id, true);
    expect(r4.userErrors[0].code).toBe('OUTSIDE_CONSTELLATION');
  });

  test('the database holds the capacity whatever the code does', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 1 });
    await rsvpAs(t, w.carerA.token!, s.id, true);
    await expect(t.fx.sql(`insert into session_rsvp (session_id, carer_id, organisation_id, status) values ($1, $2, $3, 'GOING')`, [dbId(s.id), w.carerB.carerId, w.org])).rejects.toThrow(
      /peer_support_session_going_rule/,
    );
    const [row] = await t.fx.sql(`select going_count, waitlist_count from peer_support_session where id = $1`, [dbId(s.id)]);
    expect(row).toEqual({ going_count: 1, waitlist_count: 0 });
  });

  test('an Idempotency-Key repeat replays the first answer and changes nothing', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 1 });
    const headers = { 'idempotency-key': `rsvp-${s.id}` };
    const first = await t.gql(RSVP, { i: { sessionId: s.id, going: true } }, { token: w.carerA.token!, headers });
    const second = await t.gql(RSVP, { i: { sessionId: s.id, going: true } }, { token: w.carerA.token!, headers });
    expect(second.data).toEqual(first.data);
    expect(await count(`select count(*) n from audit_event where subject_id = $1 and action = 'PeerSupportSession.rsvp'`, [s.id])).toBe(1);
  });
});

describe('changing and cancelling', () => {
  test('capacity: lowering below GOING is refused, raising promotes the waitlist in order, null removes the limit', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 1 });
    const extra = [];
    for (let i = 0; i < 3; i++) extra.push(await t.fx.carer(w.org, w.satB, { name: `Birch ${i}` }));
    await rsvpAs(t, w.carerA.token!, s.id, true);
    for (const c of extra) expect((await rsvpAs(t, c.token!, s.id, true)).rsvp.status).toBe('WAITLISTED');

    const capUpdate = (capacity: number | null, token = w.liaison.token) => t.gql(UPDATE, { i: { sessionId: s.id, capacity } }, { token });
    const raise = await capUpdate(2);
    expect(raise.data.updatePeerSupportSession.userErrors).toEqual([]);
    const after = raise.data.updatePeerSupportSession.session;
    expect(after).toMatchObject({ capacity: 2, goingCount: 2, waitlistCount: 2, placesLeft: 0 });
    expect(
      after.rsvps
        .filter((r: any) => r.status === 'GOING')
        .map((r: any) => r.carer.name)
        .sort(),
    ).toEqual(['Ann Alder', 'Birch 0']);
    expect(after.rsvps.filter((r: any) => r.status === 'WAITLISTED').map((r: any) => [r.carer.name, r.waitlistPosition])).toEqual([
      ['Birch 1', 1],
      ['Birch 2', 2],
    ]);
    const lower = await capUpdate(1);
    expect(lower.data.updatePeerSupportSession.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', field: ['input', 'capacity'] });
    const zero = await capUpdate(0);
    expect(zero.data.updatePeerSupportSession.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'capacity'] });
    const unlimited = await capUpdate(null);
    expect(unlimited.data.updatePeerSupportSession.session).toMatchObject({ capacity: null, goingCount: 4, waitlistCount: 0, placesLeft: null });
  });

  test('details and times change; bad times, outsiders and satellite carers are refused', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k);
    const startsAt = inHours(72);
    const endsAt = inHours(73);
    const ok = await t.gql(UPDATE, { i: { sessionId: s.id, title: 'Renamed', location: null, startsAt, endsAt } }, { token: w.hubCarer.token! });
    expect(ok.data.updatePeerSupportSession.userErrors).toEqual([]);
    const changed = ok.data.updatePeerSupportSession.session;
    expect(changed).toMatchObject({ title: 'Renamed', location: null, description: 'Bring a mug.' });
    expect([Date.parse(changed.startsAt), Date.parse(changed.endsAt)]).toEqual([Date.parse(startsAt), Date.parse(endsAt)]);
    const backwards = await t.gql(UPDATE, { i: { sessionId: s.id, endsAt: inHours(71) } }, { token: w.hubCarer.token! });
    expect(backwards.data.updatePeerSupportSession.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT', field: ['input', 'endsAt'] });
    const sat = await t.gql(UPDATE, { i: { sessionId: s.id, title: 'Mine now' } }, { token: w.carerA.token! });
    expect(sat.data.updatePeerSupportSession.userErrors[0].code).toBe('FORBIDDEN');
    const outsider = await t.gql(UPDATE, { i: { sessionId: s.id, title: 'Mine now' } }, { token: w.otherLiaison.token });
    expect(outsider.data.updatePeerSupportSession.userErrors[0].code).toBe('NOT_FOUND');
    const [row] = await t.fx.sql(`select title, revision from peer_support_session where id = $1`, [dbId(s.id)]);
    expect(row).toEqual({ title: 'Renamed', revision: 1 });
  });

  test('cancel: by the people running it, once, and not after it started', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k);
    const sat = await t.gql(CANCEL, { i: { sessionId: s.id } }, { token: w.carerB.token! });
    expect(sat.data.cancelPeerSupportSession.userErrors[0].code).toBe('FORBIDDEN');
    const ssw = await t.gql(CANCEL, { i: { sessionId: s.id } }, { token: w.ssw.token });
    expect(ssw.data.cancelPeerSupportSession.userErrors[0].code).toBe('FORBIDDEN');
    const ok = await t.gql(CANCEL, { i: { sessionId: s.id, reason: 'Hub carer unwell' } }, { token: w.liaison.token });
    expect(ok.data.cancelPeerSupportSession).toEqual({ session: { id: s.id, status: 'CANCELLED' }, userErrors: [] });
    const again = await t.gql(CANCEL, { i: { sessionId: s.id } }, { token: w.liaison.token });
    expect(again.data.cancelPeerSupportSession.userErrors[0].code).toBe('INVALID_STATE');
    const edit = await t.gql(UPDATE, { i: { sessionId: s.id, title: 'Back on' } }, { token: w.liaison.token });
    expect(edit.data.updatePeerSupportSession.userErrors[0].code).toBe('INVALID_STATE');
    const started = await scheduleOk(t, w.hubCarer.token!, w.k);
    await startedAnHourAgo(t, started.id);
    const late = await t.gql(CANCEL, { i: { sessionId: started.id } }, { token: w.liaison.token });
    expect(late.data.cancelPeerSupportSession.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
  });
});

describe('attendance', () => {
  test('only once the session has started; listed carers ATTENDED, the other GOING ones NO_SHOW', async () => {
    const s = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 2 });
    await rsvpAs(t, w.carerA.token!, s.id, true);
    await rsvpAs(t, w.carerB.token!, s.id, true);
    const early = await t.gql(ATTENDANCE, { i: { sessionId: s.id, attendedCarerIds: [gid('Carer', w.carerA.carerId)] } }, { token: w.hubCarer.token! });
    expect(early.data.recordAttendance.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
    await startedAnHourAgo(t, s.id);
    for (const token of [w.carerA.token!, w.ssw.token]) {
      const r = await t.gql(ATTENDANCE, { i: { sessionId: s.id, attendedCarerIds: [] } }, { token });
      expect(r.data.recordAttendance.userErrors[0].code).toBe('FORBIDDEN');
    }
    const outside = await t.gql(ATTENDANCE, { i: { sessionId: s.id, attendedCarerIds: [gid('Carer', w.carer2.carerId)] } }, { token: w.hubCarer.token! });
    expect(outside.data.recordAttendance.userErrors[0]).toMatchObject({ code: 'OUTSIDE_CONSTELLATION', field: ['input', 'attendedCarerIds', '0'] });
    const junk = await t.gql(ATTENDANCE, { i: { sessionId: s.id, attendedCarerIds: ['junk'] } }, { token: w.hubCarer.token! });
    expect(junk.data.recordAttendance.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'attendedCarerIds', '0'] });

    // Ann came, Bob did not, and Helen (no RSVP) walked in.
    const r = await t.gql(ATTENDANCE, { i: { sessionId: s.id, attendedCarerIds: [gid('Carer', w.carerA.carerId), gid('Carer', w.hubCarer.carerId)] } }, { token: w.liaison.token });
    expect(r.data.recordAttendance.userErrors).toEqual([]);
    const statuses = Object.fromEntries(r.data.recordAttendance.session.rsvps.map((x: any) => [x.carer.name, x.status]));
    expect(statuses).toEqual({ 'Ann Alder': 'ATTENDED', 'Helen Hub': 'ATTENDED', 'Bob Birch': 'NO_SHOW' });
    // Recording again corrects the record.
    const fix = await t.gql(ATTENDANCE, { i: { sessionId: s.id, attendedCarerIds: [gid('Carer', w.carerB.carerId)] } }, { token: w.hubCarer.token! });
    const fixed = Object.fromEntries(fix.data.recordAttendance.session.rsvps.map((x: any) => [x.carer.name, x.status]));
    expect(fixed).toEqual({ 'Ann Alder': 'NO_SHOW', 'Helen Hub': 'NO_SHOW', 'Bob Birch': 'ATTENDED' });
  });
});

describe('cascades', () => {
  test('a household leaving removes its future RSVPs and promotes the waitlist; past ones stay', async () => {
    const leaver = await t.fx.household(w.org, { name: 'Elm House' });
    await t.fx.member(w.org, w.k, leaver);
    const elm = await t.fx.carer(w.org, leaver, { name: 'Eve Elm' });
    const future = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 1 });
    await rsvpAs(t, elm.token!, future.id, true);
    await rsvpAs(t, w.carerA.token!, future.id, true);
    const past = await scheduleOk(t, w.hubCarer.token!, w.k, { capacity: 3 });
    await rsvpAs(t, elm.token!, past.id, true);
    await startedAnHourAgo(t, past.id);

    const rm = await t.gql(
      `mutation($i: ConstellationMemberInput!) { removeConstellationMember(input: $i) { userErrors { code } } }`,
      { i: { constellationId: gid('Constellation', w.k), householdId: gid('Household', leaver) } },
      { token: w.liaison.token },
    );
    expect(rm.data.removeConstellationMember.userErrors).toEqual([]);
    const q = `query($id: ID!) { node(id: $id) { ... on PeerSupportSession { goingCount waitlistCount rsvps { carer { name } status } } } }`;
    const f = await t.gql(q, { id: future.id }, { token: w.liaison.token });
    expect(f.data.node).toEqual({ goingCount: 1, waitlistCount: 0, rsvps: [{ carer: { name: 'Ann Alder' }, status: 'GOING' }] });
    const p = await t.gql(q, { id: past.id }, { token: w.liaison.token });
    expect(p.data.node.rsvps).toEqual([{ carer: { name: 'Eve Elm' }, status: 'GOING' }]);
  });

  test('a household put on hold loses its future RSVPs', async () => {
    const h = await t.fx.household(w.org, { name: 'Fir House' });
    await t.fx.member(w.org, w.k, h);
    const fir = await t.fx.carer(w.org, h, { name: 'Fay Fir' });
    const s = await scheduleOk(t, w.hubCarer.token!, w.k);
    await rsvpAs(t, fir.token!, s.id, true);
    const r = await t.gql(
      `mutation($i: UpdateHouseholdInput!) { updateHousehold(input: $i) { userErrors { code message } } }`,
      { i: { householdId: gid('Household', h), status: 'ON_HOLD' } },
      { token: w.manager.token },
    );
    expect(r.data.updateHousehold.userErrors).toEqual([]);
    expect(await count(`select count(*) n from session_rsvp where session_id = $1`, [dbId(s.id)])).toBe(0);
    expect(await count(`select going_count n from peer_support_session where id = $1`, [dbId(s.id)])).toBe(0);
  });

  test('a hub that hands over loses its future RSVPs; the new hub (a satellite before) keeps its own', async () => {
    const hub = await t.fx.household(w.org, { name: 'Old Hub' });
    const k = await t.fx.constellation(w.org, hub, { name: 'Handover' });
    const oldHubCarer = await t.fx.carer(w.org, hub, { name: 'Olive Old' });
    const sat = await t.fx.household(w.org, { name: 'New Hub' });
    await t.fx.member(w.org, k, sat);
    const satCarer = await t.fx.carer(w.org, sat, { name: 'Nina New' });
    const s = await scheduleOk(t, w.manager.token, k);
    await rsvpAs(t, oldHubCarer.token!, s.id, true);
    await rsvpAs(t, satCarer.token!, s.id, true);
    const r = await t.gql(
      `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code } } }`,
      { i: { constellationId: gid('Constellation', k), hubHouseholdId: gid('Household', sat) } },
      { token: w.manager.token },
    );
    expect(r.data.updateConstellation.userErrors).toEqual([]);
    const left = await t.fx.sql(`select c.name from session_rsvp r join carer c on c.id = r.carer_id where r.session_id = $1`, [dbId(s.id)]);
    expect(left.map((x: any) => x.name)).toEqual(['Nina New']);
  });

  test('closing a constellation cancels its future sessions', async () => {
    const hub = await t.fx.household(w.org, { name: 'Closing Hub' });
    const k = await t.fx.constellation(w.org, hub, { name: 'Closing' });
    const a = await scheduleOk(t, w.manager.token, k);
    const b = await scheduleOk(t, w.manager.token, k, { startsAt: inHours(100), endsAt: inHours(101) });
    const started = await scheduleOk(t, w.manager.token, k);
    await startedAnHourAgo(t, started.id);
    const r = await t.gql(
      `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code } } }`,
      { i: { constellationId: gid('Constellation', k), status: 'CLOSED' } },
      { token: w.manager.token },
    );
    expect(r.data.updateConstellation.userErrors).toEqual([]);
    const rows = await t.fx.sql(`select id, status, cancel_reason from peer_support_session where constellation_id = $1 order by starts_at`, [k]);
    const byId = Object.fromEntries(rows.map((x: any) => [x.id, x.status]));
    expect(byId[dbId(a.id)]).toBe('CANCELLED');
    expect(byId[dbId(b.id)]).toBe('CANCELLED');
    expect(byId[dbId(started.id)]).toBe('SCHEDULED');
  });
});
