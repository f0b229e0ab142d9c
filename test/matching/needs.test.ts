import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';

// Who may read and write needs and skills, what bad input gets, and what the audit trail keeps.

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const SET_NEEDS = `mutation($i: SetChildNeedsInput!) { setChildNeeds(input: $i) { child { id needs { area detail essential } } userErrors { code message field } } }`;
const SET_SKILLS = `mutation($i: SetHouseholdSkillsInput!) { setHouseholdSkills(input: $i) { household { id skills { area detail } bedrooms } userErrors { code message field } } }`;
const CHILD_NEEDS = `query($id: ID!) { node(id: $id) { ... on Child { needs { area detail essential } } } }`;
const HOUSEHOLD = `query($id: ID!) { node(id: $id) { ... on Household { name skills { area detail } bedrooms } } }`;

test('staff set needs; the list is replaced as a whole; carers never see them; the audit keeps counts only', async () => {
  const needs = [
    { area: 'MEDICAL', detail: '  nut allergy ', essential: true },
    { area: 'RELIGION_AND_CULTURE', detail: 'halal diet' },
  ];
  const r = await t.gql(SET_NEEDS, { i: { childId: gid('Child', w.childA), needs } }, { token: w.ssw.token });
  expect(r.data.setChildNeeds).toEqual({
    child: {
      id: gid('Child', w.childA),
      needs: [
        { area: 'MEDICAL', detail: 'nut allergy', essential: true },
        { area: 'RELIGION_AND_CULTURE', detail: 'halal diet', essential: false },
      ],
    },
    userErrors: [],
  });
  // The liaison worker of the child's constellation reads them; carers (even the child's own) and
  // other organisations do not.
  expect((await t.gql(CHILD_NEEDS, { id: gid('Child', w.childA) }, { token: w.liaison.token })).data.node.needs).toHaveLength(2);
  expect((await t.gql(CHILD_NEEDS, { id: gid('Child', w.childA) }, { token: w.carerA.token })).data.node).toEqual({ needs: null });
  expect((await t.gql(CHILD_NEEDS, { id: gid('Child', w.childA) }, { token: w.hubCarer.token })).data.node).toEqual({ needs: null });
  expect((await t.gql(CHILD_NEEDS, { id: gid('Child', w.childA) }, { token: w.foreignAdmin.token })).data.node).toBeNull();

  const [audit] = await t.fx.sql(`select summary from audit_event where action = 'Child.setNeeds' and subject_id = $1 order by at desc limit 1`, [gid('Child', w.childA)]);
  expect(audit.summary).toMatchObject({ needs: 2, essential: 1 });
  expect(JSON.stringify(audit.summary)).not.toMatch(/nut|halal|MEDICAL/);

  const cleared = await t.gql(SET_NEEDS, { i: { childId: gid('Child', w.childA), needs: [] } }, { token: w.manager.token });
  expect(cleared.data.setChildNeeds.child.needs).toEqual([]);
});

