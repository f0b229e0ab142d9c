import { fromGlobalId } from '../../src/platform/graphql/ids';
import { startTestApp, type GqlResult, type TestApp } from '../support/app';
import { RANDOM_UUID } from '../support/errors';
import { day, gid } from '../support/fixtures';
import { expectNothingWritten } from '../support/state';

/**
 * Bad input of every kind gets a clear answer and writes nothing: unknown, foreign, wrong-type and
 * garbage ids; impossible and out-of-range dates; ages out of range; end dates not after starts;
 * empty and 100 kB strings; malformed requests. Never an internal error, never a stack trace.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let vacant: string; // an approved household with places, in no constellation
let unplaced: string; // a child with no placement
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  vacant = await t.fx.household(w.org, { name: 'Vacant House' });
  unplaced = await t.fx.child(w.org, { firstName: 'Una' });
});
afterAll(async () => t.stop());

const BIG = 'x'.repeat(100 * 1024);
const USER_ERRORS = `userErrors { code field message }`;

/** Each mutation with a valid input (as the manager or admin sends it) and where its payload is. */
const M = {
  createUser: { q: `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } ${USER_ERRORS} } }`, admin: true },
  deactivateUser: { q: `mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { id } ${USER_ERRORS} } }`, admin: true },
  changePassword: { q: `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { user { id } ${USER_ERRORS} } }`, admin: true },
  createHousehold: { q: `mutation($i: CreateHouseholdInput!) { createHousehold(input: $i) { household { id } ${USER_ERRORS} } }` },
  updateHousehold: { q: `mutation($i: UpdateHouseholdInput!) { updateHousehold(input: $i) { household { id } ${USER_ERRORS} } }` },
  deregisterHousehold: { q: `mutation($i: DeregisterHouseholdInput!) { deregisterHousehold(input: $i) { household { id } ${USER_ERRORS} } }` },
  addCarer: { q: `mutation($i: AddCarerInput!) { addCarer(input: $i) { household { id } ${USER_ERRORS} } }` },
  createConstellation: { q: `mutation($i: CreateConstellationInput!) { createConstellation(input: $i) { constellation { id } ${USER_ERRORS} } }` },
  updateConstellation: { q: `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { constellation { id } ${USER_ERRORS} } }` },
  addConstellationMember: { q: `mutation($i: ConstellationMemberInput!) { addConstellationMember(input: $i) { constellation { id } ${USER_ERRORS} } }` },
  removeConstellationMember: { q: `mutation($i: ConstellationMemberInput!) { removeConstellationMember(input: $i) { constellation { id } ${USER_ERRORS} } }` },
  registerChild: { q: `mutation($i: RegisterChildInput!) { registerChild(input: $i) { child { id } ${USER_ERRORS} } }` },
  updateChild: { q: `mutation($i: UpdateChildInput!) { updateChild(input: $i) { child { id } ${USER_ERRORS} } }` },
  startPlacement: { q: `mutation($i: StartPlacementInput!) { startPlacement(input: $i) { placement { id } ${USER_ERRORS} } }` },
  endPlacement: { q: `mutation($i: EndPlacementInput!) { endPlacement(input: $i) { placement { id } ${USER_ERRORS} } }` },
} as const;
type Name = keyof typeof M;

