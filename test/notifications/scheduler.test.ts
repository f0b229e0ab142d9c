import { DateTime } from 'luxon';
import { NotificationKind } from '../../src/notifications/kinds';
import { tick } from '../../src/notifications/scheduler';
import { setClock, todayLondon } from '../../src/platform/time';
import { startTestApp, type TestApp } from '../support/app';
import { rows } from './support';

/**
 * Reminders at Europe/London wall-clock times across the clock changes, with the clock injected
 * (never waited for). Next year's last Sundays of March and October keep the data in the future.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const year = Number(todayLondon().slice(0, 4)) + 1;
const lastSunday = (month: number) => {
  let d = DateTime.fromObject({ year, month, day: 1 }, { zone: 'Europe/London' }).endOf('month').startOf('day');
  while (d.weekday !== 7) d = d.minus({ days: 1 });
  return d;
};
const springForward = lastSunday(3);
const fallBack = lastSunday(10);
const iso = (d: DateTime) => d.toISODate()!;
const utc = (s: string) => new Date(s);
const reminders = (kind = NotificationKind.SLEEPOVER_REMINDER) =>
  rows(t.service.app, `select recipient_id, title, body_text, body_html, subject_id from notification where kind = $1 order by created_at, id`, [kind]);
let refs: string[] = [];

async function sleepover(start: DateTime, nights: number, status = 'CONFIRMED', kind = 'PLANNED', requestedBy: string = w.carerA.userId!) {
  const [s] = await t.fx.sql(
    `insert into sleepover (organisation_id, constellation_id, household_id, requested_by_id, kind, status, start_date, end_date)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
    [w.org, w.k, w.satA, requestedBy, kind, status, iso(start), iso(start.plus({ days: nights }))],
  );
  for (const [i, child] of [w.childA, w.childA2].entries()) {
    await t.fx.sql(`insert into sleepover_child (sleepover_id, child_id, organisation_id, start_date, end_date, active, bed) values ($1, $2, $3, $4, $5, true, $6)`, [
      s.id,
      child,
      w.org,
      iso(start),
      iso(start.plus({ days: nights })),
      status === 'CONFIRMED' ? i + 1 : null,
    ]);
  }
  return s.id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  refs = (await t.fx.sql(`select reference from child where id = any($1::uuid[])`, [[w.childA, w.childA2]])).map((r: any) => r.reference);
});
afterAll(async () => {
  setClock(null);
  await t.stop();
});

const app = () => t.service.app;

test(`sleepover reminders at 18:00 London the day before, across the spring clock change (${iso(springForward)})`, async () => {
  // Starts on the Sunday the clocks go forward: reminded on Saturday 18:00 GMT (= 18:00 UTC).
  const sunday = await sleepover(springForward, 1);
  // Starts on the Monday after: reminded on Sunday 18:00 BST (= 17:00 UTC).
  const monday = await sleepover(springForward.plus({ days: 1 }), 1);
  const sat = iso(springForward.minus({ days: 1 }));
  const sun = iso(springForward);

  await tick(app().orm, app().log, utc(`${sat}T17:59:59Z`));
  expect(await reminders()).toHaveLength(0);
  // The injected platform clock drives the default tick.
  setClock(() => utc(`${sat}T18:00:00Z`));
  await tick(app().orm, app().log);
  setClock(null);
  let r = await reminders();
  expect(r.map((x: any) => x.subject_id)).toEqual([sunday, sunday]);

  await tick(app().orm, app().log, utc(`${sun}T16:59:59Z`));
  expect(await reminders()).toHaveLength(2);
  // Two replicas ticking at once, then again: one reminder per recipient.
  await Promise.all([tick(app().orm, app().log, utc(`${sun}T17:00:00Z`)), tick(app().orm, app().log, utc(`${sun}T17:00:01Z`))]);
  await tick(app().orm, app().log, utc(`${sun}T21:30:00Z`));
  r = await reminders();
  expect(r.map((x: any) => x.subject_id)).toEqual([sunday, sunday, monday, monday]);
  expect(new Set(r.slice(2).map((x: any) => x.recipient_id))).toEqual(new Set([w.carerA.userId, w.hubCarer.userId]));
});

test(`sleepover reminders across the autumn clock change (${iso(fallBack)})`, async () => {
  // Sunday start: Saturday 18:00 BST = 17:00 UTC. Monday start: Sunday 18:00 GMT = 18:00 UTC.
  const sunday = await sleepover(fallBack, 1);
  const monday = await sleepover(fallBack.plus({ days: 1 }), 3);
  const sat = iso(fallBack.minus({ days: 1 }));
  const sun = iso(fallBack);
  const about = async (id: string) => (await reminders()).filter((x: any) => x.subject_id === id);
  await tick(app().orm, app().log, utc(`${sat}T16:59:00Z`));
  expect(await about(sunday)).toHaveLength(0);
  await tick(app().orm, app().log, utc(`${sat}T17:00:00Z`));
  expect(await about(sunday)).toHaveLength(2);
  await tick(app().orm, app().log, utc(`${sun}T17:59:00Z`));
  expect(await about(monday)).toHaveLength(0);
  await tick(app().orm, app().log, utc(`${sun}T18:00:00Z`));
  expect(await about(monday)).toHaveLength(2);
});

test("a reminder tells the children's carer their first names and the hub carer a count; no subject line names a child, no text a case reference", async () => {
  const all = await reminders();
  const own = all.filter((x: any) => x.recipient_id === w.carerA.userId);
  const hub = all.filter((x: any) => x.recipient_id === w.hubCarer.userId);
  expect(own.length).toBeGreaterThan(0);
  expect(hub.length).toBe(own.length);
  for (const x of own) {
    expect(x.title).toBe('Sleepover tomorrow at Hub Home');
    expect(x.body_text).toMatch(/^Amy and Ava stay at Hub Home for \d nights? from \w+day \d+ \w+, home on \w+day \d+ \w+\.$/);
  }
  for (const x of hub) {
    expect(x.title).toBe('Sleepover tomorrow: 2 children from Alder House');
    expect(x.body_text).toContain('Their sleepover notes are in the app.');
  }
  for (const x of all) {
    for (const name of ['Amy', 'Ava']) expect(x.title).not.toContain(name);
    for (const ref of refs) expect(`${x.title}\n${x.body_text}\n${x.body_html}`).not.toContain(ref);
  }
  for (const x of hub) for (const name of ['Amy', 'Ava']) expect(`${x.body_text}${x.body_html}`).not.toContain(name);
});

test("a sleepover the liaison worker booked for a household: the reminder also reaches the children's carers and the hub", async () => {
  const start = springForward.plus({ days: 20 });
  const id = await sleepover(start, 2, 'CONFIRMED', 'PLANNED', w.liaison.id);
  // 18:00 BST the day before is 17:00 UTC.
  await tick(app().orm, app().log, utc(`${iso(start.minus({ days: 1 }))}T17:00:00Z`));
  const r = await rows(app(), `select recipient_id, body_text from notification where kind = 'SLEEPOVER_REMINDER' and subject_id = $1`, [id]);
  expect(r.map((x: any) => x.recipient_id).sort()).toEqual([w.liaison.id, w.carerA.userId, w.hubCarer.userId].sort());
  expect(r.find((x: any) => x.recipient_id === w.carerA.userId).body_text).toMatch(/^Amy and Ava stay at Hub Home/);
  expect(r.find((x: any) => x.recipient_id === w.liaison.id).body_text).toMatch(/^2 children from Alder House stay at Hub Home/);
});

test('the requests digest: 08:00 London on weekdays only, across the clock change, one per liaison worker a day', async () => {
  await sleepover(springForward.plus({ days: 10 }), 2, 'REQUESTED', 'EMERGENCY');
  const friday = iso(springForward.minus({ days: 2 }));
  const saturday = iso(springForward.minus({ days: 1 }));
  const monday = iso(springForward.plus({ days: 1 }));
  const digests = () => reminders(NotificationKind.REQUESTS_DIGEST);
  // Friday before the change: 08:00 GMT = 08:00 UTC.
  await tick(app().orm, app().log, utc(`${friday}T07:59:00Z`));
  expect(await digests()).toHaveLength(0);
  await tick(app().orm, app().log, utc(`${friday}T08:00:00Z`));
  expect(await digests()).toHaveLength(1);
  // Weekend: none, whatever the hour.
  await tick(app().orm, app().log, utc(`${saturday}T09:00:00Z`));
  await tick(app().orm, app().log, utc(`${iso(springForward)}T09:00:00Z`));
  expect(await digests()).toHaveLength(1);
  // Monday after the change: 08:00 BST = 07:00 UTC.
  await tick(app().orm, app().log, utc(`${monday}T06:59:00Z`));
  expect(await digests()).toHaveLength(1);
  await tick(app().orm, app().log, utc(`${monday}T07:00:00Z`));
  await tick(app().orm, app().log, utc(`${monday}T10:00:00Z`));
  const d = await digests();
  expect(d).toHaveLength(2);
  expect(d.every((x: any) => x.recipient_id === w.liaison.id)).toBe(true);
  expect(d[1].title).toBe('1 sleepover request waiting for a decision');
  expect(d[1].body_text).toContain('Riverside: Alder House, EMERGENCY, 2 children, 2 nights from');
  for (const name of ['Amy', 'Ava']) expect(`${d[1].title}${d[1].body_text}${d[1].body_html}`).not.toContain(name);
  for (const ref of refs) expect(d[1].body_text).not.toContain(ref);
});
