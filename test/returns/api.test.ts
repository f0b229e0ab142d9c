import { parse } from 'csv-parse/sync';
import { RETURN_COLUMNS, SUPPORT_LOG_COLUMNS } from '../../src/returns/returns-export';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { londonAt, recordOk } from '../support-log/helpers';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const FROM = day(-60);
const TO = day(0);

beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA, summary: '=HYPERLINK("http://evil.test")', placementAtRisk: true, at: londonAt(2, 21) });
  await recordOk(t, w.liaison.token, { k: w.k, household: w.satB, wouldHaveResigned: true, at: londonAt(3, 10) });
  const gone = await t.fx.household(w.org, { name: 'Gone House', approvedOn: day(-900) });
  await t.fx.member(w.org, w.k, gone, day(-400));
  await t.fx.sql(`update household set deregistered_on = $2, deregistration_reason = 'RETIREMENT', status = 'DEREGISTERED' where id = $1`, [gone, day(-10)]);
  await t.fx.sql(`update constellation set name = '@Hillside' where id = $1`, [w.k2]);
});
afterAll(async () => t.stop());

const RETURN = `query($k: ID!, $from: Date!, $to: Date!) { constellationReturn(constellationId: $k, from: $from, to: $to) {
  constellation { name } from to stability { scope childrenLookedAfter householdsAtStart }
  sleepovers { requested nightsUsed bedNightsAvailable occupancyRate } sessions { held }
  support { contacts outOfHours householdsSupported placementsAtRisk wouldHaveResigned }
  contact { separatedSiblings familyTimeBooked } retention { householdsAtStart deregistered { reason count } retentionRate } } }`;
const RETURNS = `query($from: Date!, $to: Date!) { constellationReturns(from: $from, to: $to) { constellation { name } sleepovers { requested } support { contacts } contact { separatedSiblings } retention { householdsAtStart deregistered { reason count } } } }`;

