import pg from 'pg';
import { assertSameDashboard } from '../../bench/postgraphile/compare';
import { setupPostgraphile } from '../../bench/postgraphile/setup';
import { HUB_DASHBOARD } from '../../bench/queries';
import { addDays, todayLondon } from '../../src/platform/time';
import { startTestApp, type TestApp } from '../support/app';
import { day } from '../support/fixtures';
import { ask, decide } from '../sleepovers/support';

/**
 * The benchmark's PostGraphile comparator reads the hub carer's dashboard from bench_pg's views
 * and functions as its own login role (bench/postgraphile/schema.sql). PostGraphile itself needs
 * Node 22+, so here each field is read the way its compiled query reads it (a function from its
 * parent's row, a relation declared on the views by its key, in the order the bench asks for),
 * and the result, in PostGraphile's response shape, must hold what
 * Hubnet's dashboard holds for the same hub carer — and nothing for anyone else.
 *
 * Real PostgreSQL only: the comparator logs in as a role of its own, which the embedded database
 * (one connection, no logins) cannot do, and the bench runs on a real PostgreSQL anyway.
 */
const EMBEDDED = process.env.HUBNET_TEST_EMBEDDED === '1';
if (EMBEDDED) console.log('postgraphile-views.test.ts skipped: it needs a real PostgreSQL (set TEST_DATABASE_URL).');
const suite = EMBEDDED ? describe.skip : describe;

/** The dashboard as PostGraphile answers PG_HUB_DASHBOARD, read through bench_pg as the comparator's role. */
async function viaViews(url: string, userId: string | null, from: string, to: string, now: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('begin');
    await db.query(`select set_config('jwt.claims.user_id', $1, true)`, [userId ?? '']);
    const rows = async (text: string, params: unknown[] = []) => (await db.query(text, params)).rows;
    const K = '(select k from bench_pg.hub_of() k)';
    const [k] = await rows(`select id as "rowId", name, sleepover_beds as "sleepoverBeds" from bench_pg.hub_of() where id is not null`);
    if (!k) return { data: { hubOf: null } };
    const household = `(select h from bench_pg.household h where h.id = $1)`;
    const carers = async (householdId: string) => ({ nodes: await rows(`select id as "rowId", name from bench_pg.household_carers(${household})`, [householdId]) });
    const [k2] = await rows(`select hub_household_id from bench_pg.hub_constellation where id = $1`, [k.rowId]);
    const [hub] = await rows(`select id as "rowId", name from bench_pg.household where id = $1`, [k2.hub_household_id]);
    const members = [];
    for (const m of await rows(`select household_id, joined_on as "joinedOn" from bench_pg.membership where constellation_id = $1 order by household_name, id limit 20`, [k.rowId])) {
      const [h] = await rows(`select id as "rowId", name, postcode_district as "postcodeDistrict" from bench_pg.household where id = $1`, [m.household_id]);
      const placements = [];
      for (const { child_id, ...p } of await rows(`select id as "rowId", start_date as "startDate", child_id from bench_pg.placement where household_id = $1 order by start_date, id`, [h.rowId])) {
        const [child] = await rows(`select id as "rowId", first_name as "firstName", age from bench_pg.child where id = $1`, [child_id]);
        placements.push({ ...p, child: child ?? null });
      }
      members.push({ joinedOn: m.joinedOn, household: { ...h, carers: await carers(h.rowId), currentPlacements: { nodes: placements } } });
    }
    const sleepovers = [];
    for (const { household_id, ...s } of await rows(
      `select id as "rowId", kind, status, start_date as "startDate", end_date as "endDate", child_count as "childCount", household_id
         from bench_pg.sleepover where constellation_id = $1 and status = 'REQUESTED' order by start_date, created_at, id limit 20`,
      [k.rowId],
    )) {
      const [h] = await rows(`select id as "rowId", name from bench_pg.household where id = $1`, [household_id]);
      const children = await rows(`select id as "rowId", first_name as "firstName" from bench_pg.sleepover_children((select s from bench_pg.sleepover s where s.id = $1))`, [s.rowId]);
      sleepovers.push({ ...s, household: h ?? null, children: { nodes: children } });
    }
    return {
      data: {
        hubOf: {
          ...k,
          hub: { ...hub, carers: await carers(hub.rowId) },
          members: { nodes: members },
          availability: {
            nodes: await rows(`select date, beds_total as "bedsTotal", beds_booked as "bedsBooked", beds_free as "bedsFree", blocked from bench_pg.hub_constellation_availability(${K}, $1, $2)`, [
              from,
              to,
            ]),
          },
          sessions: {
            nodes: await rows(
              `select id as "rowId", title, kind, starts_at as "startsAt", capacity, going_count as "goingCount", waitlist_count as "waitlistCount", places_left as "placesLeft"
                 from bench_pg.hub_constellation_sessions(${K}, $1) limit 5`,
              [now],
            ),
          },
          sleepovers: { nodes: sleepovers },
        },
      },
    };
  } finally {
    await db.query('rollback').catch(() => undefined);
    await db.end();
  }
}

