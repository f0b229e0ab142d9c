import { MATCH_WEIGHTS, scoreMatch, type MatchFeatures } from '../../src/matching/matching.service';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

const MATCHES = `query($c: ID!, $s: Date!, $k: PlacementKind!, $f: Int) {
  placementMatches(childId: $c, startDate: $s, kind: $k, first: $f) { score reasons household { id name } } }`;

async function matches(token: string, childId: string, opts: { start?: string; kind?: string; first?: number } = {}) {
  const r = await t.gql(MATCHES, { c: gid('Child', childId), s: opts.start ?? day(7), k: opts.kind ?? 'SHORT_TERM', f: opts.first ?? 50 }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.placementMatches as { score: number; reasons: string[]; household: { id: string; name: string } }[];
}

const START_PLACEMENT = `mutation($i: StartPlacementInput!) { startPlacement(input: $i) { placement { id } userErrors { code message } } }`;

describe('ordering and reasons', () => {
  let org: string;
  let manager: { token: string };
  let cal: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    const fx = t.fx;
    org = await fx.organisation('Ordering Council');
    manager = await fx.user(org, 'FOSTERING_MANAGER');
    const h = async (name: string, postcode: string, extra: Parameters<typeof fx.household>[1] = {}) => fx.household(org, { name, postcode, ...extra });
    ids = {
      riversideHub: await h('Riverside Hub', 'LS6'),
      current: await h('Current Home', 'LS6'),
      riverTwo: await h('River Two', 'LS7'),
      hillHub: await h('Hill Hub', 'BD1'),
      hillOne: await h('Hill One', 'BD2'),
      sibling: await h('Sibling Home', 'LS9'),
      known: await h('Known Home', 'M2'),
      rocky: await h('Rocky Home', 'M4'),
      troubled: await h('Troubled Home', 'M3'),
      near: await h('Near Home', 'LS6'),
      plain: await h('Plain Home', 'M1'),
    };
    const riverside = await fx.constellation(org, ids.riversideHub, { name: 'Riverside' });
    await fx.member(org, riverside, ids.current);
    await fx.member(org, riverside, ids.riverTwo);
    const hillside = await fx.constellation(org, ids.hillHub, { name: 'Hillside' });
    await fx.member(org, hillside, ids.hillOne);

    cal = await fx.child(org, { firstName: 'Cal', dob: day(-9 * 365) });
    const amy = await fx.child(org, { firstName: 'Amy', dob: day(-11 * 365) });
    await fx.siblings(org, cal, amy);
    await fx.placement(org, cal, ids.known, day(-900), day(-600), { reason: 'CARPL', unplanned: false });
    await fx.placement(org, cal, ids.rocky, day(-600), day(-200), { reason: 'CREQB', unplanned: true });
    await fx.placement(org, cal, ids.current, day(-200));
    await fx.placement(org, amy, ids.sibling, day(-100));
    // Two disruptions at Troubled Home this year, one three years ago (too old to count).
    for (const [start, end] of [
      [day(-300), day(-100)],
      [day(-90), day(-50)],
      [day(-1300), day(-1100)],
    ]) {
      const other = await fx.child(org, { firstName: 'Other' });
      await fx.placement(org, other, ids.troubled, start, end, { reason: 'CREQB', unplanned: true });
    }
  });

  test('sibling beats known home beats same constellation beats any constellation beats postcode; disruptions count against', async () => {
    const list = await matches(manager.token, cal);
    const w = MATCH_WEIGHTS;
    expect(list.map((m) => [m.household.name, m.score, m.reasons])).toEqual([
      ['Sibling Home', w.siblingHere, ['Sibling Amy lives here']],
      ['Known Home', w.knownHome, ['A known home: Cal lived here before and it ended as planned']],
      ['River Two', w.sameConstellation, ['Same constellation as the current carers (Riverside)']],
      ['Hill One', w.anyConstellation, ['In the Hillside constellation (hub support)']],
      ['Near Home', w.samePostcodeDistrict, ['Same postcode district as the current carers (LS6)']],
      ['Plain Home', 0, []],
      ['Troubled Home', 2 * w.recentUnplannedEnding, ['2 unplanned endings here in the last 12 months']],
      // Cal's own disruption there, 200 days ago: both the child's history and the household's year count.
      ['Rocky Home', w.unplannedBefore + w.recentUnplannedEnding, ["Cal's earlier placement here ended unplanned", '1 unplanned ending here in the last 12 months']],
    ]);
    // Hubs never; the household Cal lives with on the start date is not a match for a move.
    expect(list.map((m) => m.household.id)).not.toContain(gid('Household', ids.riversideHub));
    expect(list.map((m) => m.household.name)).not.toContain('Current Home');
    expect(list.map((m) => m.household.name)).not.toContain('Hill Hub');
  });

  test('first cuts the list after ordering; ties go by household name', async () => {
    const top = await matches(manager.token, cal, { first: 2 });
    expect(top.map((m) => m.household.name)).toEqual(['Sibling Home', 'Known Home']);
    // Two featureless households score the same: name order decides.
    const twin = await t.fx.household(org, { name: 'Aardvark Home', postcode: 'M9' });
    const list = await matches(manager.token, cal);
    const zero = list.filter((m) => m.score === 0).map((m) => m.household.name);
    expect(zero).toEqual(['Aardvark Home', 'Plain Home']);
    await t.fx.sql(`delete from household where id = $1`, [twin]);
  });

  test('after the child has left: "last carers", and the constellation they were in then', async () => {
    const dee = await t.fx.child(org, { firstName: 'Dee', dob: day(-8 * 365) });
    await t.fx.placement(org, dee, ids.current, day(-300), day(-30), { reason: 'CARPL', unplanned: false });
    await t.fx.placement(org, dee, null, day(-30), null, { setting: 'RESIDENTIAL', provider: 'Oak Lodge' });
    const list = await matches(manager.token, dee);
    const byName = Object.fromEntries(list.map((m) => [m.household.name, m]));
    expect(byName['River Two'].reasons).toEqual(['Same constellation as the last carers (Riverside)']);
    expect(byName['Near Home'].reasons).toEqual(['Same postcode district as the last carers (LS6)']);
    // Her last home is a known home, not "the same constellation as" itself.
    expect(byName['Current Home'].reasons).toEqual(['A known home: Dee lived here before and it ended as planned', 'In the Riverside constellation (hub support)']);
    expect(byName['Current Home'].score).toBe(MATCH_WEIGHTS.knownHome + MATCH_WEIGHTS.anyConstellation);
  });

  test('statements per request do not grow with the number of matches', async () => {
    const q = `query($c: ID!, $s: Date!, $f: Int) { placementMatches(childId: $c, startDate: $s, kind: SHORT_TERM, first: $f) {
      score reasons household { id name postcodeDistrict approval { maxChildren } carers { name } } } }`;
    const one = await t.gql(q, { c: gid('Child', cal), s: day(7), f: 1 }, { token: manager.token });
    const many = await t.gql(q, { c: gid('Child', cal), s: day(7), f: 50 }, { token: manager.token });
    expect(one.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(one.data.placementMatches).toHaveLength(1);
    expect(many.data.placementMatches.length).toBeGreaterThanOrEqual(8);
    expect(many.statements).toBe(one.statements);
    // viewer, child, candidates, households, carers
    expect(many.statements).toBeLessThanOrEqual(5);
  });
});

