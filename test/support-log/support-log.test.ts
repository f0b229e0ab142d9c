import { DateTime } from 'luxon';
import { tick } from '../../src/notifications/scheduler';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { CONSTELLATION_LOG, HOUSEHOLD_LOG, londonAt, record, recordOk } from './helpers';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let ssw: { id: string; token: string };
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  ssw = await t.fx.user(w.org, 'SUPERVISING_SOCIAL_WORKER');
  await t.fx.sql(`update household set supervising_social_worker_id = $1 where id in ($2, $3)`, [ssw.id, w.satA, w.satB]);
});
afterAll(async () => t.stop());

const codes = (p: { userErrors: { code: string }[] }) => p.userErrors.map((e) => e.code);
const rows = (sqlText: string, params: unknown[] = []) => t.fx.sql(sqlText, params);

describe('recording', () => {
  test('the hub carer, the liaison worker and organisation-wide staff record; the entry comes back with an audit event', async () => {
    for (const token of [w.hubCarer.token!, w.liaison.token, w.manager.token, w.ssw.token, w.admin.token]) {
      const e = await recordOk(t, token, { k: w.k, household: w.satA, child: w.childA, action: 'Call back Friday', followUpOn: day(3) });
      expect(e).toMatchObject({
        channel: 'PHONE_OR_MESSAGE',
        topics: ['BEHAVIOUR'],
        summary: 'Talked through bedtime.',
        action: 'Call back Friday',
        followUpOn: day(3),
        outOfHours: false,
        safeguarding: false,
        recordedInError: false,
        amends: null,
        amendedBy: null,
        constellation: { id: gid('Constellation', w.k) },
        household: { id: gid('Household', w.satA), name: 'Alder House' },
        child: { id: gid('Child', w.childA) },
      });
      const audit = await rows(`select action from audit_event where subject_id = $1`, [e.id]);
      expect(audit).toEqual([{ action: 'SupportLogEntry.record' }]);
    }
  });

  test('satellite carers may not record (FORBIDDEN); outsiders do not find the constellation (NOT_FOUND); nothing is written', async () => {
    const before = (await rows(`select count(*)::int as n from support_log_entry`))[0].n;
    expect(codes(await record(t, w.carerA.token, { k: w.k, household: w.satA }))).toEqual(['FORBIDDEN']);
    expect(codes(await record(t, w.otherLiaison.token, { k: w.k, household: w.satA }))).toEqual(['NOT_FOUND']);
    expect(codes(await record(t, w.carer2.token, { k: w.k, household: w.satA }))).toEqual(['NOT_FOUND']);
    expect(codes(await record(t, w.foreignAdmin.token, { k: w.k, household: w.satA }))).toEqual(['NOT_FOUND']);
    const anon = await t.gql(`mutation($i: RecordSupportInput!) { recordSupport(input: $i) { userErrors { code } } }`, {
      i: { constellationId: gid('Constellation', w.k), householdId: gid('Household', w.satA), at: londonAt(2, 10), channel: 'VISIT', topics: ['OTHER'], summary: 'x' },
    });
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await rows(`select count(*)::int as n from support_log_entry`))[0].n).toBe(before);
  });

  test('outOfHours follows `at` in London time (before 08:00, from 18:00, weekends) unless given', async () => {
    const cases: [string, boolean][] = [
      [londonAt(2, 10), false], // Tuesday morning
      [londonAt(2, 7, 59), true],
      [londonAt(2, 8, 0), false],
      [londonAt(2, 17, 59), false],
      [londonAt(2, 18, 0), true],
      [londonAt(2, 23, 30), true],
      [londonAt(6, 12), true], // Saturday
      [londonAt(7, 12), true], // Sunday
    ];
    for (const [at, expected] of cases) {
      const e = await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA, at });
      expect({ at, outOfHours: e.outOfHours }).toEqual({ at, outOfHours: expected });
    }
    // A bank holiday is the writer's call; so is any other exception.
    expect((await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA, at: londonAt(1, 11), outOfHours: true })).outOfHours).toBe(true);
    expect((await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA, at: londonAt(1, 21), outOfHours: false })).outOfHours).toBe(false);
  });

  test('bad input is refused with the field named, and writes nothing', async () => {
    const before = (await rows(`select count(*)::int as n from support_log_entry`))[0].n;
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ at: inAnHour }, 'INVALID_INPUT', 'at'],
      [{ summary: '   ' }, 'INVALID_INPUT', 'summary'],
      [{ summary: 'x'.repeat(4001) }, 'INVALID_INPUT', 'summary'],
      [{ topics: [] }, 'INVALID_INPUT', 'topics'],
      [{ topics: ['SAFEGUARDING'] }, 'INVALID_INPUT', 'safeguarding'],
      [{ safeguarding: true, escalatedAt: londonAt(2, 11) }, 'INVALID_INPUT', 'escalatedTo'],
      [{ safeguarding: true, escalatedTo: 'MASH duty desk' }, 'INVALID_INPUT', 'escalatedAt'],
      [{ recordedInError: true }, 'INVALID_INPUT', 'recordedInError'],
      [{ household: w.lone }, 'OUTSIDE_CONSTELLATION', 'householdId'],
      [{ household: w.hubHousehold }, 'OUTSIDE_CONSTELLATION', 'householdId'],
      [{ household: w.sat2 }, 'OUTSIDE_CONSTELLATION', 'householdId'],
      [{ household: w.foreignHousehold }, 'NOT_FOUND', 'householdId'],
      [{ child: w.childB }, 'INVALID_INPUT', 'childId'],
      [{ amendsId: gid('SupportLogEntry', '00000000-0000-4000-8000-000000000000') }, 'NOT_FOUND', 'amendsId'],
    ];
    for (const [extra, code, fieldName] of cases) {
      const p = await record(t, w.liaison.token, { k: w.k, household: w.satA, ...extra });
      expect({ extra, errors: p.userErrors.map((e) => [e.code, e.field[e.field.length - 1]]) }).toEqual({ extra, errors: [[code, fieldName]] });
      expect(p.entry).toBeNull();
    }
    // A household that joined after `at` was not a satellite then.
    const late = await t.fx.household(w.org, { name: 'Late House' });
    await t.fx.member(w.org, w.k, late, day(-3));
    expect(codes(await record(t, w.liaison.token, { k: w.k, household: late, at: londonAt(2, 10, 0, 3) }))).toEqual(['OUTSIDE_CONSTELLATION']);
    expect((await rows(`select count(*)::int as n from support_log_entry`))[0].n).toBe(before);
  });
});

