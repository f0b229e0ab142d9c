import {
  AddCarerDocument,
  CreateHouseholdDocument,
  DeregisterHouseholdDocument,
  HouseholdNodeDocument,
  HouseholdsDocument,
  UpdateHouseholdDocument,
  type CreateHouseholdInput,
} from '../generated/graphql';
import { recordCascades } from '../support/cascades';
import { startTestApp, type TestApp } from '../support/app';
import { RANDOM_UUID, errorsOf } from '../support/errors';
import { day, gid } from '../support/fixtures';
import { auditOfRequest, expectNothingWritten } from '../support/state';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const events = recordCascades();
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const approved = (o: Partial<CreateHouseholdInput> = {}): CreateHouseholdInput => ({
  name: 'Oak House',
  postcodeDistrict: 'LS6',
  status: 'APPROVED',
  approval: { minAge: 0, maxAge: 17, maxChildren: 2, kinds: ['LONG_TERM', 'SHORT_TERM'] },
  approvedOn: day(-30),
  ...o,
});
const node = async (id: string, token: string) => (await t.op(HouseholdNodeDocument, { id: gid('Household', id) }, { token })).data.node as any;

describe('createHousehold', () => {
  test('the fostering team creates an approved household with its carers; the audit event shares its transaction', async () => {
    const r = await t.op(
      CreateHouseholdDocument,
      { input: approved({ name: ' Oak House ', postcodeDistrict: 'ls6', isKinship: true, supervisingSocialWorkerId: gid('User', w.ssw.id), carerNames: ['Olu Oak', 'Ola Oak'] }) },
      { token: w.ssw.token, headers: { 'x-request-id': 'hh-create-1' } },
    );
    expect(r.data.createHousehold.userErrors).toEqual([]);
    const h = r.data.createHousehold.household!;
    expect(h).toMatchObject({
      name: 'Oak House',
      postcodeDistrict: 'LS6',
      status: 'APPROVED',
      isKinship: true,
      approval: { minAge: 0, maxAge: 17, maxChildren: 2, kinds: ['LONG_TERM', 'SHORT_TERM'] },
      approvedOn: day(-30),
      deregisteredOn: null,
      supervisingSocialWorker: { id: gid('User', w.ssw.id) },
      constellation: null,
      currentPlacements: [],
      vacancies: 2,
    });
    expect(h.carers.map((c) => c.name)).toEqual(['Ola Oak', 'Olu Oak']);
    const [audit] = await auditOfRequest(t, 'hh-create-1');
    expect(audit).toMatchObject({ action: 'Household.create', actor_id: w.ssw.id, subject_id: h.id });
    const [same] = await t.fx.sql(`select h.created_at = a.at as same from household h, audit_event a where h.name = 'Oak House' and a.id = $1`, [audit.id]);
    expect(same.same).toBe(true);
  });

  test('defaults: IN_ASSESSMENT, no approval, no vacancies, not kinship', async () => {
    const r = await t.op(CreateHouseholdDocument, { input: { name: 'Pine House', postcodeDistrict: 'SW1A' } }, { token: w.manager.token });
    expect(r.data.createHousehold.household).toMatchObject({ status: 'IN_ASSESSMENT', approval: null, approvedOn: null, vacancies: null, isKinship: false, carers: [] });
  });

  test('an approved household needs its approval and approvedOn; every problem is listed; nothing is written', async () => {
    const r = await expectNothingWritten(t, () =>
      t.op(CreateHouseholdDocument, { input: { name: '', postcodeDistrict: 'LS6 3AB', status: 'APPROVED', carerNames: ['Ok', ' '] } }, { token: w.manager.token }),
    );
    expect(errorsOf(r.data.createHousehold.userErrors)).toEqual([
      'INVALID_INPUT input.name',
      'INVALID_INPUT input.postcodeDistrict',
      'INVALID_INPUT input.approval',
      'INVALID_INPUT input.approvedOn',
      'INVALID_INPUT input.carerNames.1',
    ]);
  });

  test('a household cannot be created deregistered, nor with an approval out of range', async () => {
    const dereg = await expectNothingWritten(t, () => t.op(CreateHouseholdDocument, { input: approved({ status: 'DEREGISTERED' }) }, { token: w.manager.token }));
    expect(errorsOf(dereg.data.createHousehold.userErrors)).toEqual(['INVALID_INPUT input.status']);
    const ages = await expectNothingWritten(t, () =>
      t.op(CreateHouseholdDocument, { input: approved({ approval: { minAge: 12, maxAge: 10, maxChildren: 21, kinds: [] } }) }, { token: w.manager.token }),
    );
    expect(errorsOf(ages.data.createHousehold.userErrors)).toEqual(['INVALID_INPUT input.approval.maxAge', 'INVALID_INPUT input.approval.maxChildren', 'INVALID_INPUT input.approval.kinds']);
  });

  test('carers and liaison workers cannot create households; a social worker from another organisation is unknown', async () => {
    for (const token of [w.hubCarer.token!, w.liaison.token]) {
      const r = await expectNothingWritten(t, () => t.op(CreateHouseholdDocument, { input: approved() }, { token }));
      expect(errorsOf(r.data.createHousehold.userErrors)).toEqual(['FORBIDDEN ']);
    }
    for (const sswId of [gid('User', w.foreignAdmin.id), gid('User', w.carerA.userId!), gid('Household', w.ssw.id), gid('User', RANDOM_UUID)]) {
      const r = await expectNothingWritten(t, () => t.op(CreateHouseholdDocument, { input: approved({ supervisingSocialWorkerId: sswId }) }, { token: w.manager.token }));
      expect(errorsOf(r.data.createHousehold.userErrors)).toEqual(['NOT_FOUND input.supervisingSocialWorkerId']);
    }
  });
});