suite('the PostGraphile comparator of the benchmark', () => {
  let t: TestApp;
  let w: Awaited<ReturnType<TestApp['fx']['world']>>;
  let url: string;
  const from = todayLondon();
  const to = addDays(from, 28);
  const now = new Date().toISOString();

  beforeAll(async () => {
    t = await startTestApp();
    w = await t.fx.world();
    // Waiting requests from both satellites (one for two children), and one at the other
    // constellation's hub, which Riverside's hub carer must not see.
    expect((await ask(t, w.carerA.token, { k: w.k, children: [w.childA, w.childA2], start: day(3), end: day(5) })).userErrors).toEqual([]);
    expect((await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(2), end: day(3) })).userErrors).toEqual([]);
    // A confirmed one holds a bed on two nights of the availability window.
    const later = await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(10), end: day(12) });
    expect((await decide(t, w.hubCarer.token, 'confirm', later.sleepover.id)).userErrors).toEqual([]);
    const hillChild = await t.fx.child(w.org, { firstName: 'Hal' });
    await t.fx.placement(w.org, hillChild, w.sat2);
    expect((await ask(t, w.carer2.token, { k: w.k2, children: [hillChild], start: day(2), end: day(4) })).userErrors).toEqual([]);
    url = await setupPostgraphile(t.db.url);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("answers the hub carer's dashboard with the same households, sleepovers and children as Hubnet", async () => {
    const hubnet = await t.gql(HUB_DASHBOARD, { from, to, now }, { token: w.hubCarer.token });
    expect(hubnet.errors).toBeUndefined();
    const views = await viaViews(url, w.hubCarer.userId, from, to, now);
    expect(assertSameDashboard({ data: hubnet.data }, views)).toBe('2 satellite households, 28 nights, 0 sessions, 2 waiting sleepovers with 3 children');
    expect(hubnet.data.me.hubOf.availability.filter((n: any) => n.bedsBooked > 0).map((n: any) => n.date)).toEqual([day(10), day(11)]);
    // What Hubnet withholds from a hub carer (another household's placements) stays withheld.
    expect(hubnet.data.me.hubOf.members.edges.map((e: any) => e.node.household.currentPlacements)).toEqual([null, null]);
  });

  it('tells a difference apart: a child missing from a sleepover fails the check', async () => {
    const hubnet = await t.gql(HUB_DASHBOARD, { from, to, now }, { token: w.hubCarer.token });
    const views: any = await viaViews(url, w.hubCarer.userId, from, to, now);
    views.data.hubOf.sleepovers.nodes.find((s: any) => s.children.nodes.length === 2).children.nodes.pop();
    expect(() => assertSameDashboard({ data: hubnet.data }, views)).toThrow(/sleepovers\[\d\]\.children: 2 entries in Hubnet's, 1 in PostGraphile's/);
  });

  it('shows nothing to anyone but a hub carer, and nothing of the tables themselves', async () => {
    expect(await viaViews(url, w.carerA.userId, from, to, now)).toEqual({ data: { hubOf: null } });
    expect(await viaViews(url, null, from, to, now)).toEqual({ data: { hubOf: null } });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`select set_config('jwt.claims.user_id', $1, false)`, [w.carerA.userId]);
      for (const view of ['household', 'carer', 'child', 'placement', 'sleepover', 'sleepover_child', 'membership']) {
        expect([view, (await db.query(`select count(*)::int as n from bench_pg.${view}`)).rows[0].n]).toEqual([view, 0]);
      }
      await expect(db.query('select id from child limit 1')).rejects.toThrow(/permission denied/);
      await expect(db.query('select user_id from bench_pg_private.viewer limit 1')).rejects.toThrow(/permission denied/);
    } finally {
      await db.end();
    }
  });
});
