import { DateTime } from 'luxon';
import { tick } from '../../src/notifications/scheduler';
import { setClock } from '../../src/platform/time';
import { dbId, SERIES, UPDATE, CANCEL as CANCEL_SESSION, rsvpAs, scheduleOk } from '../sessions/helpers';
import { ask, decide } from '../sleepovers/support';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { rows, startSmtp, until } from './support';

/**
 * What notifies whom, through the real mutations over HTTP.
 * The worker runs (so emails really go out over SMTP); rows are checked in the database, where
 * the outbox is. Each test adds its own events and looks only at notifications created since.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let refs: string[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ HUBNET_WORKER: '1', SMTP_URL: smtp.url, NOTIFY_POLL_SECONDS: '0.5' });
  w = await t.fx.world();
});
afterAll(async () => {
  setClock(null);
  await t.stop();
  await smtp.close();
});

interface Note {
  id: string;
  recipient_id: string;
  kind: string;
  title: string;
  body_text: string;
  body_html: string;
  subject_id: string | null;
  created_at: Date;
}
const app = () => t.service.app;
const notes = async (where = 'true', params: unknown[] = []) =>
  (await rows(app(), `select id, recipient_id, kind, title, body_text, body_html, subject_id, created_at from notification where ${where} order by created_at, recipient_id`, params)) as Note[];
const about = (globalId: string, kind?: string) => notes(`subject_id = $1${kind ? ' and kind = $2' : ''}`, kind ? [dbId(globalId), kind] : [dbId(globalId)]);
const recipientsOf = (list: Note[]) => list.map((n) => n.recipient_id).sort();
const sorted = (...ids: (string | null)[]) => (ids as string[]).slice().sort();
const count = async () => (await rows(app(), `select count(*)::int as n from notification`))[0].n as number;
const email = async (userId: string) => (await rows(app(), `select email from app_user where id = $1`, [userId]))[0].email as string;

test("a carer's EMERGENCY request notifies the hub carer and the liaison worker at once, in the request's transaction; a refused one no one", async () => {
  const r = await ask(t, w.carerA.token, { k: w.k, children: [w.childA, w.childA2], start: day(3), end: day(5), kind: 'EMERGENCY' });
  expect(r.userErrors).toEqual([]);
  const n = await about(r.sleepover.id);
  expect(n.map((x) => x.kind)).toEqual(['EMERGENCY_SLEEPOVER_REQUESTED', 'EMERGENCY_SLEEPOVER_REQUESTED']);
  expect(recipientsOf(n)).toEqual(sorted(w.hubCarer.userId, w.liaison.id));
  // now() is the transaction's start: the same instant on the sleepover and its notifications.
  const [s] = await rows(app(), `select created_at from sleepover where id = $1`, [dbId(r.sleepover.id)]);
  for (const x of n) expect(new Date(x.created_at).getTime()).toBe(new Date(s.created_at).getTime());
  const deliveries = await rows(
    app(),
    `select d.batch_key, extract(epoch from d.deliver_after - n.created_at)::float8 as wait from notification_delivery d join notification n on n.id = d.notification_id where n.id = any($1::uuid[])`,
    [n.map((x) => x.id)],
  );
  expect(deliveries.length).toBe(2);
  for (const d of deliveries) expect(d).toMatchObject({ batch_key: null });
  for (const d of deliveries) expect(d.wait).toBeLessThan(5);
  for (const x of n) {
    expect(x.title).toBe('Emergency sleepover request from Alder House');
    expect(x.body_text).toContain('2 children from Alder House');
    expect(`${x.title}${x.body_text}${x.body_html}`).not.toMatch(/Amy|Ava/);
  }

  // Delivered by the worker over SMTP; the subject line names no child.
  const to = await email(w.hubCarer.userId!);
  const [mail] = await until(() => smtp.to(to).length > 0 && smtp.to(to), 15_000, 'the emergency email');
  expect(mail.subject).toBe('Emergency sleepover request from Alder House');
  expect(mail.decoded).not.toMatch(/Amy|Ava/);

  // Refused: by the service (another household's child), or by the database once the sleepover
  // row is written (the same children again on those nights): rolled back, no one notified.
  const before = await count();
  const refused = await ask(t, w.carerA.token, { k: w.k, children: [w.childB], start: day(3), end: day(4), kind: 'EMERGENCY' });
  expect(refused.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  const overlap = await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(4), end: day(6), kind: 'EMERGENCY' });
  expect(overlap.userErrors.map((e) => e.code)).toEqual(['OVERLAP']);
  expect(await count()).toBe(before);
  // The requester cancelling their own request is told nothing; it is their own doing.
  expect((await decide(t, w.carerA.token, 'cancel', r.sleepover.id)).userErrors).toEqual([]);
  expect(await about(r.sleepover.id, 'SLEEPOVER_CANCELLED')).toEqual([]);
});

test('PLANNED requests wait 5 minutes and gather into one batch per recipient and constellation', async () => {
  const a = await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(8), end: day(9) });
  const b = await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(12), end: day(13) });
  const n = [...(await about(a.sleepover.id)), ...(await about(b.sleepover.id))];
  expect(n.map((x) => x.kind)).toEqual(Array(4).fill('SLEEPOVER_REQUESTED'));
  expect(recipientsOf(n)).toEqual(sorted(w.hubCarer.userId, w.hubCarer.userId, w.liaison.id, w.liaison.id));
  const d = await rows(
    app(),
    `select d.recipient_id, d.batch_key, d.batch_id, d.status, extract(epoch from d.deliver_after - n.created_at)::float8 as wait
       from notification_delivery d join notification n on n.id = d.notification_id where n.id = any($1::uuid[]) order by n.created_at`,
    [n.map((x) => x.id)],
  );
  expect(d.length).toBe(4);
  for (const x of d) {
    expect(x.batch_key).toBe(`SLEEPOVER_REQUESTED:constellation:${w.k}`);
    expect(x.status).toBe('PENDING');
    expect(x.wait).toBeGreaterThan(290);
    expect(x.wait).toBeLessThan(310);
  }
  // Per recipient the second joined the first's batch: one message at the end of the window.
  for (const who of [w.hubCarer.userId, w.liaison.id]) {
    const mine = d.filter((x: any) => x.recipient_id === who);
    expect(new Set(mine.map((x: any) => x.batch_id)).size).toBe(1);
  }
  expect(n.find((x) => x.recipient_id === w.hubCarer.userId)!.title).toBe('Sleepover request from Alder House');
});

test('confirm, decline and cancel notify the requester with the reason; the one deciding is not told', async () => {
  const one = (await ask(t, w.carerA.token, { k: w.k, children: [w.childA, w.childA2], start: day(15), end: day(17) })).sleepover.id;
  const two = (await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(20), end: day(21) })).sleepover.id;
  expect((await decide(t, w.hubCarer.token, 'confirm', one, { reason: 'See you at six.' })).userErrors).toEqual([]);
  expect((await decide(t, w.liaison.token, 'decline', two, { reason: 'No staff cover that night.' })).userErrors).toEqual([]);
  const [confirmed] = await about(one, 'SLEEPOVER_CONFIRMED');
  expect(confirmed.recipient_id).toBe(w.carerA.userId);
  expect(confirmed.title).toBe('Sleepover confirmed at Hub Home');
  expect(confirmed.body_text).toMatch(/^The sleepover for Amy and Ava at Hub Home is confirmed: 2 nights from /);
  expect(confirmed.body_text).toContain('Reason: See you at six.');
  expect(await about(one, 'SLEEPOVER_CONFIRMED')).toHaveLength(1);
  const [declined] = await about(two, 'SLEEPOVER_DECLINED');
  expect(declined).toMatchObject({ recipient_id: w.carerA.userId, title: 'Sleepover request declined' });
  expect(declined.body_text).toContain('Amy');
  expect(declined.body_text).toContain('Reason: No staff cover that night.');

  expect((await decide(t, w.hubCarer.token, 'cancel', one, { reason: 'Boiler broken.' })).userErrors).toEqual([]);
  const cancelled = await about(one, 'SLEEPOVER_CANCELLED');
  expect(recipientsOf(cancelled)).toEqual([w.carerA.userId]);
  expect(cancelled[0].title).toBe('Sleepover cancelled');
  expect(cancelled[0].body_text).toContain('Reason: Boiler broken.');

  // The hub carer booking (confirmed at once): no one waits on a decision, but the children's own
  // carers learn that it is booked, with their child's first name; the hub carer is not told.
  const own = await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(25), end: day(26) });
  expect(own.sleepover.status).toBe('CONFIRMED');
  const booked = await about(own.sleepover.id);
  expect(booked.map((x) => [x.kind, x.recipient_id])).toEqual([['SLEEPOVER_CONFIRMED', w.carerB.userId]]);
  expect(booked[0].body_text).toMatch(/^The sleepover for Ben at Hub Home is confirmed: 1 night from /);
});

test("a social worker's request for a household: the decision goes to the social worker and to the children's carers", async () => {
  const r = await ask(t, w.ssw.token, { k: w.k, children: [w.childB], start: day(40), end: day(42) });
  expect(r.userErrors).toEqual([]);
  expect((await decide(t, w.hubCarer.token, 'confirm', r.sleepover.id)).userErrors).toEqual([]);
  const confirmed = await about(r.sleepover.id, 'SLEEPOVER_CONFIRMED');
  expect(recipientsOf(confirmed)).toEqual(sorted(w.ssw.id, w.carerB.userId));
  // Each told what they may see: the carers their child's first name, the social worker a count.
  expect(confirmed.find((x) => x.recipient_id === w.carerB.userId)!.body_text).toContain('Ben');
  expect(confirmed.find((x) => x.recipient_id === w.ssw.id)!.body_text).toContain('1 child from Birch House');
  expect((await decide(t, w.ssw.token, 'cancel', r.sleepover.id, { reason: 'Plans changed.' })).userErrors).toEqual([]);
  expect(recipientsOf(await about(r.sleepover.id, 'SLEEPOVER_CANCELLED'))).toEqual([w.carerB.userId]);
});

test("a placement ending cancels a confirmed future sleepover and cuts one under way short: the requester hears both, with the cascade's reason", async () => {
  const zoe = await t.fx.child(w.org, { firstName: 'Zoe' });
  const placement = await t.fx.placement(w.org, zoe, w.satA);
  const later = (await ask(t, w.carerA.token, { k: w.k, children: [zoe], start: day(30), end: day(32) })).sleepover.id;
  expect((await decide(t, w.liaison.token, 'confirm', later)).userErrors).toEqual([]);
  const underWay = (await ask(t, w.carerA.token, { k: w.k, children: [zoe], start: day(0), end: day(3) })).sleepover.id;
  expect((await decide(t, w.liaison.token, 'confirm', underWay)).userErrors).toEqual([]);
  const r = await t.gql(
    `mutation($i: EndPlacementInput!) { endPlacement(input: $i) { userErrors { code message } } }`,
    {
      i: { placementId: gid('Placement', placement), endDate: day(1), reason: 'CARPL', unplanned: false },
    },
    { token: w.ssw.token },
  );
  expect(r.data.endPlacement.userErrors).toEqual([]);
  const [cancelled] = await about(later, 'SLEEPOVER_CANCELLED');
  expect(cancelled).toMatchObject({ recipient_id: w.carerA.userId, title: 'Sleepover cancelled' });
  expect(cancelled.body_text).toContain('Zoe');
  expect(cancelled.body_text).toContain('Reason: The placement ended.');
  const [short] = await about(underWay, 'SLEEPOVER_CANCELLED');
  expect(short).toMatchObject({ recipient_id: w.carerA.userId, title: 'Sleepover ended early' });
  expect(short.body_text).toContain('Reason: The placement ended.');
});

test('scheduling notifies the carers of the constellation (hub included, not the one scheduling); a series is ONE notification', async () => {
  const s = await scheduleOk(t, w.liaison.token, w.k, { title: 'Coffee and chat' });
  const n = await about(s.id, 'SESSION_SCHEDULED');
  expect(recipientsOf(n)).toEqual(sorted(w.hubCarer.userId, w.carerA.userId, w.carerB.userId));
  expect(n[0].title).toBe('New session: Coffee and chat');

  const byHub = await scheduleOk(t, w.hubCarer.token!, w.k, { title: 'Hub picnic' });
  expect(recipientsOf(await about(byHub.id, 'SESSION_SCHEDULED'))).toEqual(sorted(w.carerA.userId, w.carerB.userId));

  const first = DateTime.now().setZone('Europe/London').plus({ months: 1 }).startOf('month').toISODate()!;
  const series = await t.gql(
    SERIES,
    {
      i: {
        constellationId: gid('Constellation', w.k),
        kind: 'CONSTELLATION_MEETING',
        title: 'Monthly meeting',
        recurrence: { week: 'SECOND', weekday: 'TUESDAY', startTime: '19:00', durationMinutes: 90, firstDate: first, count: 4 },
      },
    },
    { token: w.liaison.token },
  );
  expect(series.data.schedulePeerSupportSeries.userErrors).toEqual([]);
  const ids = series.data.schedulePeerSupportSeries.sessions.map((x: any) => dbId(x.id));
  const sn = await notes(`kind = 'SESSION_SCHEDULED' and subject_id = any($1::uuid[])`, [ids]);
  expect(recipientsOf(sn)).toEqual(sorted(w.hubCarer.userId, w.carerA.userId, w.carerB.userId));
  expect(sn[0].title).toBe('New sessions: Monthly meeting');
  expect(sn[0].body_text).toMatch(/^Monthly meeting: 4 sessions, monthly from Tuesday \d+ \w+ at 19:00/);
  // Nobody outside the constellation hears of it.
  for (const outsider of [w.carer2.userId, w.loneCarer.userId, w.otherLiaison.id]) expect(recipientsOf(sn)).not.toContain(outsider);

  const upd = await t.gql(UPDATE, { i: { sessionId: s.id, location: 'Village hall' } }, { token: w.liaison.token });
  expect(upd.data.updatePeerSupportSession.userErrors).toEqual([]);
  const u = await about(s.id, 'SESSION_UPDATED');
  expect(recipientsOf(u)).toEqual(sorted(w.hubCarer.userId, w.carerA.userId, w.carerB.userId));
  expect(u[0].body_text).toContain('Village hall');
  const cancel = await t.gql(CANCEL_SESSION, { i: { sessionId: s.id, reason: 'Snow.' } }, { token: w.liaison.token });
  expect(cancel.data.cancelPeerSupportSession.userErrors).toEqual([]);
  const c = await about(s.id, 'SESSION_CANCELLED');
  expect(recipientsOf(c)).toEqual(sorted(w.hubCarer.userId, w.carerA.userId, w.carerB.userId));
  expect(c[0].body_text).toContain('Reason: Snow.');
});

test('waitlist promotion notifies the promoted carer: an RSVP change, a raised capacity', async () => {
  const s = await scheduleOk(t, w.liaison.token, w.k, { title: 'Small group', capacity: 1 });
  await rsvpAs(t, w.carerA.token!, s.id, true);
  expect((await rsvpAs(t, w.carerB.token!, s.id, true)).rsvp.status).toBe('WAITLISTED');
  await rsvpAs(t, w.carerA.token!, s.id, false);
  const p = await about(s.id, 'WAITLIST_PROMOTED');
  expect(recipientsOf(p)).toEqual([w.carerB.userId]);
  expect(p[0].title).toBe('You have a place: Small group');

  const s2 = await scheduleOk(t, w.liaison.token, w.k, { title: 'Another group', capacity: 1 });
  await rsvpAs(t, w.carerA.token!, s2.id, true);
  await rsvpAs(t, w.hubCarer.token!, s2.id, true);
  const upd = await t.gql(UPDATE, { i: { sessionId: s2.id, capacity: 2 } }, { token: w.liaison.token });
  expect(upd.data.updatePeerSupportSession.userErrors).toEqual([]);
  expect(recipientsOf(await about(s2.id, 'WAITLIST_PROMOTED'))).toEqual([w.hubCarer.userId]);
  // Only the capacity changed: nothing for those already coming.
  expect(await about(s2.id, 'SESSION_UPDATED')).toEqual([]);
});

test('session reminders: from 18:00 London the day before, to the carers going, once per session and date', async () => {
  // A session at 19:00 London 40 days out; clocks injected, never waited for.
  const dayOf = DateTime.now().setZone('Europe/London').plus({ days: 40 }).startOf('day');
  const startsAt = dayOf.set({ hour: 19 }).toUTC().toISO()!;
  const endsAt = dayOf.set({ hour: 21 }).toUTC().toISO()!;
  const s = await scheduleOk(t, w.liaison.token, w.k, { title: 'Reminder me', startsAt, endsAt, capacity: 5 });
  await rsvpAs(t, w.carerA.token!, s.id, true);
  await rsvpAs(t, w.carerB.token!, s.id, true);
  await rsvpAs(t, w.carerB.token!, s.id, false);
  await rsvpAs(t, w.hubCarer.token!, s.id, true);
  const eve = dayOf.minus({ days: 1 });
  await tick(app().orm, app().log, eve.set({ hour: 17, minute: 59 }).toJSDate());
  expect(await about(s.id, 'SESSION_REMINDER')).toEqual([]);
  setClock(() => eve.set({ hour: 18 }).toJSDate());
  await tick(app().orm, app().log);
  await tick(app().orm, app().log, eve.set({ hour: 22 }).toJSDate());
  setClock(null);
  const r = await about(s.id, 'SESSION_REMINDER');
  expect(recipientsOf(r)).toEqual(sorted(w.carerA.userId, w.hubCarer.userId));
  expect(r[0].title).toBe('Tomorrow: Reminder me');
  expect(r[0].body_text).toContain('at 19:00');
  // Two days before, or on the day: nothing more.
  await tick(app().orm, app().log, dayOf.set({ hour: 18 }).toJSDate());
  await tick(app().orm, app().log, eve.minus({ days: 1 }).set({ hour: 20 }).toJSDate());
  expect(await about(s.id, 'SESSION_REMINDER')).toHaveLength(2);
});

test('privacy across everything written: no child named in a title, no case reference anywhere, children named only to their own household', async () => {
  refs = (await rows(app(), `select reference from child where organisation_id = $1`, [w.org])).map((r: any) => r.reference);
  const children = await rows(app(), `select c.first_name, p.household_id from child c join placement p on p.child_id = c.id where c.organisation_id = $1`, [w.org]);
  const households = new Map((await rows(app(), `select user_id, household_id from carer where user_id is not null`)).map((r: any) => [r.user_id, r.household_id]));
  const all = await notes();
  expect(all.length).toBeGreaterThan(20);
  for (const n of all) {
    const body = `${n.title}\n${n.body_text}\n${n.body_html}`;
    for (const ref of refs) expect(body).not.toContain(ref);
    for (const c of children) {
      const named = new RegExp(`\\b${c.first_name}\\b`);
      expect(n.title).not.toMatch(named);
      if (named.test(body)) expect([n.recipient_id, households.get(n.recipient_id)]).toEqual([n.recipient_id, c.household_id]);
    }
  }
  for (const m of smtp.received) for (const c of children) expect(m.subject).not.toMatch(new RegExp(`\\b${c.first_name}\\b`));
});