let refSeq = 0;
/** A valid input for each mutation; tests spoil one field at a time. */
const valid = (name: Name): Record<string, unknown> => {
  switch (name) {
    case 'createUser':
      return { email: `ok-${++refSeq}@example.test`, name: 'Ok Person', role: 'CARER', password: 'a-long-password', householdId: gid('Household', vacant) };
    case 'deactivateUser':
      return { userId: gid('User', w.ssw.id) };
    case 'changePassword':
      return { currentPassword: 'correct-horse-battery', newPassword: 'another-long-password' };
    case 'createHousehold':
      return {
        name: 'Ok House',
        postcodeDistrict: 'LS6',
        status: 'APPROVED',
        approval: { minAge: 0, maxAge: 17, maxChildren: 2, kinds: ['LONG_TERM'] },
        approvedOn: day(-10),
        supervisingSocialWorkerId: gid('User', w.ssw.id),
        carerNames: ['Ok Carer'],
      };
    case 'updateHousehold':
      return { householdId: gid('Household', vacant), name: 'Vacant House', postcodeDistrict: 'LS6', approvedOn: day(-1000), supervisingSocialWorkerId: gid('User', w.ssw.id) };
    case 'deregisterHousehold':
      return { householdId: gid('Household', vacant), deregisteredOn: day(0), reason: 'OTHER', note: 'ok' };
    case 'addCarer':
      return { householdId: gid('Household', vacant), name: 'Ok Carer' };
    case 'createConstellation':
      return { name: 'Ok Star', hubHouseholdId: gid('Household', vacant), liaisonWorkerId: gid('User', w.liaison.id), launchedOn: day(-1) };
    case 'updateConstellation':
      return { constellationId: gid('Constellation', w.k2), name: 'Hillside', liaisonWorkerId: gid('User', w.otherLiaison.id), hubHouseholdId: gid('Household', vacant), hubChangedOn: day(1) };
    case 'addConstellationMember':
      return { constellationId: gid('Constellation', w.k2), householdId: gid('Household', vacant), date: day(-1) };
    case 'removeConstellationMember':
      return { constellationId: gid('Constellation', w.k), householdId: gid('Household', w.satB), date: day(0) };
    case 'registerChild':
      return { reference: `OK-${++refSeq}`, firstName: 'Ok', dateOfBirth: day(-3000), siblingIds: [gid('Child', unplaced)], sleepoverNotes: 'ok' };
    case 'updateChild':
      return { childId: gid('Child', unplaced), reference: `UNA-${++refSeq}`, firstName: 'Una', dateOfBirth: day(-3001), siblingIds: [gid('Child', w.childLone)], sleepoverNotes: 'ok' };
    case 'startPlacement':
      return { childId: gid('Child', unplaced), householdId: gid('Household', vacant), kind: 'LONG_TERM', startDate: day(-1), providerName: null, hubOverrideReason: null };
    case 'endPlacement':
      return { placementId: gid('Placement', w.placementA), endDate: day(1), reason: 'CARPL', unplanned: false };
  }
};

const send = (name: Name, input: Record<string, unknown>) => t.gql(M[name].q, { i: input }, { token: 'admin' in M[name] ? w.admin.token : w.manager.token });
const payload = (name: Name, r: GqlResult) => r.data?.[name];
const codes = (name: Name, r: GqlResult) => (payload(name, r)?.userErrors ?? []).map((e: any) => `${e.code} ${e.field.join('.')}`);

/** Sends a spoiled input; asserts nothing was written and no internal error happened. */
async function spoiled(name: Name, patch: Record<string, unknown>): Promise<GqlResult> {
  const r = await expectNothingWritten(t, () => send(name, { ...valid(name), ...patch }));
  for (const e of r.errors ?? []) {
    expect(e.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(e)).not.toMatch(/\n\s+at |stacktrace/);
  }
  // A 100 kB input is never echoed back.
  expect(JSON.stringify(r.data ?? null).length + JSON.stringify(r.errors ?? null).length).toBeLessThan(4000);
  return r;
}

test('the valid inputs are valid (so each refusal below is about the one field spoiled)', async () => {
  const ok: Name[] = ['createHousehold', 'addCarer', 'registerChild', 'updateHousehold'];
  for (const name of ok) {
    const r = await send(name, valid(name));
    expect([name, r.errors, payload(name, r)?.userErrors]).toEqual([name, undefined, []]);
  }
});