describe('who is on the list', () => {
  let org: string;
  let manager: { token: string };
  let dan: string;
  let eve: string;
  const h: Record<string, string> = {};

  beforeAll(async () => {
    const fx = t.fx;
    org = await fx.organisation('Exclusions Council');
    manager = await fx.user(org, 'FOSTERING_MANAGER');
    dan = await fx.child(org, { firstName: 'Dan', dob: day(-10 * 365) });
    eve = await fx.child(org, { firstName: 'Eve', dob: day(-12 * 365) });
    await fx.siblings(org, dan, eve);
    const other = () => fx.child(org, { firstName: 'Other' });

    h.open = await fx.household(org, { name: 'Open Door' });
    h.notApproved = await fx.household(org, { name: 'In Assessment', status: 'IN_ASSESSMENT', minAge: 0, maxAge: 17, approvedOn: null });
    h.approvedLater = await fx.household(org, { name: 'Approved Later', approvedOn: day(30) });
    h.deregistered = await fx.household(org, { name: 'Deregistered' });
    await fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'RETIREMENT' where id = $1`, [h.deregistered, day(-10)]);
    h.leaving = await fx.household(org, { name: 'Leaving Soon' });
    await fx.sql(`update household set status = 'DEREGISTERED', deregistered_on = $2, deregistration_reason = 'RETIREMENT' where id = $1`, [h.leaving, day(100)]);
    h.onHold = await fx.household(org, { name: 'On Hold', status: 'ON_HOLD', minAge: 0, maxAge: 17, approvedOn: day(-1000) });
    h.youngOnly = await fx.household(org, { name: 'Under Fives', minAge: 0, maxAge: 4 });
    h.longTermOnly = await fx.household(org, { name: 'Long Term Only', kinds: ['LONG_TERM'] });
    h.fullLater = await fx.household(org, { name: 'Full Later', maxChildren: 1 });
    await fx.placement(org, await other(), h.fullLater, day(20));
    h.fullNow = await fx.household(org, { name: 'Full Now', maxChildren: 2 });
    await fx.placement(org, await other(), h.fullNow, day(-50));
    await fx.placement(org, await other(), h.fullNow, day(-40));
    h.freeBy = await fx.household(org, { name: 'Free By Then', maxChildren: 1 });
    await fx.placement(org, await other(), h.freeBy, day(-50), day(7), { reason: 'CARPL', unplanned: false });
    h.hub = await fx.household(org, { name: 'The Hub' });
    await fx.constellation(org, h.hub, { name: 'Northern Lights' });
    h.kinUnconnected = await fx.household(org, { name: 'Kin Unconnected', kinship: true });
    h.kinOfDan = await fx.household(org, { name: 'Kin of Dan', kinship: true });
    await fx.placement(org, dan, h.kinOfDan, day(-800), day(-700), { reason: 'CARPL', unplanned: false });
    h.kinOfEve = await fx.household(org, { name: 'Kin of Eve', kinship: true });
    await fx.placement(org, eve, h.kinOfEve, day(-60));
    h.reg24Unconnected = await fx.household(org, { name: 'Temporary Unconnected', status: 'TEMPORARILY_APPROVED' });
    h.reg24OfDan = await fx.household(org, { name: 'Temporary for Dan', status: 'TEMPORARILY_APPROVED', kinship: true, postcode: 'YO1' });
    await fx.placement(org, dan, h.reg24OfDan, day(-650), day(-600), { reason: 'CARPL', unplanned: false });
    // Another organisation's household, approved for anything, in the same postcode.
    const org2 = await fx.organisation('Elsewhere');
    await fx.household(org2, { name: 'Foreign Open Door' });
  });

  test('only households that could take the child on the start date', async () => {
    const list = await matches(manager.token, dan);
    expect(list.map((m) => m.household.name).sort()).toEqual(['Free By Then', 'Kin of Dan', 'Kin of Eve', 'Open Door', 'Temporary for Dan']);
    const byName = Object.fromEntries(list.map((m) => [m.household.name, m]));
    expect(byName['Kin of Eve'].reasons).toEqual(['Sibling Eve lives here', "Family and friends carers connected to Dan's sibling Eve"]);
    expect(byName['Kin of Eve'].score).toBe(MATCH_WEIGHTS.siblingHere + MATCH_WEIGHTS.kinshipConnected);
    expect(byName['Kin of Dan'].reasons).toEqual(['Family and friends carers connected to Dan', 'A known home: Dan lived here before and it ended as planned']);
    expect(list[0].household.name).toBe('Kin of Eve');
  });

  test('the age and kind are judged on the start date', async () => {
    const year = Number(day(0).slice(0, 4)) + 1;
    const hal = await t.fx.child(org, { firstName: 'Hal', dob: `${year - 11}-06-15` });
    const older = await t.fx.household(org, { name: 'Eleven Plus', minAge: 11, maxAge: 17 });
    const names = async (start: string, kind = 'SHORT_TERM') => (await matches(manager.token, hal, { start, kind })).map((m) => m.household.name);
    expect(await names(`${year}-06-14`)).not.toContain('Eleven Plus');
    expect(await names(`${year}-06-15`)).toContain('Eleven Plus');
    expect(await names(`${year}-06-15`)).not.toContain('Long Term Only');
    expect(await names(`${year}-06-15`, 'LONG_TERM')).toContain('Long Term Only');
    await t.fx.sql(`delete from household where id = $1`, [older]);
  });

  test('the placement rules are the ones startPlacement refuses on', async () => {
    const expected: [string, string][] = [
      ['notApproved', 'NOT_APPROVED'],
      ['approvedLater', 'NOT_APPROVED'],
      ['deregistered', 'NOT_APPROVED'],
      ['onHold', 'NOT_APPROVED'],
      ['youngOnly', 'OUTSIDE_APPROVAL'],
      ['longTermOnly', 'OUTSIDE_APPROVAL'],
      ['fullLater', 'NO_VACANCY'],
      ['fullNow', 'NO_VACANCY'],
      ['hub', 'INVALID_STATE'],
    ];
    for (const [key, code] of expected) {
      const r = await t.gql(START_PLACEMENT, { i: { childId: gid('Child', dan), householdId: gid('Household', h[key]), kind: 'SHORT_TERM', startDate: day(7) } }, { token: manager.token });
      expect([key, r.data.startPlacement.userErrors.map((e: any) => e.code)]).toEqual([key, [code]]);
    }
    expect((await t.fx.sql(`select count(*)::int n from placement where child_id = $1`, [dan]))[0].n).toBe(2);
    // And a household on the list takes him: the place freed on the start date counts as free.
    const placed = await t.gql(START_PLACEMENT, { i: { childId: gid('Child', dan), householdId: gid('Household', h.freeBy), kind: 'SHORT_TERM', startDate: day(7) } }, { token: manager.token });
    expect(placed.data.startPlacement.userErrors).toEqual([]);
    // From then on he lives there: not a household to move him to.
    const later = (await matches(manager.token, dan, { start: day(8) })).map((m) => m.household.name);
    expect(later).not.toContain('Free By Then');
    expect(later).toContain('Open Door');
  });

  test('scoped to the viewer: carers are refused, other organisations see nothing, bad arguments are BAD_USER_INPUT', async () => {
    const carerHousehold = await t.fx.household(org, { name: 'Carer Home' });
    const carer = await t.fx.carer(org, carerHousehold);
    const refused = await t.gql(MATCHES, { c: gid('Child', dan), s: day(7), k: 'SHORT_TERM' }, { token: carer.token });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(refused.data).toBeNull();
    const anonymous = await t.gql(MATCHES, { c: gid('Child', dan), s: day(7), k: 'SHORT_TERM' });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const org2 = (await t.fx.sql(`select id from organisation where name = 'Elsewhere'`))[0].id;
    const foreign = await t.fx.user(org2, 'ADMIN');
    // Their admin asking about our child reads like an unknown child …
    expect(await matches(foreign.token, dan)).toEqual([]);
    // … and their own child is offered only their households.
    const theirs = await t.fx.child(org2, { firstName: 'Fin', dob: day(-10 * 365) });
    expect((await matches(foreign.token, theirs)).map((m) => m.household.name)).toEqual(['Foreign Open Door']);
    expect(await matches(manager.token, theirs)).toEqual([]);

    for (const f of [0, 51, -1]) {
      const r = await t.gql(MATCHES, { c: gid('Child', dan), s: day(7), k: 'SHORT_TERM', f }, { token: manager.token });
      expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const badId = await t.gql(MATCHES, { c: gid('Household', dan), s: day(7), k: 'SHORT_TERM' }, { token: manager.token });
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const defaults = await t.gql(`query($c: ID!) { placementMatches(childId: $c, startDate: "${day(7)}", kind: SHORT_TERM) { score } }`, { c: gid('Child', dan) }, { token: manager.token });
    expect(defaults.errors).toBeUndefined();
  });

  test('a liaison worker sees matches among the households of their constellations only', async () => {
    const liaison = await t.fx.user(org, 'LIAISON_WORKER');
    const hubHome = await t.fx.household(org, { name: 'Liaison Hub' });
    const k = await t.fx.constellation(org, hubHome, { name: 'Liaison Lights', liaison: liaison.id });
    const satellite = await t.fx.household(org, { name: 'Liaison Satellite' });
    await t.fx.member(org, k, satellite);
    const sat2 = await t.fx.household(org, { name: 'Liaison Satellite Two', postcode: 'HX1' });
    await t.fx.member(org, k, sat2);
    // The liaison worker may see Gus (placed in their constellation), not Dan.
    const gus = await t.fx.child(org, { firstName: 'Gus', dob: day(-10 * 365) });
    await t.fx.placement(org, gus, satellite, day(-30));
    expect(await matches(liaison.token, dan)).toEqual([]);
    const list = await matches(liaison.token, gus);
    expect(list.map((m) => [m.household.name, m.reasons])).toEqual([['Liaison Satellite Two', ['Same constellation as the current carers (Liaison Lights)']]]);
  });
});

describe('scoreMatch', () => {
  const base: MatchFeatures = {
    childName: 'Cal',
    siblingsHere: [],
    kinship: false,
    childConnected: false,
    siblingsConnected: [],
    plannedBefore: false,
    unplannedBefore: false,
    reference: { current: true, isThisHousehold: false, postcodeDistrict: 'LS6' },
    sameConstellation: false,
    constellation: null,
    postcodeDistrict: 'M1',
    recentUnplannedEndings: 0,
    needs: [],
    skills: [],
    sleepoversHere: 0,
    hubBookingsHere: 0,
    stayedHere: false,
    bedrooms: null,
    roomsTaken: 0,
  };

  test('reasons strongest first, penalties by their size, and the score is their sum', () => {
    const r = scoreMatch({
      ...base,
      siblingsHere: [
        { name: 'Amy', visible: true },
        { name: 'Ava', visible: true },
      ],
      sameConstellation: true,
      constellation: { name: 'Riverside' },
      postcodeDistrict: 'LS6',
      recentUnplannedEndings: 5,
    });
    expect(r.reasons).toEqual([
      'Siblings Amy and Ava live here',
      'Same constellation as the current carers (Riverside)',
      '5 unplanned endings here in the last 12 months',
      'Same postcode district as the current carers (LS6)',
    ]);
    const w = MATCH_WEIGHTS;
    expect(r.score).toBe(w.siblingHere + w.furtherSiblingHere + w.sameConstellation + 3 * w.recentUnplannedEnding + w.samePostcodeDistrict);
  });

  test('siblings the viewer may not see are counted, not named', () => {
    expect(scoreMatch({ ...base, siblingsHere: [{ name: 'Amy', visible: false }] }).reasons).toEqual(['A sibling lives here']);
    expect(
      scoreMatch({
        ...base,
        siblingsHere: [
          { name: 'Amy', visible: true },
          { name: 'Zed', visible: false },
        ],
      }).reasons,
    ).toEqual(['Siblings Amy and 1 more live here']);
    expect(scoreMatch({ ...base, kinship: true, siblingsConnected: [{ name: 'Zed', visible: false }] }).reasons).toEqual(['Family and friends carers connected to a sibling of Cal']);
  });

  test('a child with no household history gets no same-constellation or postcode reasons', () => {
    const r = scoreMatch({ ...base, reference: null, sameConstellation: false, constellation: { name: 'Hillside' }, postcodeDistrict: 'LS6' });
    expect(r.reasons).toEqual(['In the Hillside constellation (hub support)']);
  });
});
