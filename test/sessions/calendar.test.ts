import crypto from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { CANCEL, scheduleOk, SERIES } from './helpers';

// ical.js ships ESM with a CommonJS build beside it; Jest (CommonJS) loads that build through its
// "require" export. Its types are ESM-only, so they are borrowed with a resolution-mode import.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest runs CommonJS; ical.js is loaded through its "require" export
const ICAL = require('ical.js') as typeof import('ical.js', { with: { 'resolution-mode': 'import' } }).default;

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const ISSUE = `mutation { issueCalendarFeed { url userErrors { code message } } }`;
const REVOKE = `mutation { revokeCalendarFeed { revoked userErrors { code } } }`;

async function issue(token: string): Promise<string> {
  const r = await t.gql(ISSUE, {}, { token });
  expect(r.errors).toBeUndefined();
  expect(r.data.issueCalendarFeed.userErrors).toEqual([]);
  return r.data.issueCalendarFeed.url;
}

/** Fetches a feed and parses it back with ical.js; null on a non-200. */
async function fetchFeed(url: string) {
  const res = await fetch(url);
  if (res.status !== 200) return { status: res.status, events: null };
  expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
  const cal = new ICAL.Component(ICAL.parse(await res.text()));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((c: any) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      status: c.getFirstPropertyValue('status') as string,
      sequence: c.getFirstPropertyValue('sequence') as number | null,
      start: e.startDate,
      end: e.endDate,
      description: e.description,
      location: e.location,
    };
  });
  return { status: 200, events };
}

async function sleepover(household: string, children: string[], status: string, start: string, end: string, constellation = w.k) {
  const [s] = await t.fx.sql(`insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date) values ($1, $2, $3, 'PLANNED', $4, $5, $6) returning id`, [
    w.org,
    constellation,
    household,
    status,
    start,
    end,
  ]);
  for (const c of children) {
    await t.fx.sql(`insert into sleepover_child (sleepover_id, child_id, organisation_id, start_date, end_date, active) values ($1, $2, $3, $4, $5, $6)`, [
      s.id,
      c,
      w.org,
      start,
      end,
      status === 'REQUESTED' || status === 'CONFIRMED',
    ]);
  }
  return s.id as string;
}

test("a carer's feed: their constellation's sessions (cancelled ones as cancelled) and their household's sleepovers, parsed back", async () => {
  const meeting = await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Riverside meeting', location: 'Hub kitchen', description: 'Agenda to follow' });
  const dropped = await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Dropped outing' });
  await t.gql(CANCEL, { i: { sessionId: dropped.id } }, { token: w.hubCarer.token! });
  await scheduleOk(t, w.otherLiaison.token, w.k2, { title: 'Hillside only' });
  const year = new Date().getUTCFullYear() + 1;
  const series = await t.gql(
    SERIES,
    {
      i: {
        constellationId: gid('Constellation', w.k),
        kind: 'TRAINING',
        title: 'Training night',
        recurrence: { week: 'SECOND', weekday: 'TUESDAY', startTime: '19:00', durationMinutes: 90, firstDate: `${year}-03-01`, count: 2 },
      },
    },
    { token: w.liaison.token },
  );
  const [march, april] = series.data.schedulePeerSupportSeries.sessions;
  const ownRequested = await sleepover(w.satA, [w.childA, w.childA2], 'REQUESTED', day(10), day(12));
  const ownConfirmed = await sleepover(w.satA, [w.childA], 'CONFIRMED', day(20), day(21));
  await sleepover(w.satA, [w.childA2], 'DECLINED', day(30), day(31));
  await sleepover(w.satB, [w.childB], 'CONFIRMED', day(14), day(16));

  const url = await issue(w.carerA.token!);
  expect(url).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const feed = await fetchFeed(url);
  expect(feed.status).toBe(200);
  const byUid = new Map(feed.events!.map((e) => [e.uid, e]));
  const sessionUid = (g: string) => `peer-support-session-${Buffer.from(g, 'base64url').toString().split(':')[1]}@hubnet`;

  const m = byUid.get(sessionUid(meeting.id))!;
  expect(m).toMatchObject({ summary: 'Riverside meeting', status: 'CONFIRMED', location: 'Hub kitchen', description: 'Agenda to follow' });
  // iCalendar times are to the second.
  const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;
  expect(m.start.toJSDate().getTime()).toBe(seconds(meeting.startsAt));
  expect(m.end.toJSDate().getTime()).toBe(seconds(meeting.endsAt));
  expect(byUid.get(sessionUid(dropped.id))).toMatchObject({ status: 'CANCELLED', sequence: 1 });
  expect([...byUid.values()].some((e) => e.summary === 'Hillside only')).toBe(false);
  // Timezone-aware: 19:00 Europe/London on both sides of the spring clock change.
  for (const s of [march, april]) {
    const e = byUid.get(sessionUid(s.id))!;
    expect(e.start.zone.tzid).toBe('Europe/London');
    expect([e.start.hour, e.start.minute]).toEqual([19, 0]);
    expect(e.start.toJSDate().getTime()).toBe(Date.parse(s.startsAt));
  }
  expect(new Date(march.startsAt).getUTCHours()).toBe(19);
  expect(new Date(april.startsAt).getUTCHours()).toBe(18);

  const req = byUid.get(`sleepover-${ownRequested}@hubnet`)!;
  expect(req).toMatchObject({ status: 'TENTATIVE', summary: 'Sleepover at the hub: Amy, Ava' });
  expect(req.start.isDate).toBe(true);
  expect(req.start.toString()).toBe(day(10));
  expect(req.end.toString()).toBe(day(12));
  expect(byUid.get(`sleepover-${ownConfirmed}@hubnet`)).toMatchObject({ status: 'CONFIRMED' });
  // Declined ones and other households' sleepovers stay out of a satellite carer's feed.
  expect([...byUid.keys()].filter((u) => u.startsWith('sleepover-')).sort()).toEqual([`sleepover-${ownConfirmed}@hubnet`, `sleepover-${ownRequested}@hubnet`].sort());

  // UIDs are stable: the next fetch names the same events the same way.
  const again = await fetchFeed(url);
  expect(again.events!.map((e) => e.uid).sort()).toEqual(feed.events!.map((e) => e.uid).sort());
});

