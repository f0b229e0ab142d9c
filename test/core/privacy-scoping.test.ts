import {
  ChildNodeDocument,
  ChildrenDocument,
  ConstellationChildrenDocument,
  ConstellationsDocument,
  HouseholdNodeDocument,
  HouseholdsDocument,
  NodeTypeDocument,
  PlacementNodeDocument,
  UsersDocument,
} from '../generated/graphql';
import { ageOn } from '../../src/platform/time';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';

/**
 * Who sees what: organisation scoping, role and assignment scoping, and field privacy, for every
 * kind of viewer in the same world.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let elder: string; // a former satellite of Riverside, in no constellation now
let eve: string; // placed with Elder House today
let hana: string; // placed with Hillside's satellite today
let amyAtBirch: string; // Amy's ended placement with Birch House (Riverside)
let amyAtHillSide: string; // Amy's ended placement with Hill Side (Hillside)
let benPlacement: string;
let viewers: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  elder = await t.fx.household(w.org, { name: 'Elder House' });
  await t.fx.member(w.org, w.k, elder, day(-400), day(-100));
  eve = await t.fx.child(w.org, { firstName: 'Eve' });
  await t.fx.placement(w.org, eve, elder, day(-50));
  hana = await t.fx.child(w.org, { firstName: 'Hana' });
  await t.fx.placement(w.org, hana, w.sat2, day(-20));
  await t.fx.sql(`update placement set start_date = $2 where id = $1`, [w.placementA, day(-200)]);
  amyAtHillSide = await t.fx.placement(w.org, w.childA, w.sat2, day(-400), day(-300), { reason: 'CREQO', unplanned: true });
  amyAtBirch = await t.fx.placement(w.org, w.childA, w.satB, day(-300), day(-200), { reason: 'CARPL', unplanned: false });
  [{ id: benPlacement }] = await t.fx.sql(`select id from placement where child_id = $1`, [w.childB]);
  viewers = {
    admin: w.admin.token,
    manager: w.manager.token,
    ssw: w.ssw.token,
    liaison: w.liaison.token,
    otherLiaison: w.otherLiaison.token,
    hubCarer: w.hubCarer.token!,
    carerA: w.carerA.token!,
    carerB: w.carerB.token!,
    loneCarer: w.loneCarer.token!,
    carer2: w.carer2.token!,
    foreignAdmin: w.foreignAdmin.token,
  };
});
afterAll(async () => t.stop());

const ORG_HOUSEHOLDS = ['Alder House', 'Birch House', 'Cedar House', 'Elder House', 'Hill Hub', 'Hill Side', 'Hub Home'];
const ORG_CHILDREN = ['Amy', 'Ava', 'Ben', 'Cal', 'Eve', 'Hana'];
const RIVERSIDE_NOW = ['Alder House', 'Birch House', 'Hub Home'];

describe('lists are scoped in the query, per viewer', () => {
  const expected: Record<string, { constellations: string[]; households: string[]; children: string[] }> = {
    admin: { constellations: ['Hillside', 'Riverside'], households: ORG_HOUSEHOLDS, children: ORG_CHILDREN },
    manager: { constellations: ['Hillside', 'Riverside'], households: ORG_HOUSEHOLDS, children: ORG_CHILDREN },
    ssw: { constellations: ['Hillside', 'Riverside'], households: ORG_HOUSEHOLDS, children: ORG_CHILDREN },
    // A liaison worker: their constellations' households (former members too), the children placed there today.
    liaison: { constellations: ['Riverside'], households: ['Alder House', 'Birch House', 'Elder House', 'Hub Home'], children: ['Amy', 'Ava', 'Ben'] },
    otherLiaison: { constellations: ['Hillside'], households: ['Hill Hub', 'Hill Side'], children: ['Hana'] },
    // The hub carer sees the children placed in their constellation; a satellite carer only their own.
    hubCarer: { constellations: ['Riverside'], households: RIVERSIDE_NOW, children: ['Amy', 'Ava', 'Ben'] },
    carerA: { constellations: ['Riverside'], households: RIVERSIDE_NOW, children: ['Amy', 'Ava'] },
    carerB: { constellations: ['Riverside'], households: RIVERSIDE_NOW, children: ['Ben'] },
    loneCarer: { constellations: [], households: ['Cedar House'], children: ['Cal'] },
    carer2: { constellations: ['Hillside'], households: ['Hill Hub', 'Hill Side'], children: ['Hana'] },
    foreignAdmin: { constellations: [], households: ['Foreign House'], children: ['Fay'] },
  };

  test.each(Object.keys(expected))('%s', async (who) => {
    const token = viewers[who];
    const k = await t.op(ConstellationsDocument, { first: 100 }, { token });
    const h = await t.op(HouseholdsDocument, { first: 100 }, { token });
    const c = await t.op(ChildrenDocument, { first: 100 }, { token });
    expect({
      constellations: k.data.constellations.edges.map((e) => e.node.name),
      households: h.data.households.edges.map((e) => e.node.name),
      children: c.data.children.edges.map((e) => e.node.firstName),
    }).toEqual(expected[who]);
    expect([k.data.constellations.totalCount, h.data.households.totalCount, c.data.children.totalCount]).toEqual([
      expected[who].constellations.length,
      expected[who].households.length,
      expected[who].children.length,
    ]);
  });
});

describe('node(id)', () => {
  const RANDOM = '5b0c4f8e-3a51-4c55-9d3f-1f0d8d6f2a11';
  const typeOf = async (id: string, token: string) => (await t.op(NodeTypeDocument, { id }, { token })).data.node?.__typename ?? null;

  test('each type resolves for a viewer who may see it, with the same id back', async () => {
    const [{ id: carerOfB }] = await t.fx.sql(`select id from carer where household_id = $1`, [w.satB]);
    const ids: [string, string][] = [
      ['Organisation', w.org],
      ['User', w.liaison.id],
      ['Household', w.satB],
      ['Carer', carerOfB],
      ['Constellation', w.k],
      ['Child', w.childA],
      ['Placement', w.placementA],
    ];
    for (const [type, id] of ids) {
      const r = await t.op(NodeTypeDocument, { id: gid(type, id) }, { token: w.carerA.token! });
      expect(r.data.node).toEqual({ __typename: type, id: gid(type, id) });
    }
  });

  test("another organisation's ids, ids the viewer may not see, wrong-type and garbage ids all read as null", async () => {
    const [{ id: carerOf2 }] = await t.fx.sql(`select id from carer where household_id = $1`, [w.sat2]);
    const unseen = [
      gid('Organisation', w.org2),
      gid('Household', w.foreignHousehold),
      gid('Child', w.foreignChild),
      gid('User', w.foreignAdmin.id),
      gid('Household', w.sat2), // another constellation
      gid('Carer', carerOf2),
      gid('Constellation', w.k2),
      gid('Child', w.childB), // placed with another household of the constellation
      gid('Placement', benPlacement),
      gid('User', w.carerB.userId!), // another household's carer login
      gid('Household', RANDOM),
      gid('Child', w.satA), // a household's uuid as a Child
      gid('Household', w.childA),
      gid('Sleepover', w.childA), // a type with no such row
      gid('Nope', w.satA),
      Buffer.from(`Household:${w.satA.toUpperCase()}x`).toString('base64url'),
      'not-an-id',
      '',
      'x'.repeat(5000),
    ];
    for (const id of unseen) expect(await typeOf(id, w.carerA.token!)).toBeNull();
    // Exactly like unknown: the same response for a foreign id as for a random one.
    const foreign = await t.op(HouseholdNodeDocument, { id: gid('Household', w.foreignHousehold) }, { token: w.admin.token });
    const unknown = await t.op(HouseholdNodeDocument, { id: gid('Household', RANDOM) }, { token: w.admin.token });
    expect({ status: foreign.status, data: foreign.data, errors: foreign.errors }).toEqual({ status: unknown.status, data: unknown.data, errors: unknown.errors });
  });

  test('organisation-wide staff see every kind of node of their organisation and none of another', async () => {
    for (const token of [w.admin.token, w.manager.token, w.ssw.token]) {
      for (const [type, id] of [
        ['Household', w.sat2],
        ['Child', hana],
        ['Constellation', w.k2],
        ['User', w.carer2.userId!],
        ['Placement', amyAtHillSide],
      ] as const) {
        expect(await typeOf(gid(type, id), token)).toBe(type);
      }
      for (const [type, id] of [
        ['Household', w.foreignHousehold],
        ['Child', w.foreignChild],
        ['User', w.foreignAdmin.id],
        ['Organisation', w.org2],
      ] as const) {
        expect(await typeOf(gid(type, id), token)).toBeNull();
      }
    }
    expect(await typeOf(gid('Household', w.satA), w.foreignAdmin.token)).toBeNull();
  });
});

describe('field privacy', () => {
  const household = async (id: string, token: string) => (await t.op(HouseholdNodeDocument, { id: gid('Household', id) }, { token })).data.node as any;

  test('a carer sees other households of their constellation by name and carers only; every field of their own', async () => {
    const other = await household(w.satB, w.carerA.token!);
    expect(other).toEqual({
      id: gid('Household', w.satB),
      name: 'Birch House',
      postcodeDistrict: 'LS8',
      carers: [{ id: expect.any(String), name: 'Bob Birch', user: null }],
      constellation: { id: gid('Constellation', w.k), name: 'Riverside' },
      status: null,
      isKinship: null,
      approval: null,
      approvedOn: null,
      deregisteredOn: null,
      deregistrationReason: null,
      supervisingSocialWorker: null,
      currentPlacements: null,
      vacancies: null,
    });
    const hub = await household(w.hubHousehold, w.carerA.token!);
    expect(hub).toMatchObject({ name: 'Hub Home', status: null, vacancies: null, currentPlacements: null, carers: [{ name: 'Helen Hub' }] });

    const own = await household(w.satA, w.carerA.token!);
    expect(own).toMatchObject({ name: 'Alder House', status: 'APPROVED', isKinship: false, approval: { maxChildren: 3 }, vacancies: 1 });
    expect(own.currentPlacements.map((p: any) => p.child.firstName).sort()).toEqual(['Amy', 'Ava']);
  });

  test("the hub carer too sees satellites' status, approval, placements and vacancies as null", async () => {
    expect(await household(w.satA, w.hubCarer.token!)).toMatchObject({ name: 'Alder House', status: null, approval: null, currentPlacements: null, vacancies: null, carers: [{ name: 'Ann Alder' }] });
  });

  test("a carer's status and vacancy filters match only their own household (they reveal nothing of others)", async () => {
    const byStatus = await t.op(HouseholdsDocument, { filter: { status: ['APPROVED'] } }, { token: w.carerA.token! });
    expect(byStatus.data.households.edges.map((e) => e.node.name)).toEqual(['Alder House']);
    const noVacancy = await t.op(HouseholdsDocument, { filter: { hasVacancy: false } }, { token: w.carerA.token! });
    expect(noVacancy.data.households.edges.map((e) => e.node.name)).toEqual([]);
    const staff = await t.op(HouseholdsDocument, { filter: { status: ['APPROVED'], constellationId: gid('Constellation', w.k) } }, { token: w.ssw.token });
    expect(staff.data.households.edges.map((e) => e.node.name)).toEqual(RIVERSIDE_NOW);
  });

  test('Child: reference and dateOfBirth are staff-only; carers see age', async () => {
    const asCarer = (await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token: w.carerA.token! })).data.node as any;
    expect(asCarer).toMatchObject({ firstName: 'Amy', reference: null, dateOfBirth: null, age: ageOn(day(-10 * 365), day(0)) });
    const asHub = (await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token: w.hubCarer.token! })).data.node as any;
    expect(asHub).toMatchObject({ reference: null, dateOfBirth: null });
    const asLiaison = (await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token: w.liaison.token })).data.node as any;
    expect(asLiaison.reference).toMatch(/^REF-/);
    expect(asLiaison.dateOfBirth).toBe(day(-10 * 365));
  });

  test('Placement: carers see only placements with households of their constellation, and never endReason or unplanned', async () => {
    const asCarer = (await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token: w.carerA.token! })).data.node as any;
    expect(asCarer.placements.map((p: any) => [p.household?.name, p.endDate, p.endReason, p.unplanned])).toEqual([
      ['Birch House', day(-200), null, null],
      ['Alder House', null, null, null],
    ]);
    expect((await t.op(PlacementNodeDocument, { id: gid('Placement', amyAtHillSide) }, { token: w.carerA.token! })).data.node).toBeNull();
    const birch = (await t.op(PlacementNodeDocument, { id: gid('Placement', amyAtBirch) }, { token: w.hubCarer.token! })).data.node as any;
    expect(birch).toMatchObject({ endDate: day(-200), endReason: null, unplanned: null });

    const asStaff = (await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token: w.ssw.token })).data.node as any;
    expect(asStaff.placements.map((p: any) => [p.household?.name, p.endReason, p.unplanned])).toEqual([
      ['Hill Side', 'CREQO', true],
      ['Birch House', 'CARPL', false],
      ['Alder House', null, null],
    ]);
  });

  test("sleepoverNotes: staff and the child's own carers; the hub carer only while a sleepover is open", async () => {
    const notes = async (token: string) => ((await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token })).data.node as any)?.sleepoverNotes;
    expect(await notes(w.ssw.token)).toBe('Needs a night light.');
    expect(await notes(w.carerA.token!)).toBe('Needs a night light.');
    expect(await notes(w.hubCarer.token!)).toBeNull();
    const [s] = await t.fx.sql(
      `insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date) values ($1, $2, $3, 'PLANNED', 'REQUESTED', $4, $5) returning id`,
      [w.org, w.k, w.satA, day(3), day(5)],
    );
    await t.fx.sql(`insert into sleepover_child (sleepover_id, child_id, organisation_id, start_date, end_date, active) values ($1, $2, $3, $4, $5, true)`, [s.id, w.childA, w.org, day(3), day(5)]);
    expect(await notes(w.hubCarer.token!)).toBe('Needs a night light.');
    await t.fx.sql(`update sleepover set status = 'CANCELLED' where id = $1`, [s.id]);
    expect(await notes(w.hubCarer.token!)).toBeNull();
  });

  test("the constellation's children: the hub carer all placed with satellites, a satellite carer only their own", async () => {
    const names = async (token: string) =>
      ((await t.op(ConstellationChildrenDocument, { id: gid('Constellation', w.k) }, { token })).data.node as any).children.edges.map((e: any) => e.node.firstName);
    expect(await names(w.hubCarer.token!)).toEqual(['Amy', 'Ava', 'Ben']);
    expect(await names(w.carerA.token!)).toEqual(['Amy', 'Ava']);
    expect(await names(w.carerB.token!)).toEqual(['Ben']);
    expect(await names(w.liaison.token)).toEqual(['Amy', 'Ava', 'Ben']);
  });
});

describe('a liaison worker sees only their constellations', () => {
  test('never the children of other households, even through households or care histories they can reach', async () => {
    // Elder House left Riverside: the liaison worker still sees it, but not the child placed there now.
    const elderHouse = (await t.op(HouseholdNodeDocument, { id: gid('Household', elder) }, { token: w.liaison.token })).data.node as any;
    expect(elderHouse.name).toBe('Elder House');
    expect(elderHouse.currentPlacements).toEqual([]);
    expect(elderHouse.vacancies).toBe(2); // vacancies count every placement, seen or not
    expect((await t.op(ChildNodeDocument, { id: gid('Child', eve) }, { token: w.liaison.token })).data.node).toBeNull();

    // Amy's care history leads to Hill Side (Hillside); Hana, placed there now, stays out of sight.
    const amy = (await t.op(ChildNodeDocument, { id: gid('Child', w.childA) }, { token: w.liaison.token })).data.node as any;
    const hillSide = amy.placements.find((p: any) => p.household?.name === 'Hill Side');
    expect(hillSide).toBeTruthy();
    const viaHistory = (await t.op(HouseholdNodeDocument, { id: hillSide.household.id }, { token: w.liaison.token })).data.node;
    expect(viaHistory).toBeNull();
    const nested = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Child { placements { household { name status approval { maxChildren } vacancies currentPlacements { child { firstName reference } } } } } } }`,
      { id: gid('Child', w.childA) },
      { token: w.liaison.token },
    );
    expect(nested.errors).toBeUndefined();
    // Met in a care history, another constellation's household shows its name only.
    expect(nested.data.node.placements.map((p: any) => p.household)).toEqual([
      { name: 'Hill Side', status: null, approval: null, vacancies: null, currentPlacements: null },
      { name: 'Birch House', status: 'APPROVED', approval: { maxChildren: 3 }, vacancies: 2, currentPlacements: [{ child: { firstName: 'Ben', reference: expect.any(String) } }] },
      { name: 'Alder House', status: 'APPROVED', approval: { maxChildren: 3 }, vacancies: 1, currentPlacements: expect.any(Array) },
    ]);
    const seen = JSON.stringify(nested.data);
    expect(seen).not.toContain('Hana');
    expect(seen).not.toContain('Eve');
  });

  test("users: every staff member, and the carers of their constellations' households only", async () => {
    const ids = async (token: string) => (await t.op(UsersDocument, { first: 100 }, { token })).data.users.edges.map((e) => e.node.id);
    const liaison = await ids(w.liaison.token);
    expect(liaison).toEqual(expect.arrayContaining([w.admin.id, w.manager.id, w.otherLiaison.id, w.hubCarer.userId!, w.carerA.userId!, w.carerB.userId!].map((id) => gid('User', id))));
    expect(liaison).not.toContain(gid('User', w.carer2.userId!));
    expect(liaison).not.toContain(gid('User', w.loneCarer.userId!));
    expect((await t.op(NodeTypeDocument, { id: gid('User', w.carer2.userId!) }, { token: w.liaison.token })).data.node).toBeNull();
    expect(await ids(w.otherLiaison.token)).toContain(gid('User', w.carer2.userId!));
    const all = await ids(w.ssw.token);
    expect(all).toEqual(expect.arrayContaining([w.carer2.userId!, w.loneCarer.userId!].map((id) => gid('User', id))));
    expect(all).not.toContain(gid('User', w.foreignAdmin.id));
  });

  test('the organisation-wide staff see those children', async () => {
    const elderHouse = (await t.op(HouseholdNodeDocument, { id: gid('Household', elder) }, { token: w.ssw.token })).data.node as any;
    expect(elderHouse.currentPlacements.map((p: any) => p.child.firstName)).toEqual(['Eve']);
    expect(elderHouse.vacancies).toBe(2);
  });
});