describe("ids: unknown, another organisation's, of the wrong type, garbage — NOT_FOUND on the field, alike", () => {
  const cases: [Name, string, 'Household' | 'User' | 'Constellation' | 'Child' | 'Placement', () => string][] = [
    ['createUser', 'householdId', 'Household', () => w.foreignHousehold],
    ['deactivateUser', 'userId', 'User', () => w.foreignAdmin.id],
    ['createHousehold', 'supervisingSocialWorkerId', 'User', () => w.foreignAdmin.id],
    ['updateHousehold', 'householdId', 'Household', () => w.foreignHousehold],
    ['updateHousehold', 'supervisingSocialWorkerId', 'User', () => w.foreignAdmin.id],
    ['deregisterHousehold', 'householdId', 'Household', () => w.foreignHousehold],
    ['addCarer', 'householdId', 'Household', () => w.foreignHousehold],
    ['createConstellation', 'hubHouseholdId', 'Household', () => w.foreignHousehold],
    ['createConstellation', 'liaisonWorkerId', 'User', () => w.foreignAdmin.id],
    ['updateConstellation', 'constellationId', 'Constellation', () => RANDOM_UUID],
    ['updateConstellation', 'liaisonWorkerId', 'User', () => w.foreignAdmin.id],
    ['updateConstellation', 'hubHouseholdId', 'Household', () => w.foreignHousehold],
    ['addConstellationMember', 'constellationId', 'Constellation', () => RANDOM_UUID],
    ['addConstellationMember', 'householdId', 'Household', () => w.foreignHousehold],
    ['removeConstellationMember', 'constellationId', 'Constellation', () => RANDOM_UUID],
    ['removeConstellationMember', 'householdId', 'Household', () => w.foreignHousehold],
    ['updateChild', 'childId', 'Child', () => w.foreignChild],
    ['startPlacement', 'childId', 'Child', () => w.foreignChild],
    ['startPlacement', 'householdId', 'Household', () => w.foreignHousehold],
    ['endPlacement', 'placementId', 'Placement', () => RANDOM_UUID],
  ];
  test.each(cases)('%s.%s', async (name, field, type, foreign) => {
    const wrongType = type === 'Household' ? 'Child' : 'Household';
    // The row the valid input names, under another type's name, must not be found either.
    const real = fromGlobalId(valid(name)[field])?.id ?? RANDOM_UUID;
    const ids = [gid(type, RANDOM_UUID), gid(type, foreign()), gid(wrongType, real), gid(wrongType, w.satA), 'garbage', '', BIG];
    const answers = [];
    for (const id of ids) {
      const r = await spoiled(name, { [field]: id });
      expect(codes(name, r)).toEqual([`NOT_FOUND input.${field}`]);
      answers.push(payload(name, r));
    }
    // Another organisation's id reads exactly like an unknown one.
    for (const a of answers) expect(a).toEqual(answers[0]);
  });

  test.each([
    ['registerChild', 'siblingIds'],
    ['updateChild', 'siblingIds'],
  ] as [Name, string][])('%s.%s', async (name, field) => {
    for (const ids of [[gid('Child', RANDOM_UUID)], [gid('Child', w.foreignChild)], [gid('Household', w.childA)], ['garbage'], [BIG]]) {
      const r = await spoiled(name, { [field]: ids });
      expect(codes(name, r)).toEqual([`NOT_FOUND input.${field}`]);
    }
  });
});

describe('dates', () => {
  const dateFields: [Name, string][] = [
    ['createHousehold', 'approvedOn'],
    ['updateHousehold', 'approvedOn'],
    ['deregisterHousehold', 'deregisteredOn'],
    ['createConstellation', 'launchedOn'],
    ['updateConstellation', 'hubChangedOn'],
    ['addConstellationMember', 'date'],
    ['removeConstellationMember', 'date'],
    ['registerChild', 'dateOfBirth'],
    ['updateChild', 'dateOfBirth'],
    ['startPlacement', 'startDate'],
    ['endPlacement', 'endDate'],
  ];

  test.each(dateFields)('%s.%s: impossible dates are BAD_USER_INPUT before anything runs', async (name, field) => {
    for (const bad of ['2015-02-30', '2023-02-29', '2015-13-01', '2015-00-10', '2015-2-3', '15-02-03', '2015/02/03', '2015-02-03T00:00:00Z', 'yesterday', '', 20150203, BIG]) {
      const r = await spoiled(name, { [field]: bad });
      expect(r.status).toBe(200);
      expect(r.data).toBeUndefined();
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors?.[0].message).toMatch(/YYYY-MM-DD/);
    }
  });

  test.each(dateFields)('%s.%s: real dates outside 1900–2200 are an INVALID_INPUT userError', async (name, field) => {
    for (const far of ['0001-01-01', '1899-12-31', '2201-01-01', '9999-12-31']) {
      const r = await spoiled(name, { [field]: far });
      expect(codes(name, r)).toContain(`INVALID_INPUT input.${field}`);
    }
  });

  test('an impossible date written into the query itself is refused at validation', async () => {
    const r = await expectNothingWritten(t, () =>
      t.gql(`mutation { registerChild(input: { reference: "Z1", firstName: "Zed", dateOfBirth: "2015-02-30" }) { ${USER_ERRORS} } }`, {}, { token: w.manager.token }),
    );
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(r.errors?.[0].message).toMatch(/2015-02-30/);
  });

  test('29 February is a date in leap years', async () => {
    const r = await send('registerChild', { ...valid('registerChild'), dateOfBirth: '2016-02-29', siblingIds: [] });
    expect(payload('registerChild', r).userErrors).toEqual([]);
  });

  test('end dates must come after starts', async () => {
    const ended = await spoiled('endPlacement', { endDate: day(-200) }); // placementA started on day(-200)
    expect(codes('endPlacement', ended)).toEqual(['INVALID_INPUT input.endDate']);
    const before = await spoiled('endPlacement', { endDate: day(-201) });
    expect(codes('endPlacement', before)).toEqual(['INVALID_INPUT input.endDate']);
    const dereg = await spoiled('deregisterHousehold', { deregisteredOn: day(-1001) }); // approved on day(-1000)
    expect(codes('deregisterHousehold', dereg)).toEqual(['INVALID_INPUT input.deregisteredOn']);
    const leave = await spoiled('removeConstellationMember', { date: day(-401) }); // joined on day(-400)
    expect(codes('removeConstellationMember', leave)).toEqual(['NOT_FOUND input.householdId']);
  });
});

