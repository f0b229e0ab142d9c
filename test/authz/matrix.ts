import { day, gid } from '../support/fixtures';
import { ALL_ORG, mutation, NODE, query, RIVERSIDE, uniq, type Row } from './kit';
import { CONTRACT_ROWS } from './rows-contract';
import { NEEDS_ROWS } from './rows-needs';
import { VENUE_ROWS } from './rows-venue';
import { RULES_ROWS } from './rows-sleepover-rules';
import { SUPPORT_ROWS } from './rows-support';
import { SECURITY_ROWS } from './rows-security';
import { LOGGED_IN, MANAGERS, ORG_WIDE } from './viewers';

export type { MatrixCtx, Outcome, Row } from './kit';
export { mutation, query } from './kit';

export const ROWS: Row[] = [
  // ---- Users and sign-in
  {
    area: 'Users',
    operation: 'Query.me',
    policy: 'auth/viewer#loadViewer',
    allowed: LOGGED_IN,
    run: query(
      `{ me { id } }`,
      () => ({}),
      (d) => d?.me?.id,
    ),
  },
  {
    area: 'Users',
    operation: 'Query.users',
    policy: 'auth/viewer#isStaff',
    allowed: [...ORG_WIDE, 'liaison', 'otherLiaison', 'foreignAdmin'],
    note: 'staff only; each organisation its own',
    run: query(
      `{ users { edges { node { id } } } }`,
      () => ({}),
      (d) => d?.users,
    ),
  },
  {
    area: 'Users',
    operation: 'User.email of another carer',
    policy: 'user.policy#canSeeEmail',
    allowed: [...ORG_WIDE, 'liaison'],
    note: "carers see staff addresses and their own; a liaison worker their constellations' carers",
    run: query(
      `query($id: ID!) { node(id: $id) { ... on User { email } } }`,
      (m) => ({ id: gid('User', m.w.carerB.userId!) }),
      (d) => d?.node?.email,
    ),
  },
  {
    area: 'Users',
    operation: 'Mutation.createUser',
    policy: 'user.policy#mayManageUsers',
    allowed: ['admin', 'foreignAdmin'],
    run: mutation(`mutation($i: CreateUserInput!) { createUser(input: $i) { userErrors { code } } }`, 'createUser', () => ({
      email: `u-${uniq()}@example.test`,
      name: 'New Person',
      role: 'SUPERVISING_SOCIAL_WORKER',
      password: 'a-long-enough-password',
    })),
  },
  {
    area: 'Users',
    operation: 'Mutation.deactivateUser',
    policy: 'user.policy#mayManageUsers',
    allowed: ['admin'],
    run: mutation(`mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { userErrors { code } } }`, 'deactivateUser', async (m) => ({
      userId: gid('User', (await m.t.fx.user(m.w.org, 'SUPERVISING_SOCIAL_WORKER')).id),
    })),
  },
  {
    area: 'Audit',
    operation: 'Query.auditEvents',
    policy: 'auth/viewer#isManager',
    allowed: [...MANAGERS, 'foreignAdmin'],
    run: query(
      `{ auditEvents { totalCount } }`,
      () => ({}),
      (d) => d?.auditEvents,
    ),
  },

  // ---- Households
  {
    area: 'Households',
    operation: 'Query.households',
    policy: 'scope#householdVisible',
    allowed: [...LOGGED_IN],
    note: 'scoped: each sees the households they may',
    run: query(
      `{ households { edges { node { id } } } }`,
      () => ({}),
      (d) => d?.households,
    ),
  },
  { area: 'Households', operation: 'node(Household) — a Riverside satellite', policy: 'scope#householdVisible', allowed: RIVERSIDE, run: NODE('Household', (w) => w.satB) },
  { area: 'Households', operation: 'node(Household) — in no constellation', policy: 'scope#householdVisible', allowed: ORG_WIDE, run: NODE('Household', (w) => w.lone) },
  {
    area: 'Households',
    operation: 'Household.status, approval, vacancies, currentPlacements — another household',
    policy: 'household.policy#canReadHouseholdDetails',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'carers see these of their own household only',
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Household { status } } }`,
      (m) => ({ id: gid('Household', m.w.satB) }),
      (d) => d?.node?.status,
    ),
  },
  {
    area: 'Households',
    operation: 'Household.status — own household',
    policy: 'household.policy#canReadHouseholdDetails',
    allowed: [...ORG_WIDE, 'liaison', 'carer'],
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Household { status } } }`,
      (m) => ({ id: gid('Household', m.w.satA) }),
      (d) => d?.node?.status,
    ),
  },
  {
    area: 'Households',
    operation: 'Mutation.createHousehold',
    policy: 'household.policy#mayManageHouseholds',
    allowed: [...ORG_WIDE, 'foreignAdmin'],
    run: mutation(`mutation($i: CreateHouseholdInput!) { createHousehold(input: $i) { userErrors { code } } }`, 'createHousehold', () => ({ name: `H ${uniq()}`, postcodeDistrict: 'LS6' })),
  },
  {
    area: 'Households',
    operation: 'Mutation.updateHousehold',
    policy: 'household.policy#mayManageHouseholds',
    allowed: ORG_WIDE,
    run: mutation(`mutation($i: UpdateHouseholdInput!) { updateHousehold(input: $i) { userErrors { code } } }`, 'updateHousehold', (m) => ({
      householdId: gid('Household', m.w.satB),
      name: `Birch House`,
    })),
  },
  {
    area: 'Households',
    operation: 'Mutation.addCarer',
    policy: 'household.policy#mayManageHouseholds',
    allowed: ORG_WIDE,
    run: mutation(`mutation($i: AddCarerInput!) { addCarer(input: $i) { userErrors { code } } }`, 'addCarer', async (m) => ({
      householdId: gid('Household', await m.t.fx.household(m.w.org)),
      name: 'Extra Carer',
    })),
  },
  {
    area: 'Households',
    operation: 'Mutation.deregisterHousehold',
    policy: 'household.policy#mayManageHouseholds',
    allowed: ORG_WIDE,
    run: mutation(`mutation($i: DeregisterHouseholdInput!) { deregisterHousehold(input: $i) { userErrors { code } } }`, 'deregisterHousehold', async (m) => ({
      householdId: gid('Household', await m.t.fx.household(m.w.org)),
      deregisteredOn: day(0),
      reason: 'RETIREMENT',
    })),
  },

  // ---- Constellations
  {
    area: 'Constellations',
    operation: 'Query.constellations',
    policy: 'scope#constellationVisible',
    allowed: [...LOGGED_IN],
    note: 'scoped',
    run: query(
      `{ constellations { edges { node { id } } } }`,
      () => ({}),
      (d) => d?.constellations,
    ),
  },
  { area: 'Constellations', operation: 'node(Constellation) — Riverside', policy: 'scope#constellationVisible', allowed: RIVERSIDE, run: NODE('Constellation', (w) => w.k) },
  {
    area: 'Constellations',
    operation: 'Mutation.createConstellation',
    policy: 'auth/viewer#isManager',
    allowed: [...MANAGERS],
    note: 'a foreign admin is refused only because the hub named is not theirs',
    run: mutation(`mutation($i: CreateConstellationInput!) { createConstellation(input: $i) { userErrors { code } } }`, 'createConstellation', async (m) => ({
      name: `K ${uniq()}`,
      hubHouseholdId: gid('Household', await m.t.fx.household(m.w.org)),
    })),
  },
  {
    area: 'Constellations',
    operation: 'Mutation.updateConstellation (name, status)',
    policy: 'constellation.policy#mayManageConstellation',
    allowed: [...MANAGERS, 'liaison'],
    run: mutation(`mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code } } }`, 'updateConstellation', (m) => ({
      constellationId: gid('Constellation', m.w.k),
      name: 'Riverside',
    })),
  },
  {
    area: 'Constellations',
    operation: 'Mutation.addConstellationMember',
    policy: 'auth/viewer#isManager',
    allowed: [...MANAGERS],
    note: 'a liaison worker may remove members, not choose new ones',
    run: mutation(`mutation($i: ConstellationMemberInput!) { addConstellationMember(input: $i) { userErrors { code } } }`, 'addConstellationMember', async (m) => ({
      constellationId: gid('Constellation', m.w.k),
      householdId: gid('Household', await m.t.fx.household(m.w.org)),
    })),
  },
  {
    area: 'Constellations',
    operation: 'Mutation.removeConstellationMember',
    policy: 'constellation.policy#mayManageConstellation',
    allowed: [...MANAGERS, 'liaison'],
    run: mutation(`mutation($i: ConstellationMemberInput!) { removeConstellationMember(input: $i) { userErrors { code } } }`, 'removeConstellationMember', async (m) => {
      const h = await m.t.fx.household(m.w.org);
      await m.t.fx.member(m.w.org, m.w.k, h, day(-30));
      return { constellationId: gid('Constellation', m.w.k), householdId: gid('Household', h) };
    }),
  },

  // ---- Children and placements
  {
    area: 'Children',
    operation: 'Query.children',
    policy: 'scope#childVisible',
    allowed: [...ORG_WIDE, 'liaison', 'otherLiaison', 'hubCarer', 'carer', 'otherCarer', 'foreignAdmin'],
    note: 'scoped',
    run: query(
      `{ children { edges { node { id } } } }`,
      () => ({}),
      (d) => d?.children,
    ),
  },
  {
    area: 'Children',
    operation: 'node(Child) — placed with a Riverside satellite',
    policy: 'scope#childVisible',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer'],
    note: 'carers see the children placed with their own household',
    run: NODE('Child', (w) => w.childB),
  },
  {
    area: 'Children',
    operation: "node(Child) — placed with the viewer's household",
    policy: 'scope#childVisible',
    allowed: [...ORG_WIDE, 'liaison', 'hubCarer', 'carer'],
    run: NODE('Child', (w) => w.childA),
  },
  {
    area: 'Children',
    operation: 'Child.reference, dateOfBirth',
    policy: 'child.policy#canSeeChildIdentifiers',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only',
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Child { reference } } }`,
      (m) => ({ id: gid('Child', m.w.childA) }),
      (d) => d?.node?.reference,
    ),
  },
  {
    area: 'Children',
    operation: 'Child.sleepoverNotes',
    policy: 'child.policy#canSeeSleepoverNotes',
    allowed: [...ORG_WIDE, 'liaison', 'carer'],
    note: 'and the hub carer while the child has an open sleepover at the hub',
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Child { sleepoverNotes } } }`,
      (m) => ({ id: gid('Child', m.w.childA) }),
      (d) => d?.node?.sleepoverNotes,
    ),
  },
  {
    area: 'Children',
    operation: 'Placement.endReason, unplanned',
    policy: 'placement.policy#canSeePlacementEnding',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only',
    run: async (m, v) => {
      const [p] = await m.t.fx.sql(`select id from placement where child_id = $1 and end_date is not null`, [m.w.childA]);
      return query(
        `query($id: ID!) { node(id: $id) { ... on Placement { endReason } } }`,
        () => ({ id: gid('Placement', p.id) }),
        (d) => d?.node?.endReason,
      )(m, v);
    },
  },
  {
    area: 'Children',
    operation: 'Mutation.registerChild',
    policy: 'child.policy#mayManageChildren',
    allowed: [...ORG_WIDE, 'foreignAdmin'],
    run: mutation(`mutation($i: RegisterChildInput!) { registerChild(input: $i) { userErrors { code } } }`, 'registerChild', () => ({
      reference: `R-${uniq()}`,
      firstName: 'Nia',
      dateOfBirth: day(-3000),
    })),
  },
  {
    area: 'Children',
    operation: 'Mutation.updateChild',
    policy: 'child.policy#mayManageChildren',
    allowed: ORG_WIDE,
    run: mutation(`mutation($i: UpdateChildInput!) { updateChild(input: $i) { userErrors { code } } }`, 'updateChild', (m) => ({ childId: gid('Child', m.w.childB), firstName: 'Ben' })),
  },
  {
    area: 'Placements',
    operation: 'Mutation.startPlacement',
    policy: 'placement.policy#mayManagePlacements',
    allowed: ORG_WIDE,
    run: mutation(`mutation($i: StartPlacementInput!) { startPlacement(input: $i) { userErrors { code } } }`, 'startPlacement', async (m) => ({
      childId: gid('Child', await m.t.fx.child(m.w.org)),
      householdId: gid('Household', await m.t.fx.household(m.w.org)),
      kind: 'LONG_TERM',
      startDate: day(-10),
    })),
  },
  {
    area: 'Placements',
    operation: 'Mutation.endPlacement',
    policy: 'placement.policy#mayManagePlacements',
    allowed: ORG_WIDE,
    run: mutation(`mutation($i: EndPlacementInput!) { endPlacement(input: $i) { userErrors { code } } }`, 'endPlacement', async (m) => {
      const child = await m.t.fx.child(m.w.org);
      const p = await m.t.fx.placement(m.w.org, child, await m.t.fx.household(m.w.org), day(-100));
      return { placementId: gid('Placement', p), endDate: day(-1), reason: 'CARPL', unplanned: false };
    }),
  },
  ...CONTRACT_ROWS,
  ...NEEDS_ROWS,
  ...VENUE_ROWS,
  ...RULES_ROWS,
  ...SUPPORT_ROWS,
  ...SECURITY_ROWS,
];

export { ALL_ORG };