describe('append-only', () => {
  test('the database refuses UPDATE, DELETE and TRUNCATE, whoever connects', async () => {
    await recordOk(t, w.liaison.token, { k: w.k, household: w.satB });
    await expect(rows(`update support_log_entry set summary = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(rows(`delete from support_log_entry`)).rejects.toThrow(/append-only/);
    await expect(rows(`truncate support_log_entry`)).rejects.toThrow(/append-only/);
    expect((await rows(`select count(*)::int as n from support_log_entry where summary = 'rewritten'`))[0].n).toBe(0);
  });

  test("a correction's chain comes from the database: root and ever-safeguarding cannot be forged", async () => {
    const e = await recordOk(t, w.liaison.token, { k: w.k, household: w.satB, safeguarding: true, topics: ['SAFEGUARDING'], escalatedTo: 'Duty SW', escalatedAt: londonAt(2, 11) });
    const [first] = await rows(`select id, root_id, chain_safeguarding from support_log_entry where id = (select id from support_log_entry order by created_at desc limit 1)`);
    expect(first.root_id).toBe(first.id);
    await rows(
      `insert into support_log_entry (organisation_id, constellation_id, household_id, at, channel, out_of_hours, topics, summary, placement_at_risk, would_have_ended, would_have_resigned, safeguarding, chain_safeguarding, amends_id, root_id)
       values ($1, $2, $3, now(), 'VISIT', false, '{OTHER}', 'forged', false, false, false, false, false, $4, gen_random_uuid())`,
      [w.org, w.k, w.satB, first.id],
    );
    const [forged] = await rows(`select root_id, chain_safeguarding from support_log_entry where amends_id = $1`, [first.id]);
    expect(forged).toEqual({ root_id: first.id, chain_safeguarding: true });
    // Into another constellation: refused.
    await expect(
      rows(
        `insert into support_log_entry (organisation_id, constellation_id, household_id, at, channel, out_of_hours, topics, summary, placement_at_risk, would_have_ended, would_have_resigned, safeguarding, chain_safeguarding, amends_id, root_id)
         values ($1, $2, $3, now(), 'VISIT', false, '{OTHER}', 'moved', false, false, false, false, false, (select id from support_log_entry where summary = 'forged'), gen_random_uuid())`,
        [w.org, w.k2, w.sat2],
      ),
    ).rejects.toThrow(/constellation/);
    expect(e.safeguarding).toBe(true);
  });
});

describe('corrections', () => {
  test('a chain is listed and counted once, as its latest version; only the latest version can be amended', async () => {
    const h = await t.fx.household(w.org, { name: 'Chain House' });
    await t.fx.member(w.org, w.k, h, day(-100));
    const v1 = await recordOk(t, w.hubCarer.token, { k: w.k, household: h, summary: 'First take' });
    const v2 = await recordOk(t, w.liaison.token, { k: w.k, household: h, summary: 'Second take', amendsId: v1.id });
    expect(v2.amends).toEqual({ id: v1.id });
    const log = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', h) }, { token: w.manager.token });
    expect(log.data.node.supportLog.totalCount).toBe(1);
    expect(log.data.node.supportLog.edges.map((e: any) => e.node.summary)).toEqual(['Second take']);
    const old = await t.gql(`query($id: ID!) { node(id: $id) { ... on SupportLogEntry { summary amendedBy { id summary } } } }`, { id: v1.id }, { token: w.hubCarer.token });
    expect(old.data.node).toEqual({ summary: 'First take', amendedBy: { id: v2.id, summary: 'Second take' } });
    const again = await record(t, w.liaison.token, { k: w.k, household: h, summary: 'Third take', amendsId: v1.id });
    expect(codes(again)).toEqual(['CONFLICT']);
    // Racing corrections of the same version: the database lets one through.
    const race = await Promise.all([1, 2, 3].map((i) => record(t, w.liaison.token, { k: w.k, household: h, summary: `Race ${i}`, amendsId: v2.id })));
    expect(race.filter((r) => !r.userErrors.length)).toHaveLength(1);
    expect(race.filter((r) => r.userErrors.length).every((r) => codes(r)[0] === 'CONFLICT')).toBe(true);
  });

  test('a chain is safeguarding if any version was: hidden from the household even after a correction that is not', async () => {
    const v1 = await recordOk(t, w.liaison.token, {
      k: w.k,
      household: w.satA,
      summary: 'Bruise seen',
      safeguarding: true,
      topics: ['SAFEGUARDING'],
      escalatedTo: 'LADO',
      escalatedAt: londonAt(2, 12),
    });
    const v2 = await recordOk(t, w.liaison.token, { k: w.k, household: w.satA, summary: 'Bruise seen (corrected)', amendsId: v1.id });
    expect(v2.safeguarding).toBe(true);
    const own = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satA) }, { token: w.carerA.token });
    const summaries = own.data.node.supportLog.edges.map((e: any) => e.node.summary);
    expect(summaries).not.toContain('Bruise seen (corrected)');
    expect(summaries.length).toBeGreaterThan(0);
    expect(own.data.node.supportLog.edges.every((e: any) => !e.node.safeguarding)).toBe(true);
    // Not by node either, for any version.
    for (const id of [v1.id, v2.id]) {
      const r = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, { token: w.carerA.token });
      expect(r.data.node).toBeNull();
    }
    const hub = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satA) }, { token: w.hubCarer.token });
    expect(hub.data.node.supportLog.edges.map((e: any) => e.node.summary)).toContain('Bruise seen (corrected)');
  });

  test('recordedInError withdraws the chain: no carer sees it, staff see it withdrawn, and it cannot be amended again', async () => {
    const v1 = await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satB, summary: 'Wrong household' });
    const v2 = await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satB, summary: 'Wrong household', amendsId: v1.id, recordedInError: true });
    expect(v2.recordedInError).toBe(true);
    for (const token of [w.hubCarer.token!, w.carerB.token!]) {
      const r = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satB) }, { token });
      expect(r.data.node.supportLog.edges.map((e: any) => e.node.summary)).not.toContain('Wrong household');
    }
    const staff = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satB) }, { token: w.liaison.token });
    expect(staff.data.node.supportLog.edges.filter((e: any) => e.node.summary === 'Wrong household').map((e: any) => e.node.recordedInError)).toEqual([true]);
    expect(codes(await record(t, w.liaison.token, { k: w.k, household: w.satB, amendsId: v2.id }))).toEqual(['INVALID_STATE']);
  });
});

describe('who reads the log', () => {
  test("Constellation.supportLog: the constellation's hub carer, liaison worker and organisation-wide staff; null for everyone else", async () => {
    for (const token of [w.hubCarer.token!, w.liaison.token, w.admin.token, w.manager.token, w.ssw.token]) {
      const r = await t.gql(CONSTELLATION_LOG, { id: gid('Constellation', w.k) }, { token });
      expect(r.data.node.supportLog.totalCount).toBeGreaterThan(0);
    }
    const carer = await t.gql(CONSTELLATION_LOG, { id: gid('Constellation', w.k) }, { token: w.carerA.token });
    expect(carer.data.node.supportLog).toBeNull();
    const other = await t.gql(CONSTELLATION_LOG, { id: gid('Constellation', w.k2) }, { token: w.hubCarer.token });
    expect(other.data.node).toBeNull();
  });

  test("Household.supportLog: null for another household's carers; the household's own carers see theirs without safeguarding", async () => {
    const b = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satB) }, { token: w.carerA.token });
    expect(b.data.node.supportLog).toBeNull();
    const a = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satA) }, { token: w.carerA.token });
    expect(a.data.node.supportLog.totalCount).toBe(a.data.node.supportLog.edges.length);
    expect(a.data.node.supportLog.edges.every((e: any) => !e.node.safeguarding && !e.node.recordedInError)).toBe(true);
    const staff = await t.gql(HOUSEHOLD_LOG, { id: gid('Household', w.satA) }, { token: w.admin.token });
    expect(staff.data.node.supportLog.totalCount).toBeGreaterThan(a.data.node.supportLog.totalCount);
  });

  test('the filter: household, period, safeguarding, at risk, follow-ups due', async () => {
    const h = await t.fx.household(w.org, { name: 'Filter House' });
    await t.fx.member(w.org, w.k, h, day(-100));
    await recordOk(t, w.liaison.token, { k: w.k, household: h, summary: 'due', followUpOn: day(-1), placementAtRisk: true, at: londonAt(3, 10, 0, 1) });
    await recordOk(t, w.liaison.token, { k: w.k, household: h, summary: 'later', followUpOn: day(5), at: londonAt(3, 10, 0, 3) });
    const q = async (f: Record<string, unknown>) =>
      (await t.gql(CONSTELLATION_LOG, { id: gid('Constellation', w.k), f: { householdId: gid('Household', h), ...f } }, { token: w.hubCarer.token })).data.node.supportLog.edges.map(
        (e: any) => e.node.summary,
      );
    expect(await q({})).toEqual(['due', 'later']);
    expect(await q({ followUpDueOnOrBefore: day(0) })).toEqual(['due']);
    expect(await q({ placementAtRisk: true })).toEqual(['due']);
    expect(await q({ safeguarding: true })).toEqual([]);
    expect(await q({ from: londonAt(1, 0, 0, 2), to: new Date().toISOString() })).toEqual(['due']);
  });

  test('pages are keyset pages, newest first; a forged cursor is BAD_USER_INPUT', async () => {
    const all = await t.gql(CONSTELLATION_LOG, { id: gid('Constellation', w.k) }, { token: w.admin.token });
    const total = all.data.node.supportLog.totalCount;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      // The total, asked for in a fragment, is the same on the first page (counted in the page's
      // statement) as on later ones (counted on its own).
      const r: any = await t.gql(
        `query($id: ID!, $after: String) { node(id: $id) { ... on Constellation { supportLog(first: 4, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id at } } ...Total } } } }
         fragment Total on SupportLogEntryConnection { totalCount }`,
        { id: gid('Constellation', w.k), after },
        { token: w.admin.token },
      );
      const c = r.data.node.supportLog;
      expect(c.totalCount).toBe(total);
      seen.push(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const bad = await t.gql(`query($id: ID!) { node(id: $id) { ... on Constellation { supportLog(after: "bm9wZQ") { totalCount } } } }`, { id: gid('Constellation', w.k) }, { token: w.admin.token });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('safeguarding notification', () => {
  test("goes at once to the liaison worker and the household's supervising social worker, by email even when they switched it off", async () => {
    const off = await t.gql(
      `mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { userErrors { code field } } }`,
      { i: { preferences: [{ kind: 'SAFEGUARDING_CONCERN', email: false }] } },
      { token: ssw.token },
    );
    expect(off.data.updateNotificationPreferences.userErrors.map((e: any) => e.code)).toEqual(['INVALID_INPUT']);
    // Even a preference row written behind the API's back does not stop the email.
    await rows(`insert into notification_preference (user_id, kind, email, push) values ($1, 'SAFEGUARDING_CONCERN', false, false)`, [w.liaison.id]);
    await recordOk(t, w.hubCarer.token, {
      k: w.k,
      household: w.satB,
      child: w.childB,
      summary: 'Disclosure at bedtime',
      safeguarding: true,
      topics: ['SAFEGUARDING'],
      escalatedTo: 'Children’s services duty desk',
      escalatedAt: londonAt(2, 12),
    });
    const [entry] = await rows(`select id from support_log_entry where summary = 'Disclosure at bedtime'`);
    const sent = await rows(
      `select n.recipient_id, n.title, n.body_text, array_agg(d.channel order by d.channel) as channels, min(d.deliver_after) <= now() as at_once
         from notification n join notification_delivery d on d.notification_id = n.id
        where n.kind = 'SAFEGUARDING_CONCERN' and n.subject_id = $1 group by n.id order by n.recipient_id`,
      [entry.id],
    );
    expect(sent.map((s: any) => s.recipient_id).sort()).toEqual([w.liaison.id, ssw.id].sort());
    for (const s of sent) {
      expect(s.channels).toContain('EMAIL');
      expect(s.at_once).toBe(true);
      expect(s.title).toBe('Safeguarding concern: Birch House');
      // The child and the summary stay behind the login.
      expect(s.body_text).not.toMatch(/Ben|Disclosure/);
      expect(s.body_text).toMatch(/duty desk/);
    }
    const prefs = await t.gql(`{ me { notificationPreferences { kinds { kind email } } } }`, {}, { token: w.liaison.token });
    expect(prefs.data.me.notificationPreferences.kinds.find((k: any) => k.kind === 'SAFEGUARDING_CONCERN').email).toBe(true);
  });

  test('the writer is not told; a correction of a safeguarding chain does not notify again; one that makes it safeguarding does', async () => {
    const count = async () => (await rows(`select count(*)::int as n from notification where kind = 'SAFEGUARDING_CONCERN'`))[0].n;
    const start = await count();
    const v1 = await recordOk(t, w.liaison.token, { k: w.k, household: w.satA, safeguarding: true, topics: ['SAFEGUARDING'], escalatedTo: 'LADO', escalatedAt: londonAt(2, 12) });
    expect(await count()).toBe(start + 1); // the social worker only
    await recordOk(t, w.liaison.token, { k: w.k, household: w.satA, amendsId: v1.id, safeguarding: true, topics: ['SAFEGUARDING'], escalatedTo: 'LADO', escalatedAt: londonAt(2, 12) });
    expect(await count()).toBe(start + 1);
    const plain = await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA });
    await recordOk(t, w.hubCarer.token, { k: w.k, household: w.satA, amendsId: plain.id, safeguarding: true, topics: ['SAFEGUARDING'], escalatedTo: 'LADO', escalatedAt: londonAt(2, 12) });
    expect(await count()).toBe(start + 3);
  });
});

describe("follow-ups in the liaison worker's digest", () => {
  test('the weekday digest lists follow-ups due by household, without the summary or the child; a correction that clears followUpOn takes one off', async () => {
    const h = await t.fx.household(w.org, { name: 'Digest House' });
    await t.fx.member(w.org, w.k, h, day(-100));
    const due = await recordOk(t, w.hubCarer.token, { k: w.k, household: h, summary: 'Secret summary text', followUpOn: day(1) });
    const cleared = await recordOk(t, w.hubCarer.token, { k: w.k, household: h, summary: 'Done already', followUpOn: day(1) });
    await recordOk(t, w.hubCarer.token, { k: w.k, household: h, summary: 'Done already', amendsId: cleared.id });
    expect(due.followUpOn).toBe(day(1));
    // The next weekday at least a day ahead, 08:00 London.
    let d = DateTime.now().setZone('Europe/London').plus({ days: 2 }).startOf('day');
    while (d.weekday > 5) d = d.plus({ days: 1 });
    await tick(t.service.app.orm, t.service.app.log, d.set({ hour: 8, minute: 5 }).toJSDate());
    const digests = await rows(`select recipient_id, title, body_text from notification where kind = 'REQUESTS_DIGEST'`);
    const mine = digests.filter((x: any) => x.recipient_id === w.liaison.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].title).toMatch(/support follow-ups? due/);
    expect(mine[0].body_text).toContain('Support follow-ups due:');
    expect(mine[0].body_text.match(/Riverside: Digest House, due since/g)).toHaveLength(1);
    expect(mine[0].body_text).not.toMatch(/Secret summary|Amy|Ben/);
  });
});