describe('numbers and ages out of range', () => {
  test('approval ages, children and kinds', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ minAge: -1 }, ['INVALID_INPUT input.approval.minAge']],
      [{ minAge: 26, maxAge: 26 }, ['INVALID_INPUT input.approval.minAge', 'INVALID_INPUT input.approval.maxAge']],
      [{ maxAge: 26 }, ['INVALID_INPUT input.approval.maxAge']],
      [{ minAge: 10, maxAge: 9 }, ['INVALID_INPUT input.approval.maxAge']],
      [{ maxChildren: 0 }, ['INVALID_INPUT input.approval.maxChildren']],
      [{ maxChildren: 21 }, ['INVALID_INPUT input.approval.maxChildren']],
      [{ kinds: [] }, ['INVALID_INPUT input.approval.kinds']],
    ];
    for (const [approval, expected] of cases) {
      for (const name of ['createHousehold', 'updateHousehold'] as const) {
        const base = { minAge: 0, maxAge: 17, maxChildren: 2, kinds: ['LONG_TERM'] };
        const r = await spoiled(name, { approval: { ...base, ...approval } });
        expect(codes(name, r)).toEqual(expected);
      }
    }
  });

  test('sleepover beds', async () => {
    for (const sleepoverBeds of [0, -1, 11]) {
      expect(codes('createConstellation', await spoiled('createConstellation', { sleepoverBeds }))).toEqual(['INVALID_INPUT input.sleepoverBeds']);
      expect(codes('updateConstellation', await spoiled('updateConstellation', { sleepoverBeds, hubHouseholdId: undefined, hubChangedOn: undefined }))).toEqual(['INVALID_INPUT input.sleepoverBeds']);
    }
  });

  test('integers beyond 32 bits, non-integers, unknown enum values and missing fields are BAD_USER_INPUT', async () => {
    const cases: [Name, Record<string, unknown>][] = [
      ['createHousehold', { approval: { minAge: 0, maxAge: 2 ** 31, maxChildren: 2, kinds: ['LONG_TERM'] } }],
      ['createHousehold', { approval: { minAge: 0.5, maxAge: 17, maxChildren: 2, kinds: ['LONG_TERM'] } }],
      ['createHousehold', { approval: { minAge: '1', maxAge: 17, maxChildren: 2, kinds: ['LONG_TERM'] } }],
      ['createHousehold', { status: 'MAYBE' }],
      ['startPlacement', { kind: 'FOREVER' }],
      ['startPlacement', { kind: null }],
      ['endPlacement', { unplanned: 'no' }],
      ['createUser', { role: 'SUPERUSER' }],
    ];
    for (const [name, patch] of cases) {
      const r = await spoiled(name, patch);
      expect([name, r.errors?.map((e) => e.extensions?.code)]).toEqual([name, ['BAD_USER_INPUT']]);
    }
  });

  test('a date of birth more than 25 years ago, or in the future', async () => {
    for (const name of ['registerChild', 'updateChild'] as const) {
      expect(codes(name, await spoiled(name, { dateOfBirth: day(-26 * 366) }))).toEqual(['INVALID_INPUT input.dateOfBirth']);
      expect(codes(name, await spoiled(name, { dateOfBirth: day(1) }))).toEqual(['INVALID_INPUT input.dateOfBirth']);
    }
  });
});

