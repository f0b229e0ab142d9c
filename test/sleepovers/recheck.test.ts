import { startTestApp, type TestApp } from '../support/app';
import { idOf } from '../../src/platform/graphql/ids';
import { day, gid } from '../support/fixtures';

/**
 * Confirmed nights judged again when the hub household changes under them, over HTTP: a narrower
 * approval or status is refused naming the sleepovers and nights.
 */
let t: TestApp;
let org: string;
let manager: { id: string; token: string };
let ssw: { id: string; token: string };
beforeAll(async () => {
  t = await startTestApp();
  org = await t.fx.organisation('Recheck Council');
  manager = await t.fx.user(org, 'FOSTERING_MANAGER');
  ssw = await t.fx.user(org, 'SUPERVISING_SOCIAL_WORKER');
});
afterAll(async () => t.stop());

const ERRORS = 'userErrors { code message field subjectIds dates }';
const SLEEPOVER = 'id status startDate endDate decisionReason';
const REQUEST = `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { ${SLEEPOVER} } ${ERRORS} } }`;
const UPDATE_HOUSEHOLD = `mutation($i: UpdateHouseholdInput!) { updateHousehold(input: $i) { household { id status } ${ERRORS} } }`;
const KINDS = ['SHORT_TERM', 'LONG_TERM', 'EMERGENCY', 'RESPITE'];

interface Hub {
  k: string;
  hub: string;
  sat: string;
  liaison: { id: string; token: string };
  satCarer: string;
}

async function makeHub(opts: { beds?: number; maxAge?: number; maxChildren?: number; own?: number } = {}): Promise<Hub> {
  const liaison = await t.fx.user(org, 'LIAISON_WORKER');
  const hub = await t.fx.household(org, { name: 'Hub', minAge: 0, maxAge: opts.maxAge ?? 17, maxChildren: opts.maxChildren ?? 6 });
  const k = await t.fx.constellation(org, hub, { beds: opts.beds ?? 3, liaison: liaison.id });
  const sat = await t.fx.household(org, { name: 'Satellite', maxChildren: 6 });
  await t.fx.member(org, k, sat);
  const satCarer = (await t.fx.carer(org, sat)).userId!;
  for (let i = 0; i < (opts.own ?? 0); i++) await t.fx.placement(org, await t.fx.child(org, { firstName: `Own${i}` }), hub);
  return { k, hub, sat, liaison, satCarer };
}

async function kid(h: Hub, opts: { name?: string; years?: number; household?: string } = {}): Promise<string> {
  const c = await t.fx.child(org, { firstName: opts.name ?? 'Kid', dob: day(-Math.round((opts.years ?? 9) * 365.25) - 10), consent: 'OTHER_CHILDREN' });
  await t.fx.placement(org, c, opts.household ?? h.sat);
  return c;
}

async function gql(doc: string, i: Record<string, unknown>, token: string) {
  const r = await t.gql(doc, { i }, { token });
  expect(r.errors).toBeUndefined();
  return Object.values(r.data)[0] as any;
}

const ask = (h: Hub, token: string, children: string[], start: number, end: number) =>
  gql(REQUEST, { constellationId: gid('Constellation', h.k), childIds: children.map((c) => gid('Child', c)), startDate: day(start), endDate: day(end) }, token);
/** Booked on the spot by the liaison worker: CONFIRMED. */
async function booked(h: Hub, children: string[], start: number, end: number): Promise<string> {
  const r = await ask(h, h.liaison.token, children, start, end);
  expect(r.userErrors).toEqual([]);
  expect(r.sleepover.status).toBe('CONFIRMED');
  return r.sleepover.id;
}
const approval = (over: Record<string, unknown>) => ({ minAge: 0, maxAge: 17, maxChildren: 6, kinds: KINDS, ...over });
const statusOf = async (id: string) => (await t.fx.sql(`select status, end_date, decision_reason from sleepover where id = $1`, [idOf('Sleepover', id)]))[0];
describe("reducing the hub household's approval", () => {
  test('ages or number that no longer fit a future confirmed night are refused with the sleepovers and nights; nothing changes', async () => {
    const h = await makeHub({ own: 1 });
    const a = await kid(h, { name: 'Ada', years: 9 });
    const b = await kid(h, { name: 'Ben', years: 14 });
    const s1 = await booked(h, [a], 1, 3);
    const s2 = await booked(h, [b], 2, 5);
    const young = await gql(UPDATE_HOUSEHOLD, { householdId: gid('Household', h.hub), approval: approval({ maxAge: 12 }) }, manager.token);
    expect(young.userErrors).toEqual([expect.objectContaining({ code: 'OUTSIDE_APPROVAL', field: ['input', 'approval'], subjectIds: [s2], dates: [day(2), day(3), day(4)] })]);
    const stored = await t.fx.sql(`select approval_max_age, approval_max_children from household where id = $1`, [h.hub]);
    expect(stored).toEqual([{ approval_max_age: 17, approval_max_children: 6 }]);
    // One child of its own and two sleeping over on day 2: three is over an approval for two.
    const fewer = await gql(UPDATE_HOUSEHOLD, { householdId: gid('Household', h.hub), approval: approval({ maxChildren: 2 }) }, manager.token);
    expect(fewer.userErrors).toEqual([expect.objectContaining({ code: 'NO_VACANCY', subjectIds: expect.arrayContaining([s1, s2]), dates: [day(2)] })]);
    expect(fewer.userErrors[0].subjectIds).toHaveLength(2);
    // Not APPROVED any more (temporary approval is for a named child, not for a hub).
    const temp = await gql(UPDATE_HOUSEHOLD, { householdId: gid('Household', h.hub), status: 'TEMPORARILY_APPROVED' }, manager.token);
    expect(temp.userErrors).toEqual([expect.objectContaining({ code: 'NOT_APPROVED', field: ['input', 'status'], dates: [day(1), day(2), day(3), day(4)] })]);
    expect((await statusOf(s1)).status).toBe('CONFIRMED');
    // What still fits passes, kinds included.
    const ok = await gql(UPDATE_HOUSEHOLD, { householdId: gid('Household', h.hub), approval: approval({ maxAge: 15, maxChildren: 3, kinds: ['RESPITE'] }) }, manager.token);
    expect(ok.userErrors).toEqual([]);
  });

  test('put on hold: the existing cascade cancels what it would host, nothing is refused', async () => {
    const h = await makeHub();
    const a = await kid(h, { name: 'Cal' });
    const s = await booked(h, [a], 1, 3);
    const held = await gql(UPDATE_HOUSEHOLD, { householdId: gid('Household', h.hub), status: 'ON_HOLD' }, manager.token);
    expect(held.userErrors).toEqual([]);
    expect(held.household.status).toBe('ON_HOLD');
    expect((await statusOf(s)).status).toBe('CANCELLED');
  });
});