describe('constellationReturn', () => {
  test('organisation-wide staff, its liaison worker and its hub carer read it; hub carers get no reasons', async () => {
    for (const token of [w.admin.token, w.manager.token, w.ssw.token, w.liaison.token, w.hubCarer.token!]) {
      const r = await t.gql(RETURN, { k: gid('Constellation', w.k), from: FROM, to: TO }, { token });
      expect(r.errors).toBeUndefined();
      const x = r.data.constellationReturn;
      expect(x).toMatchObject({
        constellation: { name: 'Riverside' },
        from: FROM,
        to: TO,
        stability: { scope: 'CONSTELLATION', householdsAtStart: 3 },
        support: { contacts: 2, householdsSupported: 2, placementsAtRisk: 1, wouldHaveResigned: 1, outOfHours: 1 },
        retention: { householdsAtStart: 3, retentionRate: 1 - 1 / 3 },
      });
      expect(x.retention.deregistered).toEqual(token === w.hubCarer.token ? null : [{ reason: 'RETIREMENT', count: 1 }]);
    }
  });

  test("null for satellite carers, other constellations' people and other organisations; a bad period is BAD_USER_INPUT", async () => {
    for (const token of [w.carerA.token!, w.otherLiaison.token, w.carer2.token!, w.foreignAdmin.token]) {
      const r = await t.gql(RETURN, { k: gid('Constellation', w.k), from: FROM, to: TO }, { token });
      expect(r.errors).toBeUndefined();
      expect(r.data.constellationReturn).toBeNull();
    }
    const bad = await t.gql(RETURN, { k: gid('Constellation', w.k), from: TO, to: FROM }, { token: w.admin.token });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await t.gql(RETURN, { k: gid('Constellation', w.k), from: '2015-01-01', to: TO }, { token: w.admin.token });
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('constellationReturns', () => {
  test('every constellation by name, then the comparison group with null sleepovers and support', async () => {
    const r = await t.gql(RETURNS, { from: FROM, to: TO }, { token: w.manager.token });
    expect(r.errors).toBeUndefined();
    const list = r.data.constellationReturns;
    expect(list.map((x: any) => x.constellation?.name ?? null)).toEqual(['@Hillside', 'Riverside', null]);
    expect(list[2]).toMatchObject({ sleepovers: null, support: null, contact: { separatedSiblings: 0 } });
    expect(list[1].support.contacts).toBe(2);
  });

  test('organisation-wide staff only: FORBIDDEN for liaison workers and carers; each organisation its own', async () => {
    for (const token of [w.liaison.token, w.hubCarer.token!, w.carerA.token!]) {
      const r = await t.gql(RETURNS, { from: FROM, to: TO }, { token });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const foreign = await t.gql(RETURNS, { from: FROM, to: TO }, { token: w.foreignAdmin.token });
    expect(foreign.data.constellationReturns.map((x: any) => x.constellation)).toEqual([null]);
  });
});

async function get(path: string, token?: string | null) {
  const res = await fetch(t.url.replace(/\/graphql$/, path), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('CSV exports', () => {
  test('constellation returns: one header row, a row per constellation and the comparison group, flattened, formula-safe, audited', async () => {
    const r = await get(`/exports/constellation-returns.csv?from=${FROM}&to=${TO}`, w.ssw.token);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows: string[][] = parse(r.text);
    expect(rows[0]).toEqual(RETURN_COLUMNS);
    expect(rows).toHaveLength(4);
    const recs = parse<Record<string, string>>(r.text, { columns: true });
    expect(recs.map((x) => x.constellation)).toEqual(["'@Hillside", 'Riverside', 'Households in no constellation']);
    expect(recs[1]).toMatchObject({
      constellation_id: gid('Constellation', w.k),
      from: FROM,
      to: TO,
      support_contacts: '2',
      retention_households_at_start: '3',
      deregistered_retirement: '1',
      deregistered_other: '0',
    });
    expect(recs[2]).toMatchObject({ constellation_id: '', sleepovers_requested: '', support_contacts: '', family_time_booked: '' });
    const audit = await t.fx.sql(`select actor_id, summary from audit_event where action = 'ConstellationReturn.export'`);
    expect(audit).toEqual([{ actor_id: w.ssw.id, summary: { format: 'csv', from: FROM, to: TO } }]);
  });

  test('constellation returns: 401 without a login, 403 for liaison workers and carers, 400 for a bad period', async () => {
    expect((await get(`/exports/constellation-returns.csv?from=${FROM}&to=${TO}`)).status).toBe(401);
    for (const token of [w.liaison.token, w.hubCarer.token!, w.carerA.token!]) expect((await get(`/exports/constellation-returns.csv?from=${FROM}&to=${TO}`, token)).status).toBe(403);
    for (const q of [`from=${TO}&to=${FROM}`, `from=nope&to=${TO}`, `to=${TO}`, `from=2010-01-01&to=${TO}`])
      expect((await get(`/exports/constellation-returns.csv?${q}`, w.admin.token)).status).toBe(400);
  });

  test("support log: the constellation's chains newest first, formula-safe; organisation-wide staff and its liaison worker; audited", async () => {
    const path = `/exports/support-log.csv?constellationId=${encodeURIComponent(gid('Constellation', w.k))}`;
    for (const token of [w.admin.token, w.liaison.token]) {
      const r = await get(path, token);
      expect(r.status).toBe(200);
      const rows: string[][] = parse(r.text);
      expect(rows[0]).toEqual(SUPPORT_LOG_COLUMNS);
      const recs = parse<Record<string, string>>(r.text, { columns: true });
      expect(recs).toHaveLength(2);
      expect(recs.map((x) => x.household).sort()).toEqual(['Alder House', 'Birch House']);
      expect(recs.find((x) => x.household === 'Alder House')!.summary).toBe(`'=HYPERLINK("http://evil.test")`);
    }
    expect((await get(path)).status).toBe(401);
    for (const token of [w.otherLiaison.token, w.hubCarer.token!, w.carerA.token!]) expect((await get(path, token)).status).toBe(403);
    expect((await get(`/exports/support-log.csv?constellationId=${encodeURIComponent(gid('Constellation', w.k2))}`, w.liaison.token)).status).toBe(403);
    expect((await get(`/exports/support-log.csv?constellationId=nope`, w.admin.token)).status).toBe(404);
    expect((await get(path, w.foreignAdmin.token)).status).toBe(404);
    const audit = await t.fx.sql(`select actor_id, subject_id from audit_event where action = 'SupportLogEntry.export' order by at`);
    expect(audit).toEqual([
      { actor_id: w.admin.id, subject_id: gid('Constellation', w.k) },
      { actor_id: w.liaison.id, subject_id: gid('Constellation', w.k) },
    ]);
  });
});