describe('strings: empty, blank, 100 kB, control characters', () => {
  const required: [Name, string][] = [
    ['createUser', 'name'],
    ['createHousehold', 'name'],
    ['createHousehold', 'postcodeDistrict'],
    ['updateHousehold', 'name'],
    ['updateHousehold', 'postcodeDistrict'],
    ['addCarer', 'name'],
    ['createConstellation', 'name'],
    ['updateConstellation', 'name'],
    ['registerChild', 'reference'],
    ['registerChild', 'firstName'],
    ['updateChild', 'reference'],
    ['updateChild', 'firstName'],
  ];
  test.each(required)('%s.%s', async (name, field) => {
    for (const bad of ['', '   ', BIG, 'Tab\u0007Bell']) {
      const r = await spoiled(name, { [field]: bad });
      expect(codes(name, r)).toContain(`INVALID_INPUT input.${field}`);
    }
  });

  test('carer names in a list are checked one by one', async () => {
    const r = await spoiled('createHousehold', { carerNames: ['Fine', '', BIG] });
    expect(codes('createHousehold', r)).toEqual(['INVALID_INPUT input.carerNames.1', 'INVALID_INPUT input.carerNames.2']);
  });

  const optional: [Name, string][] = [
    ['deregisterHousehold', 'note'],
    ['registerChild', 'sleepoverNotes'],
    ['updateChild', 'sleepoverNotes'],
    ['startPlacement', 'providerName'],
    ['startPlacement', 'hubOverrideReason'],
  ];
  test.each(optional)('%s.%s: 100 kB is refused', async (name, field) => {
    const r = await spoiled(name, { [field]: BIG });
    expect(codes(name, r)).toEqual([`INVALID_INPUT input.${field}`]);
  });

  test('credentials: empty or 100 kB emails and passwords', async () => {
    for (const [email, password] of [
      ['', ''],
      [BIG, 'whatever-password'],
      [w.admin.email, BIG],
    ]) {
      const r = await expectNothingWritten(t, () => t.gql(`mutation($i: LoginInput!) { login(input: $i) { token ${USER_ERRORS} } }`, { i: { email, password } }));
      expect(r.data.login.userErrors.map((e: any) => e.code)).toEqual(['INVALID_CREDENTIALS']);
    }
    for (const [patch, field] of [
      [{ email: '' }, 'email'],
      [{ email: `${BIG}@example.test` }, 'email'],
      [{ password: '' }, 'password'],
      [{ password: BIG }, 'password'],
    ] as const) {
      expect(codes('createUser', await spoiled('createUser', patch))).toEqual([`INVALID_INPUT input.${field}`]);
    }
    expect(codes('changePassword', await spoiled('changePassword', { newPassword: BIG }))).toEqual(['INVALID_INPUT input.newPassword']);
    expect(codes('changePassword', await spoiled('changePassword', { currentPassword: BIG }))).toEqual(['INVALID_CREDENTIALS input.currentPassword']);
  });

  test('search filters take any string, and a 100 kB one finds nothing rather than failing', async () => {
    for (const q of [`query($s: String) { households(filter: { search: $s }) { totalCount } }`, `query($s: String) { children(filter: { search: $s }) { totalCount } }`]) {
      const big = await t.gql(q, { s: BIG }, { token: w.manager.token });
      expect(big.errors).toBeUndefined();
      expect(Object.values(big.data)[0]).toEqual({ totalCount: 0 });
      const empty = await t.gql(q, { s: '' }, { token: w.manager.token });
      expect((Object.values(empty.data)[0] as any).totalCount).toBeGreaterThan(0);
    }
  });
});

describe('malformed requests', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${w.manager.token}`, ...headers }, body });

  test('a body that is not JSON, too large, or not a GraphQL request', async () => {
    const notJson = await post('{"query": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    const huge = await post(JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1_100_000) } }));
    expect(huge.status).toBe(413);
    const noQuery = await post(JSON.stringify({ variables: {} }));
    expect(noQuery.status).toBe(400);
  });

  test('syntax errors, unknown fields and wrong variable types are refused with their codes, and nothing runs', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [`mutation { createHousehold(input: { name: "A" `, {}, 'GRAPHQL_PARSE_FAILED'],
      [`{ households { edges { node { password } } } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
      [`mutation { createHousehold(input: { name: "A" }) { userErrors { code } } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
      [`mutation($i: CreateHouseholdInput!) { createHousehold(input: $i) { userErrors { code } } }`, { i: 'not an object' }, 'BAD_USER_INPUT'],
      [`mutation($i: CreateHouseholdInput!) { createHousehold(input: $i) { userErrors { code } } }`, { i: { name: 'A', postcodeDistrict: 'LS6', extra: 1 } }, 'BAD_USER_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      const r = await expectNothingWritten(t, () => t.gql(query, variables, { token: w.manager.token }));
      expect([query, r.errors?.map((e) => e.extensions?.code)]).toEqual([query, [code]]);
      expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|\n\s+at /);
    }
  });

  test('a mutation sent as GET is refused', async () => {
    const q = encodeURIComponent(`mutation { addCarer(input: { householdId: "${gid('Household', vacant)}", name: "Via Get" }) { userErrors { code } } }`);
    const r = await expectNothingWritten(t, () => fetch(`${t.url}?query=${q}`, { headers: { authorization: `Bearer ${w.manager.token}`, 'apollo-require-preflight': 'true' } }));
    expect(r.status).toBe(405);
  });
});
