import { EndPlacementDocument, HouseholdNodeDocument, StartPlacementDocument, type StartPlacementInput } from '../generated/graphql';
import { endPlacement, startPlacement } from '../../src/placements/placement.service';
import { recordCascades } from '../support/cascades';
import { startTestApp, type TestApp } from '../support/app';
import { RANDOM_UUID, errorsOf } from '../support/errors';
import { day, gid } from '../support/fixtures';
import { runAs } from '../support/service';
import { auditOfRequest, dbState, expectNothingWritten } from '../support/state';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const events = recordCascades();
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const C = (id: string) => gid('Child', id);
const H = (id: string) => gid('Household', id);
const P = (id: string) => gid('Placement', id);
const start = (input: StartPlacementInput, token = w.ssw.token, headers?: Record<string, string>) => t.op(StartPlacementDocument, { input }, { token, headers });
const end = (placementId: string, o: { endDate?: string; reason?: any; unplanned?: boolean } = {}, token = w.ssw.token, headers?: Record<string, string>) =>
  t.op(EndPlacementDocument, { input: { placementId, endDate: o.endDate ?? day(0), reason: o.reason ?? 'CARPL', unplanned: o.unplanned ?? false } }, { token, headers });
/** A household approved from day(-1000) for ages 0–17, the usual kinds, `maxChildren` places. */
const household = (o: Parameters<TestApp['fx']['household']>[1] = {}) => t.fx.household(w.org, { maxChildren: 2, ...o });
const refused = async (input: StartPlacementInput, expected: string[], token = w.ssw.token) => {
  const r = await expectNothingWritten(t, () => start(input, token));
  expect(r.data.startPlacement.placement).toBeNull();
  expect(errorsOf(r.data.startPlacement.userErrors)).toEqual(expected);
  return r.data.startPlacement.userErrors;
};