describe('updateHousehold', () => {
  test('changes fields, audits which ones, and puts a household on hold (no vacancies while on hold)', async () => {
    const h = await t.fx.household(w.org, { name: 'Quince House', maxChildren: 3 });
    const r = await t.op(
      UpdateHouseholdDocument,
      { input: { householdId: gid('Household', h), name: 'Quince Cottage', status: 'ON_HOLD', approval: { minAge: 5, maxAge: 12, maxChildren: 2, kinds: ['RESPITE'] } } },
      { token: w.ssw.token, headers: { 'x-request-id': 'hh-update-1' } },
    );
    expect(r.data.updateHousehold.userErrors).toEqual([]);
    expect(r.data.updateHousehold.household).toMatchObject({ name: 'Quince Cottage', status: 'ON_HOLD', approval: { minAge: 5, maxAge: 12, maxChildren: 2, kinds: ['RESPITE'] }, vacancies: 0 });
    const [audit] = await auditOfRequest(t, 'hh-update-1');
    expect(audit.summary).toMatchObject({ changed: ['name', 'approval', 'status'] });
  });

  test('refusals write nothing: deregistering through update, reopening, approving without an approval', async () => {
    const open = await t.fx.household(w.org, { status: 'IN_ASSESSMENT' });
    const gone = await t.fx.household(w.org);
    await t.fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'RETIREMENT' where id = $1`, [gone, day(-10)]);
    const cases: [string, Record<string, unknown>, string[]][] = [
      [open, { status: 'DEREGISTERED' }, ['INVALID_INPUT input.status']],
      [gone, { status: 'APPROVED' }, ['INVALID_STATE input.status']],
      [open, { status: 'APPROVED' }, ['INVALID_INPUT input.approval', 'INVALID_INPUT input.approvedOn']],
      [open, { name: '   ' }, ['INVALID_INPUT input.name']],
    ];
    for (const [id, input, expected] of cases) {
      const r = await expectNothingWritten(t, () => t.op(UpdateHouseholdDocument, { input: { householdId: gid('Household', id), ...input } }, { token: w.manager.token }));
      expect(errorsOf(r.data.updateHousehold.userErrors)).toEqual(expected);
    }
  });

  test('unknown, foreign and wrong-type ids read alike; a carer may not update even their own household', async () => {
    const answers = [];
    for (const id of [gid('Household', w.foreignHousehold), gid('Household', RANDOM_UUID), gid('Child', w.childA), gid('Carer', w.satA), 'x']) {
      const r = await expectNothingWritten(t, () => t.op(UpdateHouseholdDocument, { input: { householdId: id, name: 'Taken Over' } }, { token: w.manager.token }));
      answers.push(r.data);
    }
    expect(answers[0].updateHousehold.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'householdId'], message: 'No such household.' }]);
    for (const a of answers) expect(a).toEqual(answers[0]);
    const own = await expectNothingWritten(t, () => t.op(UpdateHouseholdDocument, { input: { householdId: gid('Household', w.satA), name: 'Mine' } }, { token: w.carerA.token! }));
    expect(errorsOf(own.data.updateHousehold.userErrors)).toEqual(['FORBIDDEN ']);
  });
});

describe('deregisterHousehold', () => {
  test("records date and reason, and ends the household's membership on that date (past dates allowed)", async () => {
    const h = await t.fx.household(w.org, { name: 'Rowan House' });
    const m = await t.fx.member(w.org, w.k2, h, day(-300));
    const r = await t.op(
      DeregisterHouseholdDocument,
      { input: { householdId: gid('Household', h), deregisteredOn: day(-20), reason: 'RETIREMENT', note: 'Moved to the coast.' } },
      { token: w.manager.token, headers: { 'x-request-id': 'hh-dereg-1' } },
    );
    expect(r.data.deregisterHousehold.userErrors).toEqual([]);
    expect(r.data.deregisterHousehold.household).toMatchObject({ status: 'DEREGISTERED', deregisteredOn: day(-20), deregistrationReason: 'RETIREMENT', constellation: null, vacancies: 0 });
    const [membership] = await t.fx.sql(`select left_on from constellation_membership where id = $1`, [m]);
    expect(membership.left_on).toBe(day(-20));
    expect(await auditOfRequest(t, 'hh-dereg-1')).toEqual([expect.objectContaining({ action: 'Household.deregister', subject_id: gid('Household', h) })]);
  });

  test('refused while children are placed after the date, twice, or before approval; nothing is written', async () => {
    const placed = await t.fx.household(w.org);
    const c = await t.fx.child(w.org);
    await t.fx.placement(w.org, c, placed, day(-50), day(5));
    const ok = await t.fx.household(w.org, { approvedOn: day(-100) });
    const cases: [string, string, string[]][] = [
      [placed, day(0), ['INVALID_STATE input.deregisteredOn']],
      [ok, day(-101), ['INVALID_INPUT input.deregisteredOn']],
    ];
    for (const [id, date, expected] of cases) {
      const r = await expectNothingWritten(t, () =>
        t.op(DeregisterHouseholdDocument, { input: { householdId: gid('Household', id), deregisteredOn: date, reason: 'OTHER' } }, { token: w.manager.token }),
      );
      expect(errorsOf(r.data.deregisterHousehold.userErrors)).toEqual(expected);
    }
    // The placement ends on day(5): deregistering from then on is fine.
    const later = await t.op(DeregisterHouseholdDocument, { input: { householdId: gid('Household', placed), deregisteredOn: day(5), reason: 'OTHER' } }, { token: w.manager.token });
    expect(later.data.deregisterHousehold.userErrors).toEqual([]);
    const twice = await expectNothingWritten(t, () =>
      t.op(DeregisterHouseholdDocument, { input: { householdId: gid('Household', placed), deregisteredOn: day(6), reason: 'OTHER' } }, { token: w.manager.token }),
    );
    expect(errorsOf(twice.data.deregisterHousehold.userErrors)).toEqual(['INVALID_STATE input.householdId']);
  });

  test('a hub household cannot be deregistered while it is the hub: the constellation would lose its hub', async () => {
    const hub = await t.fx.household(w.org, { name: 'Lone Hub' });
    const k = await t.fx.constellation(w.org, hub, { name: 'Lone Star' });
    const r = await expectNothingWritten(t, () =>
      t.op(DeregisterHouseholdDocument, { input: { householdId: gid('Household', hub), deregisteredOn: day(0), reason: 'RETIREMENT' } }, { token: w.manager.token }),
    );
    expect(errorsOf(r.data.deregisterHousehold.userErrors)).toEqual(['INVALID_STATE input.householdId']);
    expect(r.data.deregisterHousehold.userErrors[0].message).toMatch(/hub/);
    expect(k).toBeTruthy();
  });
});

describe('addCarer', () => {
  test('adds a carer; an empty name or an eleventh carer is refused without writing', async () => {
    const h = await t.fx.household(w.org, { name: 'Spruce House' });
    const r = await t.op(AddCarerDocument, { input: { householdId: gid('Household', h), name: 'Sol Spruce' } }, { token: w.ssw.token });
    expect(r.data.addCarer).toEqual({ household: { id: gid('Household', h), carers: [{ id: expect.any(String), name: 'Sol Spruce' }] }, userErrors: [] });
    const empty = await expectNothingWritten(t, () => t.op(AddCarerDocument, { input: { householdId: gid('Household', h), name: '' } }, { token: w.ssw.token }));
    expect(errorsOf(empty.data.addCarer.userErrors)).toEqual(['INVALID_INPUT input.name']);
    for (let i = 0; i < 9; i++) await t.fx.carer(w.org, h, { login: false, name: `Extra ${i}` });
    const eleventh = await expectNothingWritten(t, () => t.op(AddCarerDocument, { input: { householdId: gid('Household', h), name: 'One Too Many' } }, { token: w.ssw.token }));
    expect(errorsOf(eleventh.data.addCarer.userErrors)).toEqual(['INVALID_STATE input.name']);
  });
});

describe('Household fields', () => {
  test('vacancies are maxChildren minus current placements, never below 0', async () => {
    const h = await t.fx.household(w.org, { maxChildren: 3 });
    for (let i = 0; i < 3; i++) await t.fx.placement(w.org, await t.fx.child(w.org), h, day(-10 - i));
    await t.fx.placement(w.org, await t.fx.child(w.org), h, day(-100), day(-50)); // ended: not current
    expect((await node(h, w.manager.token)).vacancies).toBe(0);
    await t.fx.sql(`update household set approval_max_children = 2 where id = $1`, [h]);
    const after = await node(h, w.manager.token);
    expect(after.vacancies).toBe(0);
    expect(after.currentPlacements).toHaveLength(3);
    await t.fx.sql(`update household set approval_max_children = 5 where id = $1`, [h]);
    expect((await node(h, w.manager.token)).vacancies).toBe(2);
  });
});

describe('households filters', () => {
  let org: string;
  let manager: { token: string };
  let k: string;
  beforeAll(async () => {
    org = await t.fx.organisation('Filter Borough');
    manager = await t.fx.user(org, 'FOSTERING_MANAGER');
    const hub = await t.fx.household(org, { name: 'F Hub', maxChildren: 1 });
    k = await t.fx.constellation(org, hub, { name: 'F Star' });
    const full = await t.fx.household(org, { name: 'F Full', maxChildren: 1 });
    await t.fx.placement(org, await t.fx.child(org), full);
    await t.fx.member(org, k, full);
    const spare = await t.fx.household(org, { name: 'F Spare 100%_off', maxChildren: 2 });
    await t.fx.carer(org, spare, { name: 'Zed Searchable', login: false });
    await t.fx.household(org, { name: 'F OnHold', status: 'ON_HOLD', minAge: 0, maxChildren: 2, approvedOn: day(-300) });
    await t.fx.household(org, { name: 'F New', status: 'IN_ASSESSMENT' });
  });
  const names = async (filter: Record<string, unknown>) => (await t.op(HouseholdsDocument, { filter }, { token: manager.token })).data.households.edges.map((e) => e.node.name);

  test('status, constellation, search on household and carer names', async () => {
    expect(await names({ status: ['ON_HOLD', 'IN_ASSESSMENT'] })).toEqual(['F New', 'F OnHold']);
    expect(await names({ constellationId: gid('Constellation', k) })).toEqual(['F Full', 'F Hub']);
    expect(await names({ constellationId: gid('Household', k) })).toEqual([]);
    expect(await names({ search: 'zed search' })).toEqual(['F Spare 100%_off']);
    expect(await names({ search: 'f spare' })).toEqual(['F Spare 100%_off']);
    // LIKE wildcards in the search are literal characters.
    expect(await names({ search: '%' })).toEqual(['F Spare 100%_off']);
    expect(await names({ search: '_' })).toEqual(['F Spare 100%_off']);
  });

  test('hasVacancy agrees with the vacancies field (a household on hold has none)', async () => {
    const all = (await t.op(HouseholdsDocument, {}, { token: manager.token })).data.households.edges.map((e) => e.node);
    const withVacancy = all.filter((h) => (h.vacancies ?? 0) > 0).map((h) => h.name);
    expect(withVacancy).toEqual(['F Hub', 'F Spare 100%_off']);
    expect(await names({ hasVacancy: true })).toEqual(withVacancy);
    expect(await names({ hasVacancy: false })).toEqual(all.map((h) => h.name).filter((n) => !withVacancy.includes(n)));
  });
});

describe('cascades', () => {
  test('on hold and deregistration make the household unavailable; deregistration also ends its membership', async () => {
    const held = await t.fx.household(w.org);
    events.length = 0;
    await t.op(UpdateHouseholdDocument, { input: { householdId: gid('Household', held), status: 'ON_HOLD' } }, { token: w.manager.token });
    // Already on hold: nothing more follows.
    await t.op(UpdateHouseholdDocument, { input: { householdId: gid('Household', held), status: 'ON_HOLD', name: 'Held House' } }, { token: w.manager.token });
    expect(events).toEqual([{ kind: 'householdUnavailable', householdId: held, from: day(0), reason: expect.any(String) }]);

    const leaving = await t.fx.household(w.org);
    await t.fx.member(w.org, w.k2, leaving, day(-60));
    events.length = 0;
    await t.op(DeregisterHouseholdDocument, { input: { householdId: gid('Household', leaving), deregisteredOn: day(-7), reason: 'PERSONAL_CIRCUMSTANCES' } }, { token: w.manager.token });
    expect(events).toEqual([
      { kind: 'membershipEnded', constellationId: w.k2, householdId: leaving, from: day(-7), reason: expect.any(String) },
      { kind: 'householdUnavailable', householdId: leaving, from: day(-7), reason: expect.any(String) },
    ]);
  });
});
