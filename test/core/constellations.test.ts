import {
  AddConstellationMemberDocument,
  ConstellationMembersDocument,
  ConstellationsDocument,
  CreateConstellationDocument,
  HouseholdNodeDocument,
  RemoveConstellationMemberDocument,
  UpdateConstellationDocument,
} from '../generated/graphql';
import { removeConstellationMember } from '../../src/constellations/constellation.service';
import { onCascade, type CascadeEvent } from '../../src/platform/cascades';
import { refuse, UserErrorCode } from '../../src/platform/graphql/user-errors';
import { startTestApp, type TestApp } from '../support/app';
import { RANDOM_UUID, errorsOf } from '../support/errors';
import { day, gid } from '../support/fixtures';
import { runAs } from '../support/service';
import { auditOfRequest, expectNothingWritten } from '../support/state';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
// Cascades raised by this file's requests, in order; a handler may be told to refuse bed changes.
const events: CascadeEvent[] = [];
let refuseBeds = false;
onCascade(async (_tx, event) => {
  events.push(event);
  if (refuseBeds && event.kind === 'sleepoverBedsChanged' && event.to < event.from) refuse(UserErrorCode.INVALID_STATE, 'Beds are booked.', ['input', 'sleepoverBeds']);
});
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const K = (id: string) => gid('Constellation', id);
const H = (id: string) => gid('Household', id);
const memberships = (household: string) => t.fx.sql(`select constellation_id, role, joined_on, left_on from constellation_membership where household_id = $1 order by joined_on`, [household]);
const constellationOf = async (household: string) => ((await t.op(HouseholdNodeDocument, { id: H(household) }, { token: w.manager.token })).data.node as any).constellation;