describe('startPlacement over HTTP', () => {
  test('places a child with an approved household with a place free; audited in the same transaction', async () => {
    const h = await household({ name: 'Willow House' });
    const c = await t.fx.child(w.org, { firstName: 'Wren' });
    const r = await start({ childId: C(c), householdId: H(h), kind: 'LONG_TERM', startDate: day(-3) }, w.ssw.token, { 'x-request-id': 'pl-start-1' });
    expect(r.data.startPlacement.userErrors).toEqual([]);
    const pl = r.data.startPlacement.placement!;
    expect(pl).toMatchObject({
      setting: 'FOSTER_HOUSEHOLD',
      kind: 'LONG_TERM',
      startDate: day(-3),
      endDate: null,
      endReason: null,
      unplanned: null,
      child: { id: C(c), firstName: 'Wren' },
      household: { id: H(h), name: 'Willow House' },
    });
    const hh = (await t.op(HouseholdNodeDocument, { id: H(h) }, { token: w.ssw.token })).data.node as any;
    expect(hh.currentPlacements.map((x: any) => x.id)).toEqual([pl.id]);
    expect(hh.vacancies).toBe(1);
    const [audit] = await auditOfRequest(t, 'pl-start-1');
    expect(audit).toMatchObject({ action: 'Placement.start', subject_id: pl.id, actor_id: w.ssw.id });
    const [same] = await t.fx.sql(`select p.created_at = a.at as same from placement p, audit_event a where p.child_id = $1 and a.id = $2`, [c, audit.id]);
    expect(same.same).toBe(true);
  });

  test('NOT_APPROVED: in assessment, on hold, approved after the start date, deregistered by then', async () => {
    const c = await t.fx.child(w.org);
    const inAssessment = await household({ status: 'IN_ASSESSMENT' });
    const onHold = await household({ status: 'ON_HOLD', minAge: 0, approvedOn: day(-500) });
    const approvedLater = await household({ approvedOn: day(-10) });
    const deregistered = await household();
    await t.fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'RETIREMENT' where id = $1`, [deregistered, day(-20)]);
    for (const h of [inAssessment, onHold, approvedLater, deregistered]) {
      const [e] = await refused({ childId: C(c), householdId: H(h), kind: 'LONG_TERM', startDate: day(-15) }, ['NOT_APPROVED input.householdId']);
      expect(e.message).toMatch(new RegExp(day(-15)));
    }
  });

  test("OUTSIDE_APPROVAL: the child's age on the start date, and the kind", async () => {
    const h = await household({ minAge: 5, maxAge: 10, kinds: ['SHORT_TERM'] });
    const tooYoung = await t.fx.child(w.org, { dob: day(-4 * 365) });
    const tooOld = await t.fx.child(w.org, { dob: day(-12 * 365) });
    const fits = await t.fx.child(w.org, { dob: day(-7 * 365) });
    await refused({ childId: C(tooYoung), householdId: H(h), kind: 'SHORT_TERM', startDate: day(0) }, ['OUTSIDE_APPROVAL input.childId']);
    await refused({ childId: C(tooOld), householdId: H(h), kind: 'SHORT_TERM', startDate: day(0) }, ['OUTSIDE_APPROVAL input.childId']);
    await refused({ childId: C(fits), householdId: H(h), kind: 'LONG_TERM', startDate: day(0) }, ['OUTSIDE_APPROVAL input.kind']);
    // Twelve now, but ten on a start date two years ago: within the approval then (past dates allowed).
    const ok = await start({ childId: C(tooOld), householdId: H(h), kind: 'SHORT_TERM', startDate: day(-2 * 365 - 5) });
    expect(ok.data.startPlacement.userErrors).toEqual([]);
  });

  test('NO_VACANCY: every place taken on some day from the start date', async () => {
    const h = await household({ maxChildren: 1 });
    const first = await t.fx.child(w.org);
    const second = await t.fx.child(w.org);
    await t.fx.placement(w.org, first, h, day(-30));
    await refused({ childId: C(second), householdId: H(h), kind: 'SHORT_TERM', startDate: day(0) }, ['NO_VACANCY input.householdId']);
    // Before the first child arrived there was a place, but not on every day from then on.
    await refused({ childId: C(second), householdId: H(h), kind: 'SHORT_TERM', startDate: day(-60) }, ['NO_VACANCY input.householdId']);
  });

  test("OVERLAP: a child's placements never overlap (checked by the exclusion constraint)", async () => {
    const h = await household();
    const [e] = await refused({ childId: C(w.childLone), householdId: H(h), kind: 'LONG_TERM', startDate: day(0) }, ['OVERLAP input.startDate']);
    expect(e.message).toMatch(/overlap/i);
    await expect(
      t.fx.sql(`insert into placement (organisation_id, child_id, setting, provider_name, kind, start_date) values ($1, $2, 'RESIDENTIAL', 'Somewhere', 'LONG_TERM', $3)`, [
        w.org,
        w.childLone,
        day(5),
      ]),
    ).rejects.toMatchObject({ constraint: 'placement_child_no_overlap' });
  });

  test('a hub household is refused unless a manager gives hubOverrideReason', async () => {
    const c = await t.fx.child(w.org);
    const input = { childId: C(c), householdId: H(w.hubHousehold), kind: 'SHORT_TERM' as const, startDate: day(0) };
    await refused(input, ['INVALID_STATE input.hubOverrideReason'], w.manager.token);
    await refused({ ...input, hubOverrideReason: '   ' }, ['INVALID_STATE input.hubOverrideReason'], w.manager.token);
    await refused({ ...input, hubOverrideReason: 'Sibling group, no other bed tonight.' }, ['FORBIDDEN input.hubOverrideReason'], w.ssw.token);
    const r = await start({ ...input, hubOverrideReason: 'Sibling group, no other bed tonight.' }, w.manager.token);
    expect(r.data.startPlacement.userErrors).toEqual([]);
    const [row] = await t.fx.sql(`select hub_override_reason from placement where child_id = $1`, [c]);
    expect(row.hub_override_reason).toBe('Sibling group, no other bed tonight.');
  });

  test('every rule broken is listed at once; nothing is written', async () => {
    const h = await household({ minAge: 0, maxAge: 5, maxChildren: 1, kinds: ['RESPITE'], approvedOn: day(10) });
    await t.fx.placement(w.org, await t.fx.child(w.org), h, day(-5));
    const [e1, e2, e3, e4, e5] = await refused({ childId: C(w.childLone), householdId: H(h), kind: 'LONG_TERM', startDate: day(0) }, [
      'NOT_APPROVED input.householdId',
      'OUTSIDE_APPROVAL input.childId',
      'OUTSIDE_APPROVAL input.kind',
      'NO_VACANCY input.householdId',
      'OVERLAP input.startDate',
    ]);
    expect([e1, e2, e3, e4, e5].every((e) => e.message.length > 10)).toBe(true);
    expect(e2.message).toMatch(/ages 0–5; the child is 1\d on /);
  });

  test('placements elsewhere need no household, and may not name one', async () => {
    const c = await t.fx.child(w.org);
    const r = await start({ childId: C(c), setting: 'RESIDENTIAL', providerName: "Hilltop Children's Home", kind: 'LONG_TERM', startDate: day(-100) });
    expect(r.data.startPlacement.userErrors).toEqual([]);
    expect(r.data.startPlacement.placement).toMatchObject({ setting: 'RESIDENTIAL', household: null, providerName: "Hilltop Children's Home" });
    const other = await t.fx.child(w.org);
    await refused({ childId: C(other), setting: 'WITH_PARENTS', householdId: H(w.lone), kind: 'LONG_TERM', startDate: day(0) }, ['INVALID_INPUT input.householdId']);
    await refused({ childId: C(other), kind: 'LONG_TERM', startDate: day(0) }, ['INVALID_INPUT input.householdId']);
  });

  test('refusals: before birth, unknown or foreign ids, roles without the right', async () => {
    const h = await household();
    const c = await t.fx.child(w.org, { dob: day(-100) });
    await refused({ childId: C(c), householdId: H(h), kind: 'EMERGENCY', startDate: day(-101) }, ['INVALID_INPUT input.startDate']);
    await refused({ childId: C(w.foreignChild), householdId: H(h), kind: 'EMERGENCY', startDate: day(0) }, ['NOT_FOUND input.childId']);
    await refused({ childId: C(c), householdId: H(w.foreignHousehold), kind: 'EMERGENCY', startDate: day(0) }, ['NOT_FOUND input.householdId']);
    await refused({ childId: H(c), householdId: C(h), kind: 'EMERGENCY', startDate: day(0) }, ['NOT_FOUND input.childId', 'NOT_FOUND input.householdId']);
    await refused({ childId: C(RANDOM_UUID), householdId: H(h), kind: 'EMERGENCY', startDate: day(0) }, ['NOT_FOUND input.childId']);
    for (const token of [w.liaison.token, w.hubCarer.token!, w.carerA.token!]) {
      await refused({ childId: C(c), householdId: H(h), kind: 'EMERGENCY', startDate: day(0) }, ['FORBIDDEN '], token);
    }
  });
});

describe('endPlacement over HTTP', () => {
  test('records the end date, reason and unplanned flag; the place frees up; audited', async () => {
    const h = await household({ maxChildren: 1 });
    const c = await t.fx.child(w.org);
    const pl = await t.fx.placement(w.org, c, h, day(-40));
    const r = await end(P(pl), { endDate: day(-1), reason: 'CREQB', unplanned: true }, w.ssw.token, { 'x-request-id': 'pl-end-1' });
    expect(r.data.endPlacement.userErrors).toEqual([]);
    expect(r.data.endPlacement.placement).toMatchObject({ id: P(pl), startDate: day(-40), endDate: day(-1), endReason: 'CREQB', unplanned: true });
    expect(await auditOfRequest(t, 'pl-end-1')).toEqual([
      expect.objectContaining({ action: 'Placement.end', subject_id: P(pl), summary: expect.objectContaining({ reason: 'CREQB', unplanned: true }) }),
    ]);
    const hh = (await t.op(HouseholdNodeDocument, { id: H(h) }, { token: w.ssw.token })).data.node as any;
    expect(hh).toMatchObject({ currentPlacements: [], vacancies: 1 });
    // Half-open: the child may start somewhere else on the day they moved on, not the day before.
    const next = await household();
    await refused({ childId: C(c), householdId: H(next), kind: 'LONG_TERM', startDate: day(-2) }, ['OVERLAP input.startDate']);
    const moved = await start({ childId: C(c), householdId: H(next), kind: 'LONG_TERM', startDate: day(-1) });
    expect(moved.data.startPlacement.userErrors).toEqual([]);
  });

  test('an ending raises placementEnded for the child from the end date, in the same transaction', async () => {
    const c = await t.fx.child(w.org);
    const h = await household();
    const pl = await t.fx.placement(w.org, c, h, day(-10));
    events.length = 0;
    await end(P(pl), { endDate: day(3), reason: 'CHILD', unplanned: true });
    expect(events).toEqual([{ kind: 'placementEnded', childId: c, householdId: h, from: day(3), reason: expect.any(String) }]);
    events.length = 0;
    await expectNothingWritten(t, () => end(P(pl), { endDate: day(4) }));
    expect(events).toEqual([]);
  });

  test('the end date must be after the start; an ended placement cannot end again', async () => {
    const c = await t.fx.child(w.org);
    const pl = await t.fx.placement(w.org, c, await household(), day(-10));
    for (const endDate of [day(-10), day(-11)]) {
      const r = await expectNothingWritten(t, () => end(P(pl), { endDate }));
      expect(errorsOf(r.data.endPlacement.userErrors)).toEqual(['INVALID_INPUT input.endDate']);
    }
    expect((await end(P(pl), { endDate: day(-9) })).data.endPlacement.userErrors).toEqual([]);
    const again = await expectNothingWritten(t, () => end(P(pl), { endDate: day(-5) }));
    expect(errorsOf(again.data.endPlacement.userErrors)).toEqual(['INVALID_STATE input.placementId']);
  });

  test('a reason and unplanned are required; unknown, foreign, wrong-type ids are NOT_FOUND; carers may not end placements', async () => {
    for (const q of [
      `mutation { endPlacement(input: { placementId: "${P(w.placementA)}", endDate: "${day(0)}", unplanned: false }) { userErrors { code } } }`,
      `mutation { endPlacement(input: { placementId: "${P(w.placementA)}", endDate: "${day(0)}", reason: CARPL }) { userErrors { code } } }`,
    ]) {
      const r = await expectNothingWritten(t, () => t.gql(q, {}, { token: w.ssw.token }));
      expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const foreignChild = await t.fx.sql(
      `insert into placement (organisation_id, child_id, setting, provider_name, kind, start_date) values ($1, $2, 'RESIDENTIAL', 'X', 'LONG_TERM', $3) returning id`,
      [w.org2, w.foreignChild, day(-5)],
    );
    for (const id of [P(foreignChild[0].id), P(RANDOM_UUID), C(w.placementA), '']) {
      const r = await expectNothingWritten(t, () => end(id));
      expect(errorsOf(r.data.endPlacement.userErrors)).toEqual(['NOT_FOUND input.placementId']);
    }
    const carer = await expectNothingWritten(t, () => end(P(w.placementA), {}, w.carerA.token!));
    expect(errorsOf(carer.data.endPlacement.userErrors)).toEqual(['FORBIDDEN ']);
  });
});

describe('startPlacement rules at the service', () => {
  const run = (input: StartPlacementInput, userId = w.ssw.id) => runAs(t, userId, 'Placement.start', input, (tx) => startPlacement(tx, input as any));

  test('approval on the start date: approvedOn ≤ startDate, deregisteredOn > startDate', async () => {
    const c = await t.fx.child(w.org);
    const h = await household({ approvedOn: day(-50) });
    expect(errorsOf((await run({ childId: C(c), householdId: H(h), kind: 'LONG_TERM', startDate: day(-51) })).userErrors)).toEqual(['NOT_APPROVED input.householdId']);
    const ok = await run({ childId: C(c), householdId: H(h), kind: 'LONG_TERM', startDate: day(-50) });
    expect(ok.userErrors).toEqual([]);

    const c2 = await t.fx.child(w.org);
    const gone = await household({ approvedOn: day(-300) });
    await t.fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'OTHER' where id = $1`, [gone, day(-100)]);
    expect(errorsOf((await run({ childId: C(c2), householdId: H(gone), kind: 'LONG_TERM', startDate: day(-100) })).userErrors)).toEqual(['NOT_APPROVED input.householdId']);
    // Recording history: the day before deregistration it was still approved.
    expect((await run({ childId: C(c2), householdId: H(gone), kind: 'LONG_TERM', startDate: day(-101) })).userErrors).toEqual([]);
  });

  test('age on the start date by UK law (29 February birthdays turn on 1 March)', async () => {
    const h = await household({ minAge: 0, maxAge: 14, approvedOn: '2020-01-01' });
    const leapling = await t.fx.child(w.org, { dob: '2008-02-29' });
    const onTheLastDay = await run({ childId: C(leapling), householdId: H(h), kind: 'LONG_TERM', startDate: '2023-02-28' });
    expect(onTheLastDay.userErrors).toEqual([]);
    const other = await t.fx.child(w.org, { dob: '2008-02-29' });
    const aDayLater = await run({ childId: C(other), householdId: H(h), kind: 'LONG_TERM', startDate: '2023-03-01' });
    expect(errorsOf(aDayLater.userErrors)).toEqual(['OUTSIDE_APPROVAL input.childId']);
    expect(aDayLater.userErrors[0].message).toMatch(/15/);
  });

  test('a place free on every day from the start date, counting placements that start later and not those that ended', async () => {
    const h = await household({ maxChildren: 2 });
    const [a, b, x] = [await t.fx.child(w.org), await t.fx.child(w.org), await t.fx.child(w.org)];
    await t.fx.placement(w.org, a, h, day(10), day(20));
    await t.fx.placement(w.org, b, h, day(15));
    await t.fx.placement(w.org, await t.fx.child(w.org), h, day(-90), day(-1)); // ended yesterday: frees today
    // Today is free, but from day(15) both places are taken.
    expect(errorsOf((await run({ childId: C(x), householdId: H(h), kind: 'SHORT_TERM', startDate: day(0) })).userErrors)).toEqual(['NO_VACANCY input.householdId']);
    // From day(20) child a has moved on, so there is a place on every day from then.
    expect((await run({ childId: C(x), householdId: H(h), kind: 'SHORT_TERM', startDate: day(20) })).userErrors).toEqual([]);
  });

  test('the hub refusal is judged on the start date: not before the household became a hub', async () => {
    const hub = await household();
    await t.fx.constellation(w.org, hub, { joinedOn: day(-30) });
    const c = await t.fx.child(w.org);
    expect(errorsOf((await run({ childId: C(c), householdId: H(hub), kind: 'LONG_TERM', startDate: day(-30) }, w.manager.id)).userErrors)).toEqual(['INVALID_STATE input.hubOverrideReason']);
    const before = await run({ childId: C(c), householdId: H(hub), kind: 'LONG_TERM', startDate: day(-31) }, w.manager.id);
    expect(before.userErrors).toEqual([]);
  });

  test('a refusal inside the transaction leaves nothing, and an audit failure takes the placement with it', async () => {
    const c = await t.fx.child(w.org);
    const h = await household();
    const before = await dbState(t);
    const input = { childId: C(c), householdId: H(h), kind: 'LONG_TERM', startDate: day(0) } as StartPlacementInput;
    // The audit summary cannot be serialised: the audit insert fails, and with it the whole transaction.
    await expect(runAs(t, w.ssw.id, 'Placement.start', input, async (tx) => ({ ...(await startPlacement(tx, input as any)), summary: { broken: BigInt(1) } }))).rejects.toThrow();
    expect(await dbState(t)).toEqual(before);
  });

  test("endPlacement at the service: the child's placement ends, nothing else changes", async () => {
    const c = await t.fx.child(w.org);
    const pl = await t.fx.placement(w.org, c, await household(), day(-10));
    const input = { placementId: P(pl), endDate: day(-2), reason: 'LEFT_CARE', unplanned: false };
    const r = await runAs(t, w.manager.id, 'Placement.end', input, (tx) => endPlacement(tx, input as any));
    expect(r.userErrors).toEqual([]);
    const [row] = await t.fx.sql(`select end_date, end_reason, unplanned from placement where id = $1`, [pl]);
    expect(row).toEqual({ end_date: day(-2), end_reason: 'LEFT_CARE', unplanned: false });
  });
});

