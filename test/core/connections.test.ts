import { ChildrenDocument, ConstellationChildrenDocument, ConstellationMembersDocument, ConstellationsDocument, HouseholdsDocument, UsersDocument } from '../generated/graphql';
import { encodeCursor } from '../../src/platform/graphql/connection';
import { startTestApp, type GqlResult, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';

/**
 * Connections as the contract's header says: first defaults to 20, at most 100 (more is
 * BAD_USER_INPUT), each list in its stated order, opaque cursors that page without gaps or repeats.
 */
let t: TestApp;
let token: string;
let carerToken: string;
let k: string;
const expected: Record<string, string[]> = {};

interface Conn {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  edges: { cursor: string; node: { id: string } }[];
}
type Fetch = (first?: number | null, after?: string | null) => Promise<{ r: GqlResult; conn: Conn | undefined }>;

beforeAll(async () => {
  t = await startTestApp();
  const fx = t.fx;
  const org = await fx.organisation('Paging Council');
  const manager = await fx.user(org, 'FOSTERING_MANAGER', { name: 'Manager' });
  token = manager.token;
  // Names repeat on purpose: ties are broken by id, and pages must neither skip nor repeat them.
  for (let i = 0; i < 24; i++) await fx.user(org, 'SUPERVISING_SOCIAL_WORKER', { name: `Worker ${String(i % 12).padStart(2, '0')}` });
  const hub = await fx.household(org, { name: 'Home Hub' });
  k = await fx.constellation(org, hub, { name: 'Star 0' });
  const satellites: string[] = [];
  for (let i = 0; i < 24; i++) {
    const h = await fx.household(org, { name: `Home ${String(i % 12).padStart(2, '0')}`, maxChildren: 3 });
    await fx.member(org, k, h);
    satellites.push(h);
  }
  for (let i = 0; i < 2; i++) await fx.member(org, k, await fx.household(org, { name: `Home Former ${i}` }), day(-400), day(-100));
  for (let i = 0; i < 25; i++) {
    const c = await fx.child(org, { firstName: `Kid ${String(i % 13).padStart(2, '0')}` });
    await fx.placement(org, c, satellites[i % 24]);
  }
  for (let i = 1; i <= 21; i++) await fx.constellation(org, await fx.household(org, { name: `Other Hub ${i}` }), { name: `Star ${i % 5}` });
  carerToken = (await fx.carer(org, hub, { name: 'Hub Carer' })).token!;

  const ids = async (type: string, q: string, params: unknown[] = []) => (await fx.sql(q, params)).map((r: any) => gid(type, r.id));
  expected.users = await ids('User', `select id from app_user where organisation_id = $1 and active order by name, id`, [org]);
  expected.households = await ids('Household', `select id from household where organisation_id = $1 order by name, id`, [org]);
  expected.constellations = await ids('Constellation', `select id from constellation where organisation_id = $1 order by name, id`, [org]);
  expected.children = await ids('Child', `select id from child where organisation_id = $1 order by first_name, id`, [org]);
  expected.members = (
    await fx.sql(
      `select m.id from constellation_membership m join household h on h.id = m.household_id
        where m.constellation_id = $1 and m.role = 'SATELLITE' and m.left_on is null order by h.name, m.id`,
      [k],
    )
  ).map((r: any) => r.id);
  expected.membersIncludingFormer = (
    await fx.sql(`select m.id from constellation_membership m join household h on h.id = m.household_id where m.constellation_id = $1 and m.role = 'SATELLITE' order by h.name, m.id`, [k])
  ).map((r: any) => r.id);
  expected.constellationChildren = expected.children;
});
afterAll(async () => t.stop());

const lists: Record<string, Fetch> = {
  users: async (first, after) => {
    const r = await t.op(UsersDocument, { first, after }, { token });
    return { r, conn: r.data?.users };
  },
  households: async (first, after) => {
    const r = await t.op(HouseholdsDocument, { first, after }, { token });
    return { r, conn: r.data?.households };
  },
  constellations: async (first, after) => {
    const r = await t.op(ConstellationsDocument, { first, after }, { token });
    return { r, conn: r.data?.constellations };
  },
  children: async (first, after) => {
    const r = await t.op(ChildrenDocument, { first, after }, { token });
    return { r, conn: r.data?.children };
  },
  members: async (first, after) => {
    const r = await t.op(ConstellationMembersDocument, { id: gid('Constellation', k), first, after }, { token });
    return { r, conn: (r.data?.node as any)?.members };
  },
  membersIncludingFormer: async (first, after) => {
    const r = await t.op(ConstellationMembersDocument, { id: gid('Constellation', k), first, after, includeFormer: true }, { token });
    return { r, conn: (r.data?.node as any)?.members };
  },
  constellationChildren: async (first, after) => {
    const r = await t.op(ConstellationChildrenDocument, { id: gid('Constellation', k), first, after }, { token: carerToken });
    return { r, conn: (r.data?.node as any)?.children };
  },
};

/** Memberships have no global id; the household id and joinedOn identify a row of the list. */
function keysOf(name: string, conn: Conn): string[] {
  if (!name.startsWith('members')) return conn.edges.map((e) => e.node.id);
  return conn.edges.map((e: any) => `${e.node.household.id}|${e.node.joinedOn}`);
}
async function expectedKeys(name: string): Promise<string[]> {
  if (!name.startsWith('members')) return expected[name];
  const byId = new Map(expected[name].map((id, i) => [id, i]));
  const all = await t.fx.sql(`select id, household_id, joined_on from constellation_membership where id = any($1::uuid[])`, [expected[name]]);
  return all.sort((a: any, b: any) => byId.get(a.id)! - byId.get(b.id)!).map((r: any) => `${gid('Household', r.household_id)}|${r.joined_on}`);
}

describe.each(Object.keys(lists))('%s', (name) => {
  const fetch = (first?: number | null, after?: string | null) => lists[name](first, after);

  test('first defaults to 20, in the stated order; totalCount counts them all', async () => {
    const all = await expectedKeys(name);
    expect(all.length).toBeGreaterThan(20);
    const { r, conn } = await fetch();
    expect(r.errors).toBeUndefined();
    expect(conn!.edges).toHaveLength(20);
    expect(keysOf(name, conn!)).toEqual(all.slice(0, 20));
    expect(conn!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(conn!.totalCount).toBe(all.length);
  });

  test('cursors page through without gaps or repeats, and are opaque', async () => {
    const all = await expectedKeys(name);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const { r, conn } = await fetch(7, after);
      expect(r.errors).toBeUndefined();
      seen.push(...keysOf(name, conn!));
      expect(conn!.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(conn!.totalCount).toBe(all.length);
      if (conn!.edges.length) expect(conn!.pageInfo.endCursor).toBe(conn!.edges[conn!.edges.length - 1].cursor);
      for (const e of conn!.edges) {
        // Opaque: no database id or name in the clear.
        expect(e.cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(e.cursor).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
      if (!conn!.pageInfo.hasNextPage) break;
      after = conn!.pageInfo.endCursor!;
    }
    expect(seen).toEqual(all);
  });

  test('first: 0..100 is accepted; above 100 or below 0 is BAD_USER_INPUT', async () => {
    const all = await expectedKeys(name);
    const hundred = await fetch(100);
    expect(keysOf(name, hundred.conn!)).toEqual(all);
    expect(hundred.conn!.pageInfo.hasNextPage).toBe(false);
    const zero = await fetch(0);
    expect(zero.conn!.edges).toEqual([]);
    expect(zero.conn!.pageInfo.hasNextPage).toBe(true);
    for (const first of [101, -1, 1_000_000]) {
      const { r } = await fetch(first);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors?.[0].message).toMatch(/first must be between 0 and 100/);
    }
  });

  test("a cursor that is not one of this list's is BAD_USER_INPUT, never an internal error", async () => {
    const bad = [
      'not-a-cursor',
      '',
      encodeCursor(['Worker', 'not-a-uuid']),
      encodeCursor(['Worker']),
      encodeCursor([1, '5b0c4f8e-3a51-4c55-9d3f-1f0d8d6f2a11']),
      encodeCursor(['Worker', '5b0c4f8e-3a51-4c55-9d3f-1f0d8d6f2a11', 'extra']),
      Buffer.from('{"a":1}').toString('base64url'),
      'x'.repeat(5000),
    ];
    for (const after of bad) {
      const { r } = await fetch(5, after);
      expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
