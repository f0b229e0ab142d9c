import { stabilityReport } from '../../src/stability/stability.service';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';

/**
 * The stability figures through the API: who may read which report, the period rules, and that
 * the API gives exactly what the service computes (the service's own tests pin the definitions).
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const from = day(-365);
const to = day(0);
const FIGURES = `from to scope childrenLookedAfter childrenWithThreeOrMorePlacements threeOrMorePlacementsRate longTermEligible longTermStable
  longTermStabilityRate placementEndings unplannedEndings sleepoverNightsUsed householdsAtStart householdsDeregistered carerRetentionRate`;
const REPORT = `query($k: ID, $from: Date!, $to: Date!, $scope: StabilityScopeKind) {
  stabilityReport(constellationId: $k, from: $from, to: $to, scope: $scope) {
    ${FIGURES} constellation { name }
    childrenWithThreeOrMorePlacementsList { firstName reference }
    childrenWithUnplannedEndings { firstName }
  } }`;

beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  // Ben has moved three times this year, the last move unplanned.
  await t.fx.sql(`delete from placement where child_id = $1`, [w.childB]);
  await t.fx.placement(w.org, w.childB, w.lone, day(-300), day(-200), { unplanned: true, reason: 'CREQB' });
  await t.fx.placement(w.org, w.childB, null, day(-200), day(-100), { setting: 'RESIDENTIAL', provider: 'Oak House' });
  await t.fx.placement(w.org, w.childB, w.satB, day(-100));
});
afterAll(async () => t.stop());

const report = (token: string | null, vars: Record<string, unknown>) => t.gql(REPORT, { from, to, ...vars }, { token });

test('the organisation report equals the service, with the children behind the figures for staff', async () => {
  const r = await report(w.manager.token, {});
  expect(r.errors).toBeUndefined();
  const expected = await stabilityReport(t.db.orm.em.fork(), { organisationId: w.org, scope: { kind: 'ORGANISATION' }, from, to });
  const got = r.data.stabilityReport;
  for (const k of [
    'childrenLookedAfter',
    'childrenWithThreeOrMorePlacements',
    'longTermEligible',
    'longTermStable',
    'placementEndings',
    'unplannedEndings',
    'sleepoverNightsUsed',
    'householdsAtStart',
    'householdsDeregistered',
  ] as const) {
    expect([k, got[k]]).toEqual([k, expected[k]]);
  }
  expect(got.scope).toBe('ORGANISATION');
  expect(got.childrenWithThreeOrMorePlacements).toBe(1);
  expect(got.childrenWithThreeOrMorePlacementsList.map((c: any) => c.firstName)).toEqual(['Ben']);
  expect(got.childrenWithUnplannedEndings.map((c: any) => c.firstName)).toEqual(['Ben']);
});

test('the comparison scope: households in no constellation', async () => {
  const r = await report(w.manager.token, { scope: 'NO_CONSTELLATION' });
  expect(r.errors).toBeUndefined();
  const expected = await stabilityReport(t.db.orm.em.fork(), { organisationId: w.org, scope: { kind: 'NO_CONSTELLATION' }, from, to });
  expect(r.data.stabilityReport.scope).toBe('NO_CONSTELLATION');
  expect(r.data.stabilityReport.childrenLookedAfter).toBe(expected.childrenLookedAfter);
  expect(r.data.stabilityReport.householdsAtStart).toBe(expected.householdsAtStart);
});

test.each([
  ['admin', true, true, () => w.admin.token],
  ['manager', true, true, () => w.manager.token],
  ['supervising social worker', true, true, () => w.ssw.token],
  ['liaison worker of Riverside', false, true, () => w.liaison.token],
  ['liaison worker of Hillside', false, false, () => w.otherLiaison.token],
  ['hub carer of Riverside', false, true, () => w.hubCarer.token!],
  ['carer in Riverside', false, false, () => w.carerA.token!],
  ['carer in Hillside', false, false, () => w.carer2.token!],
  ['admin of another organisation', true, false, () => w.foreignAdmin.token],
])('%s: organisation report %p, Riverside report %p', async (_who, orgReport, riverside, token) => {
  const org = await report(token(), {});
  expect(org.errors).toBeUndefined();
  expect(org.data.stabilityReport !== null).toBe(orgReport);
  const k = await report(token(), { k: gid('Constellation', w.k) });
  expect(k.errors).toBeUndefined();
  expect(k.data.stabilityReport !== null).toBe(riverside);
  const field = await t.gql(
    `query($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Constellation { stability(from: $from, to: $to) { childrenLookedAfter } } } }`,
    { id: gid('Constellation', w.k), from, to },
    { token: token() },
  );
  expect(field.errors).toBeUndefined();
  expect((field.data.node?.stability ?? null) !== null).toBe(riverside);
});

test('the hub carer reads the figures but not the children behind them', async () => {
  const r = await report(w.hubCarer.token, { k: gid('Constellation', w.k) });
  expect(r.data.stabilityReport.constellation.name).toBe('Riverside');
  expect(r.data.stabilityReport.childrenWithThreeOrMorePlacementsList).toBeNull();
  expect(r.data.stabilityReport.childrenWithUnplannedEndings).toBeNull();
});

test('bad periods and unknown constellations', async () => {
  const codes = async (vars: Record<string, unknown>) => (await report(w.manager.token, vars)).errors?.map((e) => e.extensions?.code);
  expect(await codes({ from: to, to: from })).toEqual(['BAD_USER_INPUT']);
  expect(await codes({ from: day(-6 * 365), to })).toEqual(['BAD_USER_INPUT']);
  expect(await codes({ from: '2015-02-30' })).toEqual(['BAD_USER_INPUT']);
  expect(await codes({ scope: 'CONSTELLATION' })).toEqual(['BAD_USER_INPUT']);
  const unknown = await report(w.manager.token, { k: gid('Constellation', '00000000-0000-4000-8000-000000000000') });
  expect(unknown.data.stabilityReport).toBeNull();
  const foreign = await report(w.foreignAdmin.token, { k: gid('Constellation', w.k) });
  expect(foreign.data.stabilityReport).toBeNull();
  const wrongType = await report(w.manager.token, { k: gid('Household', w.satA) });
  expect(wrongType.data.stabilityReport).toBeNull();
});

test('Child.stability: staff see it, carers see null; one statement for many children', async () => {
  const q = `{ children(first: 50) { edges { node { firstName stability { placementsInLast12Months daysInCurrentPlacement unplannedEndingsInLast12Months } } } } }`;
  const staff = await t.gql(q, {}, { token: w.manager.token });
  expect(staff.errors).toBeUndefined();
  const ben = staff.data.children.edges.find((e: any) => e.node.firstName === 'Ben').node.stability;
  expect(ben).toEqual({ placementsInLast12Months: 3, daysInCurrentPlacement: 100, unplannedEndingsInLast12Months: 1 });
  const carer = await t.gql(q, {}, { token: w.carerA.token! });
  expect(carer.data.children.edges.every((e: any) => e.node.stability === null)).toBe(true);
  const without = await t.gql(`{ children(first: 50) { edges { node { firstName } } } }`, {}, { token: w.manager.token });
  expect(staff.statements - without.statements).toBe(1);
});