describe('races (decided by PostgreSQL: row locks and the exclusion constraint)', () => {
  test('five placements racing for the last place: one wins, the others get NO_VACANCY', async () => {
    const h = await household({ maxChildren: 1 });
    const kids: string[] = [];
    for (let i = 0; i < 5; i++) kids.push(await t.fx.child(w.org));
    const results = await Promise.all(kids.map((c) => start({ childId: C(c), householdId: H(h), kind: 'SHORT_TERM', startDate: day(0) })));
    const outcomes = results.map((r) => errorsOf(r.data.startPlacement.userErrors).join() || 'placed').sort();
    expect(outcomes).toEqual(['NO_VACANCY input.householdId', 'NO_VACANCY input.householdId', 'NO_VACANCY input.householdId', 'NO_VACANCY input.householdId', 'placed']);
    const [{ n }] = await t.fx.sql(`select count(*)::int n from placement where household_id = $1`, [h]);
    expect(n).toBe(1);
    expect(
      (
        await t.fx.sql(`select count(*)::int n from audit_event where action = 'Placement.start' and subject_id = $1`, [
          results.find((r) => r.data.startPlacement.placement)!.data.startPlacement.placement!.id,
        ])
      )[0].n,
    ).toBe(1);
  });

  test('one child placed in two households at once: one wins, the other is an OVERLAP', async () => {
    const c = await t.fx.child(w.org);
    const [a, b] = [await household(), await household()];
    const results = await Promise.all([a, b, a, b].map((h) => start({ childId: C(c), householdId: H(h), kind: 'LONG_TERM', startDate: day(0) })));
    const outcomes = results.map((r) => errorsOf(r.data.startPlacement.userErrors).join() || 'placed').sort();
    expect(outcomes).toEqual(['OVERLAP input.startDate', 'OVERLAP input.startDate', 'OVERLAP input.startDate', 'placed']);
    const [{ n }] = await t.fx.sql(`select count(*)::int n from placement where child_id = $1`, [c]);
    expect(n).toBe(1);
  });
});