test('refusals write nothing: carers, other constellations, other organisations, bad input', async () => {
  const childId = gid('Child', w.childB);
  const one = [{ area: 'BEHAVIOUR', detail: 'needs a calm home', essential: true }];
  await t.gql(SET_NEEDS, { i: { childId, needs: one } }, { token: w.manager.token });
  const refused = async (token: string | null, needs: unknown[], code: string) => {
    const r = await t.gql(SET_NEEDS, { i: { childId, needs } }, { token });
    expect(r.data.setChildNeeds.userErrors.map((e: { code: string }) => e.code)).toContain(code);
    const [row] = await t.fx.sql(`select count(*)::int as n, min(area) as area from child_need where child_id = $1`, [w.childB]);
    expect(row).toEqual({ n: 1, area: 'BEHAVIOUR' });
    return r.data.setChildNeeds.userErrors;
  };
  await refused(w.carerB.token, [], 'FORBIDDEN');
  await refused(w.hubCarer.token, [], 'FORBIDDEN');
  await refused(w.otherLiaison.token, [], 'NOT_FOUND');
  await refused(w.foreignAdmin.token, [], 'NOT_FOUND');
  const long = await refused(w.manager.token, [{ area: 'OTHER', detail: 'x'.repeat(201) }], 'INVALID_INPUT');
  expect(long[0].field).toEqual(['input', 'needs', '0', 'detail']);
  await refused(
    w.manager.token,
    [
      { area: 'OTHER', detail: 'a' },
      { area: 'OTHER', detail: 'A ' },
    ],
    'INVALID_INPUT',
  );
  await refused(
    w.manager.token,
    Array.from({ length: 21 }, (_, i) => ({ area: 'OTHER', detail: `n${i}` })),
    'INVALID_INPUT',
  );
  const badArea = await t.gql(SET_NEEDS, { i: { childId, needs: [{ area: 'ASTROLOGY' }] } }, { token: w.manager.token });
  expect(badArea.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  const badId = await t.gql(SET_NEEDS, { i: { childId: 'nonsense', needs: [] } }, { token: w.manager.token });
  expect(badId.data.setChildNeeds.userErrors[0].code).toBe('NOT_FOUND');
});

test('skills and bedrooms: staff set them, bedrooms kept when omitted; carers see their own household only', async () => {
  const id = gid('Household', w.satA);
  const first = await t.gql(SET_SKILLS, { i: { householdId: id, skills: [{ area: 'LANGUAGE', detail: 'Polish' }], bedrooms: 3 } }, { token: w.liaison.token });
  expect(first.data.setHouseholdSkills).toEqual({ household: { id, skills: [{ area: 'LANGUAGE', detail: 'Polish' }], bedrooms: 3 }, userErrors: [] });
  const second = await t.gql(SET_SKILLS, { i: { householdId: id, skills: [{ area: 'DISABILITY' }, { area: 'LANGUAGE', detail: 'Polish' }] } }, { token: w.manager.token });
  expect(second.data.setHouseholdSkills.household).toEqual({
    id,
    skills: [
      { area: 'DISABILITY', detail: null },
      { area: 'LANGUAGE', detail: 'Polish' },
    ],
    bedrooms: 3,
  });

  expect((await t.gql(HOUSEHOLD, { id }, { token: w.carerA.token })).data.node).toMatchObject({ skills: [{ area: 'DISABILITY' }, { area: 'LANGUAGE' }], bedrooms: 3 });
  // Another household of the same constellation: its name, not its skills or bedrooms.
  expect((await t.gql(HOUSEHOLD, { id }, { token: w.carerB.token })).data.node).toEqual({ name: 'Alder House', skills: null, bedrooms: null });
  expect((await t.gql(HOUSEHOLD, { id }, { token: w.hubCarer.token })).data.node).toEqual({ name: 'Alder House', skills: null, bedrooms: null });

  for (const [token, code] of [
    [w.carerA.token, 'FORBIDDEN'],
    [w.otherLiaison.token, 'NOT_FOUND'],
    [w.foreignAdmin.token, 'NOT_FOUND'],
  ] as const) {
    const r = await t.gql(SET_SKILLS, { i: { householdId: id, skills: [], bedrooms: 1 } }, { token });
    expect(r.data.setHouseholdSkills.userErrors[0].code).toBe(code);
  }
  for (const bedrooms of [-1, 21]) {
    const r = await t.gql(SET_SKILLS, { i: { householdId: id, skills: [], bedrooms } }, { token: w.manager.token });
    expect(r.data.setHouseholdSkills.userErrors).toEqual([{ code: 'INVALID_INPUT', message: 'bedrooms must be between 0 and 20.', field: ['input', 'bedrooms'] }]);
  }
  const [row] = await t.fx.sql(`select bedrooms, (select count(*)::int from household_skill where household_id = $1) as skills from household where id = $1`, [w.satA]);
  expect(row).toEqual({ bedrooms: 3, skills: 2 });
  // The database holds the bound too.
  await expect(t.fx.sql(`update household set bedrooms = 99 where id = $1`, [w.satA])).rejects.toThrow(/household_bedrooms_rule/);
});