describe('createConstellation', () => {
  test('a manager sets one up: the hub is a HUB membership from launch, with its beds; audited in the same transaction', async () => {
    const hub = await t.fx.household(w.org, { name: 'New Hub' });
    const r = await t.op(
      CreateConstellationDocument,
      { input: { name: ' Meadow ', hubHouseholdId: H(hub), liaisonWorkerId: gid('User', w.liaison.id), sleepoverBeds: 3, launchedOn: day(-60), status: 'ACTIVE' } },
      { token: w.manager.token, headers: { 'x-request-id': 'k-create-1' } },
    );
    expect(r.data.createConstellation.userErrors).toEqual([]);
    const k = r.data.createConstellation.constellation!;
    expect(k).toMatchObject({ name: 'Meadow', status: 'ACTIVE', launchedOn: day(-60), sleepoverBeds: 3, hub: { id: H(hub), name: 'New Hub' }, liaisonWorker: { id: gid('User', w.liaison.id) } });
    const [kid] = await t.fx.sql(`select id from constellation where name = 'Meadow'`);
    expect(await memberships(hub)).toEqual([{ constellation_id: kid.id, role: 'HUB', joined_on: day(-60), left_on: null }]);
    expect((await t.fx.sql(`select bed from hub_bed where constellation_id = $1 order by bed`, [kid.id])).map((b: any) => b.bed)).toEqual([1, 2, 3]);
    expect(await constellationOf(hub)).toEqual({ id: k.id, name: 'Meadow' });
    const [audit] = await auditOfRequest(t, 'k-create-1');
    expect(audit).toMatchObject({ action: 'Constellation.create', subject_id: k.id, actor_id: w.manager.id });
    const [same] = await t.fx.sql(`select k.created_at = a.at as same from constellation k, audit_event a where k.id = $1 and a.id = $2`, [kid.id, audit.id]);
    expect(same.same).toBe(true);
  });

  test('a hub already in a constellation on that date is an OVERLAP on hubHouseholdId; nothing is written', async () => {
    for (const hub of [w.satA, w.hubHousehold]) {
      const r = await expectNothingWritten(t, () => t.op(CreateConstellationDocument, { input: { name: 'Clash', hubHouseholdId: H(hub) } }, { token: w.manager.token }));
      expect(errorsOf(r.data.createConstellation.userErrors)).toEqual(['OVERLAP input.hubHouseholdId']);
    }
    // Launching before the household joined its current constellation still overlaps (open-ended).
    const late = await t.fx.household(w.org);
    await t.fx.member(w.org, w.k2, late, day(10));
    const r = await expectNothingWritten(t, () => t.op(CreateConstellationDocument, { input: { name: 'Early', hubHouseholdId: H(late), launchedOn: day(-10) } }, { token: w.manager.token }));
    expect(errorsOf(r.data.createConstellation.userErrors)).toEqual(['OVERLAP input.hubHouseholdId']);
  });

  test('refusals: roles, beds, status, liaison worker, deregistered or unknown hub', async () => {
    const free = await t.fx.household(w.org);
    const dereg = await t.fx.household(w.org);
    await t.fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'OTHER' where id = $1`, [dereg, day(-1)]);
    const cases: [string, Record<string, unknown>, string[]][] = [
      [w.ssw.token, {}, ['FORBIDDEN ']],
      [w.liaison.token, {}, ['FORBIDDEN ']],
      [w.hubCarer.token!, {}, ['FORBIDDEN ']],
      [w.manager.token, { sleepoverBeds: 0 }, ['INVALID_INPUT input.sleepoverBeds']],
      [w.manager.token, { sleepoverBeds: 11 }, ['INVALID_INPUT input.sleepoverBeds']],
      [w.manager.token, { status: 'CLOSED' }, ['INVALID_INPUT input.status']],
      [w.manager.token, { name: ' ' }, ['INVALID_INPUT input.name']],
      [w.manager.token, { liaisonWorkerId: gid('User', w.carerA.userId!) }, ['NOT_FOUND input.liaisonWorkerId']],
      [w.manager.token, { liaisonWorkerId: gid('User', w.foreignAdmin.id) }, ['NOT_FOUND input.liaisonWorkerId']],
      [w.manager.token, { hubHouseholdId: H(dereg) }, ['NOT_APPROVED input.hubHouseholdId']],
      [w.manager.token, { hubHouseholdId: H(w.foreignHousehold) }, ['NOT_FOUND input.hubHouseholdId']],
      [w.manager.token, { hubHouseholdId: gid('Child', free) }, ['NOT_FOUND input.hubHouseholdId']],
      [w.manager.token, { hubHouseholdId: H(RANDOM_UUID) }, ['NOT_FOUND input.hubHouseholdId']],
    ];
    for (const [token, o, expected] of cases) {
      const r = await expectNothingWritten(t, () => t.op(CreateConstellationDocument, { input: { name: 'Nope', hubHouseholdId: H(free), ...o } }, { token }));
      expect(errorsOf(r.data.createConstellation.userErrors)).toEqual(expected);
    }
  });
});

describe('memberships', () => {
  test('a household joins as a satellite (past dates allowed), audited', async () => {
    const h = await t.fx.household(w.org, { name: 'Joiner' });
    const r = await t.op(AddConstellationMemberDocument, { input: { constellationId: K(w.k2), householdId: H(h), date: day(-30) } }, { token: w.manager.token, headers: { 'x-request-id': 'join-1' } });
    expect(r.data.addConstellationMember.userErrors).toEqual([]);
    expect(r.data.addConstellationMember.constellation!.members.edges.map((e) => e.node)).toContainEqual({ joinedOn: day(-30), leftOn: null, household: { id: H(h), name: 'Joiner' } });
    expect(await constellationOf(h)).toEqual({ id: K(w.k2), name: 'Hillside' });
    expect(await auditOfRequest(t, 'join-1')).toEqual([expect.objectContaining({ action: 'Constellation.addMember', subject_id: K(w.k2) })]);
  });

  test('a household is in at most one constellation on any date, as hub or satellite (OVERLAP, nothing written)', async () => {
    const cases: [string, string, string | undefined][] = [
      [w.k2, w.satA, undefined], // a satellite of Riverside joining Hillside
      [w.k2, w.hubHousehold, undefined], // Riverside's hub joining Hillside
      [w.k, w.satA, undefined], // joining its own constellation twice
      [w.k, w.hubHousehold, undefined], // the hub as its own satellite
      [w.k2, w.satA, day(-1000)], // from long ago: open-ended, so it overlaps today's membership
    ];
    for (const [k, h, date] of cases) {
      const r = await expectNothingWritten(t, () => t.op(AddConstellationMemberDocument, { input: { constellationId: K(k), householdId: H(h), date } }, { token: w.manager.token }));
      expect(errorsOf(r.data.addConstellationMember.userErrors)).toEqual(['OVERLAP input.householdId']);
    }
  });

  test('the database holds the rule: one exclusion constraint over memberships, and one hub per constellation', async () => {
    await expect(
      t.fx.sql(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'SATELLITE', $4)`, [w.org, w.k2, w.satB, day(100)]),
    ).rejects.toMatchObject({ constraint: 'membership_household_no_overlap' });
    const h = await t.fx.household(w.org);
    await expect(
      t.fx.sql(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'HUB', $4)`, [w.org, w.k2, h, day(100)]),
    ).rejects.toMatchObject({ constraint: 'membership_one_hub' });
    await expect(
      t.fx.sql(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on, left_on) values ($1, $2, $3, 'SATELLITE', $4, $4)`, [w.org, w.k2, h, day(1)]),
    ).rejects.toMatchObject({ constraint: 'membership_dates_rule' });
  });

  test('leaving: leftOn is the first day not a member; history stays; the household may join elsewhere from leftOn', async () => {
    const h = await t.fx.household(w.org, { name: 'Leaver' });
    await t.fx.member(w.org, w.k, h, day(-100));
    const r = await t.op(
      RemoveConstellationMemberDocument,
      { input: { constellationId: K(w.k), householdId: H(h), date: day(-5) } },
      { token: w.liaison.token, headers: { 'x-request-id': 'leave-1' } },
    );
    expect(r.data.removeConstellationMember.userErrors).toEqual([]);
    expect(r.data.removeConstellationMember.constellation!.members.edges.map((e) => e.node)).toContainEqual({ joinedOn: day(-100), leftOn: day(-5), household: { id: H(h), name: 'Leaver' } });
    expect(await constellationOf(h)).toBeNull();
    const current = await t.op(ConstellationMembersDocument, { id: K(w.k) }, { token: w.manager.token });
    expect((current.data.node as any).members.edges.map((e: any) => e.node.household.name)).not.toContain('Leaver');
    expect(await auditOfRequest(t, 'leave-1')).toEqual([expect.objectContaining({ action: 'Constellation.removeMember' })]);
    // Half-open ranges: joining another constellation on the day it left is not an overlap; the day before is.
    const before = await expectNothingWritten(t, () => t.op(AddConstellationMemberDocument, { input: { constellationId: K(w.k2), householdId: H(h), date: day(-6) } }, { token: w.manager.token }));
    expect(errorsOf(before.data.addConstellationMember.userErrors)).toEqual(['OVERLAP input.householdId']);
    const onTheDay = await t.op(AddConstellationMemberDocument, { input: { constellationId: K(w.k2), householdId: H(h), date: day(-5) } }, { token: w.manager.token });
    expect(onTheDay.data.addConstellationMember.userErrors).toEqual([]);
  });

  test('refusals: the hub cannot leave, a non-member cannot leave, others may not change members', async () => {
    const cases: [string, string, string, string[]][] = [
      [w.manager.token, w.k, H(w.hubHousehold), ['INVALID_STATE input.householdId']],
      [w.manager.token, w.k, H(w.lone), ['NOT_FOUND input.householdId']],
      [w.manager.token, w.k, gid('Child', w.satA), ['NOT_FOUND input.householdId']],
      [w.ssw.token, w.k, H(w.satA), ['FORBIDDEN ']],
      [w.hubCarer.token!, w.k, H(w.satA), ['FORBIDDEN ']],
      [w.otherLiaison.token, w.k, H(w.satA), ['NOT_FOUND input.constellationId']],
      [w.foreignAdmin.token, w.k, H(w.satA), ['NOT_FOUND input.constellationId']],
    ];
    for (const [token, k, householdId, expected] of cases) {
      const r = await expectNothingWritten(t, () => t.op(RemoveConstellationMemberDocument, { input: { constellationId: K(k), householdId } }, { token }));
      expect(errorsOf(r.data.removeConstellationMember.userErrors)).toEqual(expected);
    }
    const addForbidden = await expectNothingWritten(t, () => t.op(AddConstellationMemberDocument, { input: { constellationId: K(w.k), householdId: H(w.lone) } }, { token: w.ssw.token }));
    expect(errorsOf(addForbidden.data.addConstellationMember.userErrors)).toEqual(['FORBIDDEN ']);
  });

  test('a closed constellation takes no members; a deregistered household cannot join', async () => {
    const hub = await t.fx.household(w.org);
    const closed = await t.fx.constellation(w.org, hub, { status: 'CLOSED' });
    const h = await t.fx.household(w.org);
    const r1 = await expectNothingWritten(t, () => t.op(AddConstellationMemberDocument, { input: { constellationId: K(closed), householdId: H(h) } }, { token: w.manager.token }));
    expect(errorsOf(r1.data.addConstellationMember.userErrors)).toEqual(['INVALID_STATE input.constellationId']);
    await t.fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'OTHER' where id = $1`, [h, day(-1)]);
    const r2 = await expectNothingWritten(t, () => t.op(AddConstellationMemberDocument, { input: { constellationId: K(w.k2), householdId: H(h) } }, { token: w.manager.token }));
    expect(errorsOf(r2.data.addConstellationMember.userErrors)).toEqual(['NOT_APPROVED input.householdId']);
  });
});

describe('updateConstellation', () => {
  test('the liaison worker may rename and pause their own constellation, not change its hub, beds or liaison worker', async () => {
    const r = await t.op(
      UpdateConstellationDocument,
      { input: { constellationId: K(w.k), name: 'Riverside East', status: 'PAUSED' } },
      { token: w.liaison.token, headers: { 'x-request-id': 'k-upd-1' } },
    );
    expect(r.data.updateConstellation.userErrors).toEqual([]);
    expect(r.data.updateConstellation.constellation).toMatchObject({ name: 'Riverside East', status: 'PAUSED' });
    expect((await auditOfRequest(t, 'k-upd-1'))[0].summary).toMatchObject({ changed: ['name', 'status'] });
    await t.op(UpdateConstellationDocument, { input: { constellationId: K(w.k), name: 'Riverside', status: 'ACTIVE' } }, { token: w.liaison.token });
    for (const o of [{ sleepoverBeds: 3 }, { hubHouseholdId: H(w.satA) }, { liaisonWorkerId: null }, { liaisonWorkerId: gid('User', w.otherLiaison.id) }]) {
      const f = await expectNothingWritten(t, () => t.op(UpdateConstellationDocument, { input: { constellationId: K(w.k), ...o } }, { token: w.liaison.token }));
      expect(errorsOf(f.data.updateConstellation.userErrors)).toEqual(['FORBIDDEN ']);
    }
    const other = await expectNothingWritten(t, () => t.op(UpdateConstellationDocument, { input: { constellationId: K(w.k2), name: 'Mine now' } }, { token: w.liaison.token }));
    expect(errorsOf(other.data.updateConstellation.userErrors)).toEqual(['NOT_FOUND input.constellationId']);
  });

  test('a manager moves the hub to one of its satellites from a date: the old hub leaves, the satellite place ends', async () => {
    const hub = await t.fx.household(w.org, { name: 'Old Hub' });
    const sat = await t.fx.household(w.org, { name: 'Rising Sat' });
    const k = await t.fx.constellation(w.org, hub, { name: 'Shifting', joinedOn: day(-200) });
    await t.fx.member(w.org, k, sat, day(-100));
    const r = await t.op(UpdateConstellationDocument, { input: { constellationId: K(k), hubHouseholdId: H(sat), hubChangedOn: day(-10) } }, { token: w.manager.token });
    expect(r.data.updateConstellation.userErrors).toEqual([]);
    expect(r.data.updateConstellation.constellation!.hub).toEqual({ id: H(sat), name: 'Rising Sat' });
    expect(await memberships(hub)).toEqual([{ constellation_id: k, role: 'HUB', joined_on: day(-200), left_on: day(-10) }]);
    expect(await memberships(sat)).toEqual([
      { constellation_id: k, role: 'SATELLITE', joined_on: day(-100), left_on: day(-10) },
      { constellation_id: k, role: 'HUB', joined_on: day(-10), left_on: null },
    ]);
  });

  test('a new hub that is in another constellation is an OVERLAP on hubHouseholdId; nothing is written', async () => {
    const hub = await t.fx.household(w.org);
    const k = await t.fx.constellation(w.org, hub);
    const r = await expectNothingWritten(t, () => t.op(UpdateConstellationDocument, { input: { constellationId: K(k), hubHouseholdId: H(w.satB) } }, { token: w.manager.token }));
    expect(errorsOf(r.data.updateConstellation.userErrors)).toEqual(['OVERLAP input.hubHouseholdId']);
    const same = await expectNothingWritten(t, () => t.op(UpdateConstellationDocument, { input: { constellationId: K(k), hubHouseholdId: H(hub) } }, { token: w.manager.token }));
    expect(errorsOf(same.data.updateConstellation.userErrors)).toEqual(['INVALID_INPUT input.hubHouseholdId']);
    const dateOnly = await expectNothingWritten(t, () => t.op(UpdateConstellationDocument, { input: { constellationId: K(k), hubChangedOn: day(1) } }, { token: w.manager.token }));
    expect(errorsOf(dateOnly.data.updateConstellation.userErrors)).toEqual(['INVALID_INPUT input.hubChangedOn']);
  });

  test('beds: adding makes the new hub beds, removing takes them away', async () => {
    const hub = await t.fx.household(w.org);
    const k = await t.fx.constellation(w.org, hub, { beds: 2 });
    const beds = async () => (await t.fx.sql(`select bed from hub_bed where constellation_id = $1 order by bed`, [k])).map((b: any) => b.bed);
    const up = await t.op(UpdateConstellationDocument, { input: { constellationId: K(k), sleepoverBeds: 4 } }, { token: w.manager.token });
    expect(up.data.updateConstellation.constellation?.sleepoverBeds).toBe(4);
    expect(await beds()).toEqual([1, 2, 3, 4]);
    await t.op(UpdateConstellationDocument, { input: { constellationId: K(k), sleepoverBeds: 1 } }, { token: w.manager.token });
    expect(await beds()).toEqual([1]);
  });

  test('closing ends every membership today and cannot be undone', async () => {
    const hub = await t.fx.household(w.org);
    const sat = await t.fx.household(w.org);
    const k = await t.fx.constellation(w.org, hub);
    await t.fx.member(w.org, k, sat, day(-50));
    const r = await t.op(UpdateConstellationDocument, { input: { constellationId: K(k), status: 'CLOSED' } }, { token: w.manager.token });
    expect(r.data.updateConstellation.constellation?.status).toBe('CLOSED');
    expect((await memberships(sat))[0].left_on).toBe(day(0));
    expect((await memberships(hub))[0].left_on).toBe(day(0));
    expect(await constellationOf(sat)).toBeNull();
    const reopen = await expectNothingWritten(t, () => t.op(UpdateConstellationDocument, { input: { constellationId: K(k), status: 'ACTIVE' } }, { token: w.manager.token }));
    expect(errorsOf(reopen.data.updateConstellation.userErrors)).toEqual(['INVALID_STATE input.status']);
  });
});

describe('constellations query', () => {
  test('ordered by name; each viewer sees their own', async () => {
    const all = await t.op(ConstellationsDocument, { first: 100 }, { token: w.ssw.token });
    const names = all.data.constellations.edges.map((e) => e.node.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['Hillside', 'Riverside']));
    expect(all.data.constellations.totalCount).toBe(names.length);
    const liaison = await t.op(ConstellationsDocument, {}, { token: w.liaison.token });
    // Meadow (set up above) and Riverside name this liaison worker; Hillside does not.
    expect(liaison.data.constellations.edges.map((e) => e.node.name)).toEqual(['Meadow', 'Riverside']);
  });
});

describe('races', () => {
  test('one household joining three constellations at once: one wins, the others get OVERLAP', async () => {
    const h = await t.fx.household(w.org);
    const ks = [w.k, w.k2, await t.fx.constellation(w.org, await t.fx.household(w.org))];
    const results = await Promise.all(ks.map((k) => t.op(AddConstellationMemberDocument, { input: { constellationId: K(k), householdId: H(h) } }, { token: w.manager.token })));
    const outcomes = results.map((r) => errorsOf(r.data.addConstellationMember.userErrors).join() || 'joined').sort();
    expect(outcomes).toEqual(['OVERLAP input.householdId', 'OVERLAP input.householdId', 'joined']);
    expect(await memberships(h)).toHaveLength(1);
  });
});

describe('cascades raised in the same transaction', () => {
  test('leaving, closing, pausing, a new hub and bed changes each raise their event; a refusing handler undoes the change', async () => {
    const hub = await t.fx.household(w.org);
    const sat = await t.fx.household(w.org);
    const next = await t.fx.household(w.org);
    const k = await t.fx.constellation(w.org, hub, { beds: 2 });
    await t.fx.member(w.org, k, sat, day(-30));
    await t.fx.member(w.org, k, next, day(-30));
    events.length = 0;
    const upd = (input: Record<string, unknown>) => t.op(UpdateConstellationDocument, { input: { constellationId: K(k), ...input } }, { token: w.manager.token });
    await t.op(RemoveConstellationMemberDocument, { input: { constellationId: K(k), householdId: H(sat), date: day(2) } }, { token: w.manager.token });
    await upd({ sleepoverBeds: 3 });
    await upd({ hubHouseholdId: H(next), hubChangedOn: day(1) });
    await upd({ status: 'PAUSED' });
    expect(events).toEqual([
      { kind: 'membershipEnded', constellationId: k, householdId: sat, from: day(2), reason: expect.any(String) },
      { kind: 'sleepoverBedsChanged', constellationId: k, from: 2, to: 3 },
      { kind: 'hubChanged', constellationId: k, oldHubHouseholdId: hub, newHubHouseholdId: next, from: day(1) },
      { kind: 'constellationStatusChanged', constellationId: k, status: 'PAUSED', from: day(0), reason: expect.any(String) },
    ]);

    // A handler that refuses (as sleepovers do when future nights need the beds) rolls the change back.
    refuseBeds = true;
    try {
      const r = await expectNothingWritten(t, () => upd({ sleepoverBeds: 1 }));
      expect(r.data.updateConstellation.userErrors).toEqual([{ code: 'INVALID_STATE', field: ['input', 'sleepoverBeds'], message: 'Beds are booked.' }]);
    } finally {
      refuseBeds = false;
    }
  });

  test('at the service: leaving on the day one joined leaves no empty membership behind', async () => {
    const h = await t.fx.household(w.org);
    await t.fx.member(w.org, w.k2, h, day(3));
    const input = { constellationId: K(w.k2), householdId: H(h), date: day(3) };
    const r = await runAs(t, w.manager.id, 'Constellation.removeMember', input, (tx) => removeConstellationMember(tx, input));
    expect(r.userErrors).toEqual([]);
    expect(await memberships(h)).toEqual([]);
  });
});