test("the hub carer's feed has every confirmed sleepover at the hub, children by first name only; the liaison worker's has sessions only", async () => {
  const hubUrl = await issue(w.hubCarer.token!);
  const hub = await fetchFeed(hubUrl);
  const sleepovers = hub.events!.filter((e) => e.uid.startsWith('sleepover-'));
  expect(sleepovers.map((e) => e.summary).sort()).toEqual(['Sleepover: Amy (Alder House)', 'Sleepover: Ben (Birch House)']);
  expect(sleepovers.every((e) => e.status === 'CONFIRMED' && !e.description)).toBe(true);
  const text = await (await fetch(hubUrl)).text();
  expect(text).not.toMatch(/REF-|night light/i);
  const liaison = await fetchFeed(await issue(w.liaison.token));
  expect(liaison.events!.some((e) => e.summary === 'Riverside meeting')).toBe(true);
  expect(liaison.events!.some((e) => e.uid.startsWith('sleepover-'))).toBe(false);
  const outsider = await fetchFeed(await issue(w.carer2.token!));
  expect(outsider.events!.some((e) => e.summary === 'Riverside meeting')).toBe(false);
  expect(outsider.events!.some((e) => e.summary === 'Hillside only')).toBe(true);
});

test('tokens are stored hashed; issuing again or revoking kills the old URL; unknown URLs are 404', async () => {
  const first = await issue(w.carerB.token!);
  const token = /\/calendar\/(.+)\.ics$/.exec(first)![1];
  const [row] = await t.fx.sql(`select token_hash from calendar_feed where user_id = $1`, [w.carerB.userId]);
  expect(row.token_hash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
  expect(JSON.stringify(await t.fx.sql(`select * from calendar_feed`))).not.toContain(token);
  expect(JSON.stringify(await t.fx.sql(`select * from idempotency_key`))).not.toContain(token);
  expect((await fetch(first)).status).toBe(200);

  const second = await issue(w.carerB.token!);
  expect(second).not.toBe(first);
  expect((await fetch(first)).status).toBe(404);
  expect((await fetch(second)).status).toBe(200);

  const revoke = await t.gql(REVOKE, {}, { token: w.carerB.token! });
  expect(revoke.data.revokeCalendarFeed).toEqual({ revoked: true, userErrors: [] });
  expect((await fetch(second)).status).toBe(404);
  expect((await t.gql(REVOKE, {}, { token: w.carerB.token! })).data.revokeCalendarFeed.revoked).toBe(false);

  const base = t.url.replace(/\/graphql$/, '');
  expect((await fetch(`${base}/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
  expect((await fetch(`${base}/calendar/short.ics`)).status).toBe(404);
  expect((await fetch(`${base}/calendar/${token}.ics`, { method: 'POST' })).status).toBe(405);
  expect((await t.gql(ISSUE)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
});

test('an Idempotency-Key never stores the URL; a repeat issues a fresh one and the old stops', async () => {
  const headers = { 'idempotency-key': 'feed-1' };
  const a = await t.gql(ISSUE, {}, { token: w.carerB.token!, headers });
  const b = await t.gql(ISSUE, {}, { token: w.carerB.token!, headers });
  expect((await fetch(a.data.issueCalendarFeed.url)).status).toBe(404);
  expect((await fetch(b.data.issueCalendarFeed.url)).status).toBe(200);
  expect(await t.fx.sql(`select 1 from idempotency_key where key = 'feed-1'`)).toEqual([]);
});

test("a deactivated user's feed stops at once", async () => {
  const url = await issue(w.loneCarer.token!);
  expect((await fetch(url)).status).toBe(200);
  const r = await t.gql(`mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { userErrors { code } } }`, { i: { userId: gid('User', w.loneCarer.userId!) } }, { token: w.admin.token });
  expect(r.data.deactivateUser.userErrors).toEqual([]);
  expect((await fetch(url)).status).toBe(404);
  expect(await t.fx.sql(`select 1 from calendar_feed where user_id = $1`, [w.loneCarer.userId])).toEqual([]);
  // Even a feed row left behind by some other path serves nothing for an inactive login.
  const ssw = await issue(w.ssw.token);
  await t.fx.sql(`update app_user set active = false where id = $1`, [w.ssw.id]);
  expect((await fetch(ssw)).status).toBe(404);
});

test('the URL uses PUBLIC_URL when it is set', async () => {
  const config = t.service.app.config;
  const was = config.publicUrl;
  config.publicUrl = 'https://hubnet.example.org/';
  try {
    expect(await issue(w.carerA.token!)).toMatch(/^https:\/\/hubnet\.example\.org\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  } finally {
    config.publicUrl = was;
  }
});
