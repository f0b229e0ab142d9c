import { setClock } from '../../src/platform/time';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { ask, availability, codes, decide } from './support';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());
afterEach(async () => {
  setClock(null);
  await t.fx.sql(`update constellation set status = 'ACTIVE'`);
  await t.fx.sql(`update household set status = 'APPROVED' where status <> 'APPROVED'`);
  await t.fx.sql(`delete from bed_claim; delete from sleepover_child; delete from sleepover`);
});

const count = async () => (await t.fx.sql(`select count(*)::int as n from sleepover`))[0].n as number;
const sid = (p: { sleepover: { id: string } }) => p.sleepover.id;

/** The next Friday on or after `from` (London calendar dates). */
function nextFriday(from: string): string {
  const d = new Date(`${from}T12:00:00Z`);
  const add = (5 - d.getUTCDay() + 7) % 7;
  d.setUTCDate(d.getUTCDate() + add);
  return d.toISOString().slice(0, 10);
}

describe('asking', () => {
  test("a satellite carer's request waits as REQUESTED until the hub carer confirms it, with a bed for each child", async () => {
    const friday = nextFriday(day(1));
    const sunday = addTwo(friday);
    const asked = await ask(t, w.carerA.token, { k: w.k, children: [w.childA2, w.childA], start: friday, end: sunday, notes: 'Ava sleeps with a light on.' });
    expect(asked.userErrors).toEqual([]);
    expect(asked.sleepover).toMatchObject({
      status: 'REQUESTED',
      kind: 'PLANNED',
      startDate: friday,
      endDate: sunday,
      nights: 2, // Friday to Sunday
      beds: null,
      childCount: 2,
      children: [{ firstName: 'Amy' }, { firstName: 'Ava' }],
      household: { name: 'Alder House' },
      requestedBy: { name: 'Ann Alder' },
      notes: 'Ava sleeps with a light on.',
      constellation: { name: 'Riverside' },
    });
    const confirmed = await decide(t, w.hubCarer.token, 'confirm', sid(asked));
    expect(confirmed.userErrors).toEqual([]);
    expect(confirmed.sleepover).toMatchObject({ status: 'CONFIRMED', beds: [1, 2] });
    const audit = await t.fx.sql(`select action from audit_event where subject_id = $1 order by at`, [sid(asked)]);
    expect(audit.map((a) => a.action)).toEqual(['Sleepover.request', 'Sleepover.confirm']);
    const nights = await availability(t, w.hubCarer.token, w.k, friday, sunday);
    expect(nights.map((n) => [n.bedsBooked, n.bedsFree])).toEqual([
      [2, 0],
      [2, 0],
    ]);
  });

  test('the hub carer, the liaison worker and managers book at once while a bed is free; a supervising social worker asks', async () => {
    const hub = await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(3), end: day(5), kind: 'EMERGENCY' });
    expect(hub.sleepover).toMatchObject({ status: 'CONFIRMED', kind: 'EMERGENCY', beds: [1], requestedBy: { name: 'Helen Hub' } });
    const liaison = await ask(t, w.liaison.token, { k: w.k, children: [w.childA], start: day(4), end: day(6) });
    expect(liaison.sleepover).toMatchObject({ status: 'CONFIRMED', beds: [2] });
    const before = await count();
    const full = await ask(t, w.admin.token, { k: w.k, children: [w.childA2], start: day(4), end: day(5) });
    expect(codes(full)).toEqual(['NO_BED_AVAILABLE']);
    expect(full.sleepover).toBeNull();
    expect(await count()).toBe(before); // nothing written
    const manager = await ask(t, w.manager.token, { k: w.k, children: [w.childA2], start: day(6), end: day(7) });
    expect(manager.sleepover).toMatchObject({ status: 'CONFIRMED', beds: [1] });
    const ssw = await ask(t, w.ssw.token, { k: w.k, children: [w.childA2], start: day(8), end: day(9) });
    expect(ssw.sleepover).toMatchObject({ status: 'REQUESTED', beds: null });
    const carer = await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(8), end: day(9), kind: 'EMERGENCY' });
    expect(carer.sleepover).toMatchObject({ status: 'REQUESTED', kind: 'EMERGENCY' });
  });

  test('bad input is refused with the field at fault, and nothing is written', async () => {
    const cases: [Parameters<typeof ask>[2], string, string[]][] = [
      [{ k: w.k, children: [w.childA], start: day(5), end: day(4) }, 'INVALID_INPUT', ['input', 'endDate']],
      [{ k: w.k, children: [w.childA], start: day(5), end: day(5) }, 'INVALID_INPUT', ['input', 'endDate']], // 0 nights
      [{ k: w.k, children: [w.childA], start: day(5), end: day(34) }, 'INVALID_INPUT', ['input', 'endDate']], // 29 nights
      [{ k: w.k, children: [w.childA], start: day(-1), end: day(2) }, 'INVALID_INPUT', ['input', 'startDate']],
      [{ k: w.k, children: [], start: day(5), end: day(6) }, 'INVALID_INPUT', ['input', 'childIds']],
      [{ k: w.k, children: [w.childA, w.childA], start: day(5), end: day(6) }, 'INVALID_INPUT', ['input', 'childIds']],
      [{ k: w.k, children: [w.foreignChild], start: day(5), end: day(6) }, 'NOT_FOUND', ['input', 'childIds']],
      [{ k: w.k, children: ['00000000-0000-4000-8000-000000000000'], start: day(5), end: day(6) }, 'NOT_FOUND', ['input', 'childIds']],
      [{ k: '00000000-0000-4000-8000-000000000000', children: [w.childA], start: day(5), end: day(6) }, 'NOT_FOUND', ['input', 'constellationId']],
      [{ k: w.k, children: [w.childA, w.childB], start: day(5), end: day(6) }, 'INVALID_INPUT', ['input', 'childIds']], // two households
      [{ k: w.k, children: [w.childLone], start: day(5), end: day(6) }, 'OUTSIDE_CONSTELLATION', ['input', 'childIds']],
    ];
    for (const [a, code, field] of cases) {
      const r = await ask(t, w.manager.token, a);
      expect({ a, errors: r.userErrors.map((e) => [e.code, e.field]) }).toEqual({ a, errors: [[code, field]] });
    }
    const garbage = await t.gql(
      `mutation { requestSleepover(input: { constellationId: "nope", childIds: ["nope"], startDate: "${day(5)}", endDate: "${day(6)}" }) { userErrors { code field } } }`,
      {},
      { token: w.manager.token },
    );
    expect(garbage.data.requestSleepover.userErrors.map((e: any) => e.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    const notADate = await t.gql(
      `mutation($d: Date!) { requestSleepover(input: { constellationId: "x", childIds: ["x"], startDate: $d, endDate: "2226-03-02" }) { userErrors { code } } }`,
      { d: '2027-02-30' },
      { token: w.manager.token },
    );
    expect(notADate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const twentyEight = await ask(t, w.manager.token, { k: w.k, children: [w.childA], start: day(5), end: day(33) });
    expect(twentyEight.sleepover).toMatchObject({ nights: 28, status: 'CONFIRMED' });
    const three = await t.fx.child(w.org, { firstName: 'Abe' });
    await t.fx.placement(w.org, three, w.satA);
    const tooMany = await ask(t, w.manager.token, { k: w.k, children: [w.childA2, three, w.childA], start: day(40), end: day(41) });
    expect(tooMany.userErrors.map((e) => e.code)).toEqual(['INVALID_INPUT']);
    expect(await count()).toBe(1);
  });

  test('a child placed elsewhere for some of the nights, or with another constellation, needs cover; only staff can book it', async () => {
    const moving = await t.fx.child(w.org, { firstName: 'Mo' });
    await t.fx.placement(w.org, moving, w.satA, day(-100), day(6));
    const partly = await ask(t, w.manager.token, { k: w.k, children: [moving], start: day(5), end: day(7) });
    expect(codes(partly)).toEqual(['INVALID_STATE']);

    const hillChild = await t.fx.child(w.org, { firstName: 'Hal' });
    await t.fx.placement(w.org, hillChild, w.sat2);
    const outside = await ask(t, w.manager.token, { k: w.k, children: [hillChild], start: day(5), end: day(7) });
    expect(codes(outside)).toEqual(['OUTSIDE_CONSTELLATION']);
    const byHub = await ask(t, w.hubCarer.token, { k: w.k, children: [hillChild], start: day(5), end: day(7), coverReason: 'Hill Hub on holiday' });
    expect(byHub.userErrors.map((e) => [e.code, e.field])).toEqual([['FORBIDDEN', ['input', 'coverReason']]]);
    const cover = await ask(t, w.manager.token, { k: w.k, children: [hillChild], start: day(5), end: day(7), coverReason: 'Hill Hub on holiday' });
    expect(cover.userErrors).toEqual([]);
    expect(cover.sleepover).toMatchObject({ status: 'CONFIRMED', household: { name: 'Hill Side' }, constellation: { name: 'Riverside' } });
    // The hub carer hosting the cover sees who is coming.
    const seen = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Sleepover { children { firstName sleepoverNotes } household { name } } } }`,
      { id: cover.sleepover.id },
      { token: w.hubCarer.token },
    );
    expect(seen.data.node).toEqual({ children: [{ firstName: 'Hal', sleepoverNotes: 'Needs a night light.' }], household: { name: 'Hill Side' } });
    // The child's own carers see where the child stays — not who else belongs to that constellation.
    const own = await t.gql(
      `{ sleepovers { edges { node { status constellation { name hub { name } members { totalCount edges { node { household { name } } } } } } } } }`,
      {},
      { token: w.carer2.token },
    );
    expect(own.data.sleepovers.edges).toEqual([{ node: { status: 'CONFIRMED', constellation: { name: 'Riverside', hub: { name: 'Hub Home' }, members: { totalCount: 0, edges: [] } } } }]);
  });

  test('who may ask: carers only for their own household, only in their own constellation', async () => {
    expect(codes(await ask(t, w.carerA.token, { k: w.k, children: [w.childB], start: day(5), end: day(6) }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(t, w.carerB.token, { k: w.k, children: [w.childA], start: day(5), end: day(6) }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(t, w.carer2.token, { k: w.k, children: [w.childA], start: day(5), end: day(6) }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(t, w.loneCarer.token, { k: w.k, children: [w.childLone], start: day(5), end: day(6) }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(t, w.otherLiaison.token, { k: w.k, children: [w.childA], start: day(5), end: day(6) }))).toEqual(['NOT_FOUND']);
    expect(codes(await ask(t, w.foreignAdmin.token, { k: w.k, children: [w.childA], start: day(5), end: day(6) }))).toEqual(['NOT_FOUND']);
    const anonymous = await t.gql(`mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { userErrors { code } } }`, {
      i: { constellationId: gid('Constellation', w.k), childIds: [gid('Child', w.childA)], startDate: day(5), endDate: day(6) },
    });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await count()).toBe(0);
  });
});

describe('deciding', () => {
  test('who may confirm, decline and cancel', async () => {
    const a = sid(await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(5), end: day(7) }));
    expect(codes(await decide(t, w.carerA.token, 'confirm', a))).toEqual(['FORBIDDEN']);
    expect(codes(await decide(t, w.carerA.token, 'decline', a))).toEqual(['FORBIDDEN']);
    expect(codes(await decide(t, w.ssw.token, 'confirm', a))).toEqual(['FORBIDDEN']);
    expect(codes(await decide(t, w.carerB.token, 'cancel', a))).toEqual(['NOT_FOUND']); // another household's request is not theirs to see
    expect(codes(await decide(t, w.otherLiaison.token, 'confirm', a))).toEqual(['NOT_FOUND']);
    expect(codes(await decide(t, w.foreignAdmin.token, 'confirm', a))).toEqual(['NOT_FOUND']);
    expect(codes(await decide(t, w.manager.token, 'confirm', 'bm90LWFuLWlk'))).toEqual(['NOT_FOUND']);
    expect((await decide(t, w.liaison.token, 'confirm', a)).sleepover.status).toBe('CONFIRMED');
    // The requester may cancel their own.
    expect((await decide(t, w.carerA.token, 'cancel', a, { reason: 'Plans changed' })).sleepover).toMatchObject({ status: 'CANCELLED', decisionReason: 'Plans changed', beds: null });

    const b = sid(await ask(t, w.ssw.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }));
    expect(codes(await decide(t, w.carerA.token, 'cancel', b))).toEqual(['NOT_FOUND']);
    expect((await decide(t, w.ssw.token, 'cancel', b)).sleepover.status).toBe('CANCELLED');
    const c = sid(await ask(t, w.ssw.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }));
    expect(codes(await decide(t, w.carerB.token, 'cancel', c))).toEqual(['FORBIDDEN']); // their child, but someone else asked
    expect((await decide(t, w.admin.token, 'decline', c, { reason: 'Hub is full that week' })).sleepover).toMatchObject({ status: 'DECLINED', decisionReason: 'Hub is full that week' });
  });

  test('states: only a requested sleepover is confirmed or declined; repeating a decision answers with the sleepover as it is', async () => {
    const a = sid(await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(5), end: day(7) }));
    expect((await decide(t, w.hubCarer.token, 'decline', a, { reason: 'No' })).sleepover.status).toBe('DECLINED');
    expect((await decide(t, w.hubCarer.token, 'decline', a)).sleepover).toMatchObject({ status: 'DECLINED', decisionReason: 'No' });
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', a))).toEqual(['INVALID_STATE']);
    expect(codes(await decide(t, w.hubCarer.token, 'cancel', a))).toEqual(['INVALID_STATE']);

    const b = sid(await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(5), end: day(7) })); // a declined one frees the child
    expect((await decide(t, w.hubCarer.token, 'confirm', b)).sleepover.beds).toEqual([1]);
    expect((await decide(t, w.liaison.token, 'confirm', b)).sleepover).toMatchObject({ status: 'CONFIRMED', beds: [1] });
    expect(codes(await decide(t, w.liaison.token, 'confirm', b, { beds: [2] }))).toEqual(['INVALID_STATE']);
    expect(codes(await decide(t, w.hubCarer.token, 'decline', b))).toEqual(['INVALID_STATE']);
    expect((await decide(t, w.hubCarer.token, 'cancel', b)).sleepover.status).toBe('CANCELLED');
    expect((await decide(t, w.hubCarer.token, 'cancel', b)).sleepover.status).toBe('CANCELLED');
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', b))).toEqual(['INVALID_STATE']);
    expect(codes(await decide(t, w.hubCarer.token, 'decline', b, { beds: [1] }))).toEqual(['INVALID_INPUT']);
    // A cancelled one frees the child too.
    expect((await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(5), end: day(7) })).userErrors).toEqual([]);
  });

  test('a child is never in two active sleepovers sharing a night', async () => {
    expect((await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(10), end: day(12) })).userErrors).toEqual([]);
    const overlap = await ask(t, w.carerA.token, { k: w.k, children: [w.childA2, w.childA], start: day(11), end: day(13) });
    expect(overlap.userErrors.map((e) => [e.code, e.field])).toEqual([['OVERLAP', ['input', 'childIds']]]);
    expect((await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(12), end: day(14) })).userErrors).toEqual([]); // the next night is free
    expect(await count()).toBe(2);
  });

  test('confirming with chosen beds', async () => {
    const a = sid(await ask(t, w.carerA.token, { k: w.k, children: [w.childA2, w.childA], start: day(5), end: day(7) }));
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', a, { beds: [1] }))).toEqual(['INVALID_INPUT']);
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', a, { beds: [1, 1] }))).toEqual(['INVALID_INPUT']);
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', a, { beds: [1, 3] }))).toEqual(['INVALID_INPUT']);
    const b = sid(await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(6), end: day(8) }));
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', a, { beds: [2, 1] }))).toEqual(['NO_BED_AVAILABLE']);
    await decide(t, w.hubCarer.token, 'cancel', b);
    const ok = await decide(t, w.hubCarer.token, 'confirm', a, { beds: [2, 1] });
    expect(ok.sleepover).toMatchObject({ status: 'CONFIRMED', children: [{ firstName: 'Amy' }, { firstName: 'Ava' }], beds: [2, 1] });
  });

  test('a paused or closed constellation, or a hub or household not approved, takes no new sleepovers', async () => {
    const waiting = sid(await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(5), end: day(7) }));
    await t.fx.sql(`update constellation set status = 'PAUSED' where id = $1`, [w.k]);
    expect(codes(await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }))).toEqual(['INVALID_STATE']);
    expect(codes(await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }))).toEqual(['INVALID_STATE']);
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', waiting))).toEqual(['INVALID_STATE']);
    await t.fx.sql(`update constellation set status = 'CLOSED' where id = $1`, [w.k]);
    expect(codes(await ask(t, w.manager.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }))).toEqual(['INVALID_STATE']);
    await t.fx.sql(`update constellation set status = 'FORMING' where id = $1`, [w.k]);
    await t.fx.sql(`update household set status = 'ON_HOLD' where id = $1`, [w.hubHousehold]);
    expect(codes(await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }))).toEqual(['NOT_APPROVED']);
    expect(codes(await decide(t, w.liaison.token, 'confirm', waiting))).toEqual(['NOT_APPROVED']);
    await t.fx.sql(`update household set status = 'APPROVED' where id = $1`, [w.hubHousehold]);
    await t.fx.sql(`update household set status = 'ON_HOLD' where id = $1`, [w.satB]);
    expect(codes(await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(5), end: day(7) }))).toEqual(['NOT_APPROVED']);
    await t.fx.sql(`update household set status = 'APPROVED' where id = $1`, [w.satB]);
    expect((await decide(t, w.liaison.token, 'confirm', waiting)).sleepover.status).toBe('CONFIRMED');
  });

  test('a confirmed sleepover whose last night is past reads (and filters) as COMPLETED; one under way is cut short when cancelled', async () => {
    const [d0, d1, d2, d3, d4] = [day(0), day(1), day(2), day(3), day(4)];
    const a = sid(await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA], start: d1, end: d3 }));
    const b = sid(await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: d0, end: d4 }));
    const waiting = sid(await ask(t, w.carerA.token, { k: w.k, children: [w.childA2], start: d1, end: d2 }));
    const list = (status: string | string[]) =>
      t.gql(`query($f: SleepoverFilter) { sleepovers(filter: $f) { totalCount edges { node { id status endDate } } } }`, { f: { status } }, { token: w.liaison.token });

    setClock(() => new Date(`${d2}T10:00:00Z`));
    expect(codes(await decide(t, w.hubCarer.token, 'confirm', waiting))).toEqual(['INVALID_STATE']); // its night has passed
    // b is under way: cancelling it now keeps the nights used and frees the rest.
    const cut = await decide(t, w.hubCarer.token, 'cancel', b, { reason: 'Went home early' });
    expect(cut.sleepover).toMatchObject({ status: 'COMPLETED', endDate: d2, nights: 2, beds: [2], decisionReason: 'Went home early' });
    expect((await availability(t, w.liaison.token, w.k, d0, d4)).map((n) => n.bedsBooked)).toEqual([1, 2, 1, 0]);

    setClock(() => new Date(`${d3}T10:00:00Z`));
    const completed = (await list('COMPLETED')).data.sleepovers;
    expect(completed.edges.map((e: any) => e.node.id).sort()).toEqual([a, b].sort());
    expect((await list('CONFIRMED')).data.sleepovers.totalCount).toBe(0);
    // Asked for together, the two read from one stored status: no date decides between them.
    const either = (await list(['CONFIRMED', 'COMPLETED'])).data.sleepovers;
    expect(either.edges.map((e: any) => [e.node.id, e.node.status]).sort()).toEqual(
      [
        [a, 'COMPLETED'],
        [b, 'COMPLETED'],
      ].sort(),
    );
    expect(either.totalCount).toBe(2);
    expect((await list(['CONFIRMED', 'REQUESTED'])).data.sleepovers.edges.map((e: any) => e.node.status)).not.toContain('COMPLETED');
    expect(codes(await decide(t, w.hubCarer.token, 'cancel', a))).toEqual(['INVALID_STATE']);
  });
});

function addTwo(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 2);
  return d.toISOString().slice(0, 10);
}
