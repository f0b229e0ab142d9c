import { day, gid } from '../support/fixtures';
import { mutation, query, type MatrixCtx, type Row } from './kit';
import { ORG_WIDE } from './viewers';

/**
 * Rows for needs, skills and bedrooms. Needs are special category data: staff only, never carers.
 * The read rows look at needs and skills recorded once per matrix run; each allowed write acts on
 * a child or household made for that cell alone.
 */

const ready = new WeakMap<MatrixCtx, Promise<void>>();
/**
 * Needs for Amy (Alder House, Riverside), skills and bedrooms for Alder and Birch House, and a
 * Riverside satellite with places free, so Amy has matches whatever the other rows placed.
 */
function recorded(m: MatrixCtx): Promise<void> {
  if (!ready.has(m)) {
    ready.set(
      m,
      (async () => {
        await m.t.fx.sql(`insert into child_need (child_id, position, organisation_id, area, detail, essential) values ($1, 1, $2, 'MEDICAL', 'asthma', true)`, [m.w.childA, m.w.org]);
        for (const h of [m.w.satA, m.w.satB]) {
          await m.t.fx.sql(`insert into household_skill (household_id, position, organisation_id, area, detail) values ($1, 1, $2, 'MEDICAL', null)`, [h, m.w.org]);
          await m.t.fx.sql(`update household set bedrooms = 2 where id = $1`, [h]);
        }
        await m.t.fx.member(m.w.org, m.w.k, await m.t.fx.household(m.w.org, { name: 'Rowan House', maxChildren: 3 }));
      })(),
    );
  }
  return ready.get(m)!;
}

const after =
  (run: Row['run']): Row['run'] =>
  async (m, v) => {
    await recorded(m);
    return run(m, v);
  };

export const NEEDS_ROWS: Row[] = [
  {
    area: 'Matching',
    operation: 'Child.needs',
    policy: 'matching.policy#mayReadChildNeeds',
    allowed: [...ORG_WIDE, 'liaison'],
    note: "special category data: staff only, never carers (not even the child's own)",
    run: after(
      query(
        `query($id: ID!) { node(id: $id) { ... on Child { needs { area } } } }`,
        (m) => ({ id: gid('Child', m.w.childA) }),
        (d) => d?.node?.needs,
      ),
    ),
  },
  {
    area: 'Matching',
    operation: 'Household.skills — another household',
    policy: 'matching.policy#mayReadHouseholdSkills',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'carers see these of their own household only',
    run: after(
      query(
        `query($id: ID!) { node(id: $id) { ... on Household { skills { area } } } }`,
        (m) => ({ id: gid('Household', m.w.satB) }),
        (d) => d?.node?.skills,
      ),
    ),
  },
  {
    area: 'Matching',
    operation: 'Household.skills — own household',
    policy: 'matching.policy#mayReadHouseholdSkills',
    allowed: [...ORG_WIDE, 'liaison', 'carer'],
    run: after(
      query(
        `query($id: ID!) { node(id: $id) { ... on Household { skills { area } } } }`,
        (m) => ({ id: gid('Household', m.w.satA) }),
        (d) => d?.node?.skills,
      ),
    ),
  },
  {
    area: 'Matching',
    operation: 'Household.bedrooms — another household',
    policy: 'matching.policy#mayReadHouseholdSkills',
    allowed: [...ORG_WIDE, 'liaison'],
    run: after(
      query(
        `query($id: ID!) { node(id: $id) { ... on Household { bedrooms } } }`,
        (m) => ({ id: gid('Household', m.w.satB) }),
        (d) => d?.node?.bedrooms,
      ),
    ),
  },
  {
    area: 'Matching',
    operation: 'Household.bedrooms — own household',
    policy: 'matching.policy#mayReadHouseholdSkills',
    allowed: [...ORG_WIDE, 'liaison', 'carer'],
    run: after(
      query(
        `query($id: ID!) { node(id: $id) { ... on Household { bedrooms } } }`,
        (m) => ({ id: gid('Household', m.w.satA) }),
        (d) => d?.node?.bedrooms,
      ),
    ),
  },
  {
    area: 'Matching',
    operation: 'PlacementMatch.unmetNeeds, knowsChild',
    policy: 'matching.policy#mayMatch',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff only, as placementMatches',
    run: after(
      query(
        `query($c: ID!, $d: Date!) { placementMatches(childId: $c, startDate: $d, kind: SHORT_TERM) { unmetNeeds { area } knowsChild } }`,
        (m) => ({ c: gid('Child', m.w.childA), d: day(1) }),
        (d) => d?.placementMatches?.map((x: { knowsChild: boolean; unmetNeeds: unknown[] }) => [x.knowsChild, x.unmetNeeds]),
      ),
    ),
  },
  {
    area: 'Matching',
    operation: 'Mutation.setChildNeeds — a Riverside child',
    policy: 'matching.policy#mayWriteNeedsAndSkills',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff, for children they may see',
    run: mutation(`mutation($i: SetChildNeedsInput!) { setChildNeeds(input: $i) { userErrors { code } } }`, 'setChildNeeds', async (m) => {
      const child = await m.t.fx.child(m.w.org);
      const home = await m.t.fx.household(m.w.org);
      await m.t.fx.member(m.w.org, m.w.k, home);
      await m.t.fx.placement(m.w.org, child, home, day(-10));
      return { childId: gid('Child', child), needs: [{ area: 'LANGUAGE', detail: 'BSL', essential: true }] };
    }),
  },
  {
    area: 'Matching',
    operation: 'Mutation.setHouseholdSkills — a Riverside satellite',
    policy: 'matching.policy#mayWriteNeedsAndSkills',
    allowed: [...ORG_WIDE, 'liaison'],
    note: 'staff, for households they may see',
    run: mutation(`mutation($i: SetHouseholdSkillsInput!) { setHouseholdSkills(input: $i) { userErrors { code } } }`, 'setHouseholdSkills', async (m) => {
      const h = await m.t.fx.household(m.w.org);
      await m.t.fx.member(m.w.org, m.w.k, h);
      return { householdId: gid('Household', h), skills: [{ area: 'LANGUAGE', detail: 'BSL' }], bedrooms: 2 };
    }),
  },
];
