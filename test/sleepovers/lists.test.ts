import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { ask, decide } from './support';

/** Who sees which sleepovers, and how much of each; lists, filters and pages. */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const s: Record<string, string> = {};
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  const hillChild = await t.fx.child(w.org, { firstName: 'Hal' });
  await t.fx.placement(w.org, hillChild, w.sat2);
  // Alder House: one confirmed, one waiting, one declined; Birch House: one confirmed; Hillside: one confirmed.
  s.alderConfirmed = (await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(2), end: day(4), notes: 'Amy: inhaler' })).sleepover.id;
  await decide(t, w.hubCarer.token, 'confirm', s.alderConfirmed);
  s.alderWaiting = (await ask(t, w.carerA.token, { k: w.k, children: [w.childA2], start: day(6), end: day(7) })).sleepover.id;
  s.alderDeclined = (await ask(t, w.carerA.token, { k: w.k, children: [w.childA2], start: day(1), end: day(2) })).sleepover.id;
  await decide(t, w.hubCarer.token, 'decline', s.alderDeclined, { reason: 'Hub poorly' });
  s.birch = (await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(1), end: day(3) })).sleepover.id;
  s.hill = (await ask(t, w.manager.token, { k: w.k2, children: [hillChild], start: day(5), end: day(6) })).sleepover.id;
});
afterAll(async () => t.stop());

const LIST = `query($f: SleepoverFilter, $first: Int, $after: String) { sleepovers(first: $first, after: $after, filter: $f) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id startDate status } } } }`;
const ids = (r: any) => r.data.sleepovers.edges.map((e: any) => e.node.id);
const name = (id: string) => Object.entries(s).find(([, v]) => v === id)?.[0];
const names = (r: any) => ids(r).map(name);

test('Query.sleepovers: a carer their household’s, the hub carer and liaison worker their constellation’s, org-wide staff all', async () => {
  const as = async (token: string | null) => names(await t.gql(LIST, {}, { token }));
  // Ordered by startDate, then createdAt.
  expect(await as(w.carerA.token)).toEqual(['alderDeclined', 'alderConfirmed', 'alderWaiting']);
  expect(await as(w.carerB.token)).toEqual(['birch']);
  expect(await as(w.carer2.token)).toEqual(['hill']);
  expect(await as(w.loneCarer.token)).toEqual([]);
  expect(await as(w.hubCarer.token)).toEqual(['alderDeclined', 'birch', 'alderConfirmed', 'alderWaiting']);
  expect(await as(w.liaison.token)).toEqual(['alderDeclined', 'birch', 'alderConfirmed', 'alderWaiting']);
  expect(await as(w.otherLiaison.token)).toEqual(['hill']);
  for (const staff of [w.ssw, w.manager, w.admin]) expect(await as(staff.token)).toEqual(['alderDeclined', 'birch', 'alderConfirmed', 'hill', 'alderWaiting']);
  expect(await as(w.foreignAdmin.token)).toEqual([]);
  const anonymous = await t.gql(LIST, {});
  expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('a satellite carer sees other households’ sleepovers only as booked nights', async () => {
  const q = `query($id: ID!) { node(id: $id) { ... on Constellation { sleepovers { totalCount edges { node {
    id status startDate endDate nights beds childCount children { firstName } household { name } requestedBy { name } notes decisionReason } } } } } }`;
  const r = await t.gql(q, { id: gid('Constellation', w.k) }, { token: w.carerB.token });
  expect(r.errors).toBeUndefined();
  const nodes = r.data.node.sleepovers.edges.map((e: any) => e.node);
  expect(nodes.map((n: any) => name(n.id))).toEqual(['birch', 'alderConfirmed']); // not Alder's waiting or declined ones
  expect(nodes[1]).toEqual({
    id: s.alderConfirmed,
    status: 'CONFIRMED',
    startDate: day(2),
    endDate: day(4),
    nights: 2,
    beds: [1],
    childCount: 1,
    children: null,
    household: null,
    requestedBy: null,
    notes: null,
    decisionReason: null,
  });
  expect(nodes[0]).toMatchObject({ children: [{ firstName: 'Ben' }], household: { name: 'Birch House' }, requestedBy: { name: 'Helen Hub' } });
  // The hub carer sees the lot, with notes and the requester.
  const hub = await t.gql(q, { id: gid('Constellation', w.k) }, { token: w.hubCarer.token });
  const amy = hub.data.node.sleepovers.edges.map((e: any) => e.node).find((n: any) => n.id === s.alderConfirmed);
  expect(amy).toMatchObject({ children: [{ firstName: 'Amy' }], household: { name: 'Alder House' }, requestedBy: { name: 'Ann Alder' }, notes: 'Amy: inhaler' });
  const declined = hub.data.node.sleepovers.edges.map((e: any) => e.node).find((n: any) => n.id === s.alderDeclined);
  expect(declined).toMatchObject({ status: 'DECLINED', decisionReason: 'Hub poorly', beds: null });
  // node(id:) agrees: another household's request reads like an unknown id.
  const node = `query($id: ID!) { node(id: $id) { id ... on Sleepover { children { firstName } } } }`;
  expect((await t.gql(node, { id: s.alderWaiting }, { token: w.carerB.token })).data.node).toBeNull();
  expect((await t.gql(node, { id: s.alderConfirmed }, { token: w.carerB.token })).data.node).toEqual({ id: s.alderConfirmed, children: null });
  expect((await t.gql(node, { id: s.alderConfirmed }, { token: w.carer2.token })).data.node).toBeNull();
  expect((await t.gql(node, { id: s.alderConfirmed }, { token: w.foreignAdmin.token })).data.node).toBeNull();
  // Nor can they find out whom a booking is for by filtering on a child.
  const byChild = await t.gql(
    q.replace('sleepovers {', 'sleepovers(filter: { childId: $child }) {').replace('query($id: ID!)', 'query($id: ID!, $child: ID)'),
    { id: gid('Constellation', w.k), child: gid('Child', w.childA) },
    { token: w.carerB.token },
  );
  expect(byChild.data.node.sleepovers.totalCount).toBe(0);
});

test('filters: status, nights in [from, to), child', async () => {
  const as = async (f: object) => names(await t.gql(LIST, { f }, { token: w.liaison.token }));
  expect(await as({ status: ['REQUESTED'] })).toEqual(['alderWaiting']);
  expect(await as({ status: ['CONFIRMED', 'DECLINED'] })).toEqual(['alderDeclined', 'birch', 'alderConfirmed']);
  expect(await as({ status: ['COMPLETED'] })).toEqual([]);
  expect(await as({ from: day(3), to: day(6) })).toEqual(['alderConfirmed']); // birch's last night is day(2); alderWaiting starts on day(6)
  expect(await as({ from: day(2) })).toEqual(['birch', 'alderConfirmed', 'alderWaiting']);
  expect(await as({ to: day(2) })).toEqual(['alderDeclined', 'birch']);
  expect(await as({ childId: gid('Child', w.childA2) })).toEqual(['alderDeclined', 'alderWaiting']);
  expect(await as({ childId: 'nonsense' })).toEqual([]);
  const bad = await t.gql(LIST, { f: { from: day(5), to: day(1) } }, { token: w.liaison.token });
  expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('pages: first/after cursors, at most 100', async () => {
  const p1 = await t.gql(LIST, { first: 2 }, { token: w.manager.token });
  expect(names(p1)).toEqual(['alderDeclined', 'birch']);
  expect(p1.data.sleepovers).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
  const p2 = await t.gql(LIST, { first: 2, after: p1.data.sleepovers.pageInfo.endCursor }, { token: w.manager.token });
  expect(names(p2)).toEqual(['alderConfirmed', 'hill']);
  const p3 = await t.gql(LIST, { first: 2, after: p2.data.sleepovers.pageInfo.endCursor }, { token: w.manager.token });
  expect(names(p3)).toEqual(['alderWaiting']);
  expect(p3.data.sleepovers.pageInfo.hasNextPage).toBe(false);
  expect((await t.gql(LIST, { first: 101 }, { token: w.manager.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  const forged = Buffer.from(JSON.stringify(['2026-01-01', "x'; drop table sleepover", 'y'])).toString('base64url');
  expect((await t.gql(LIST, { after: forged }, { token: w.manager.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('statements follow the query’s shape, not the number of constellations or sleepovers', async () => {
  const q = `{ constellations { edges { node { name availability(from: "${day(0)}", to: "${day(14)}") { bedsFree }
    sleepovers(first: 10) { totalCount edges { node { status beds childCount children { firstName } household { name } requestedBy { name } constellation { name } } } } } } } }`;
  const before = await t.gql(q, {}, { token: w.manager.token });
  expect(before.errors).toBeUndefined();
  expect(before.statements).toBeGreaterThan(0);
  // A third constellation with sleepovers of its own.
  const hub3 = await t.fx.household(w.org, { name: 'Third Hub' });
  const sat3 = await t.fx.household(w.org, { name: 'Third Side' });
  const k3 = await t.fx.constellation(w.org, hub3, { name: 'Thirdwood' });
  await t.fx.member(w.org, k3, sat3);
  for (let i = 0; i < 3; i++) {
    const c = await t.fx.child(w.org, { firstName: `T${i}` });
    await t.fx.placement(w.org, c, sat3);
    expect((await ask(t, w.manager.token, { k: k3, children: [c], start: day(1 + i), end: day(2 + i) })).userErrors).toEqual([]);
  }
  const after = await t.gql(q, {}, { token: w.manager.token });
  expect(after.data.constellations.edges).toHaveLength(3);
  expect(after.statements).toBe(before.statements);
});
