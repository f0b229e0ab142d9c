import { DateTime } from 'luxon';
import '../../src/venue/venue.reminders';
import { tick } from '../../src/notifications/scheduler';
import { todayLondon } from '../../src/platform/time';
import { startTestApp, type TestApp } from '../support/app';

/** The day-before reminder of a confirmed hub booking, at 18:00 Europe/London, with the clock injected. */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  await t.fx.siblings(w.org, w.childA, w.childLone);
});
afterAll(async () => t.stop());

// A summer day next year (BST): 18:00 London is 17:00 UTC.
const dayOf = DateTime.fromISO(`${Number(todayLondon().slice(0, 4)) + 1}-06-16`, { zone: 'Europe/London' });
const eve = dayOf.minus({ days: 1 }).toISODate()!;

async function booking(status: string, children: string[], requestedBy: string) {
  const [b] = await t.fx.sql(
    `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day, requested_by_id)
     values ($1, $2, 'SIBLING_CONTACT', $3, $4, $5, $6, $7) returning id`,
    [w.org, w.k, status, dayOf.set({ hour: 10 }).toJSDate(), dayOf.set({ hour: 12 }).toJSDate(), dayOf.toISODate(), requestedBy],
  );
  for (const c of children) await t.fx.sql(`insert into hub_booking_child (booking_id, child_id, organisation_id) values ($1, $2, $3)`, [b.id, c, w.org]);
  return b.id as string;
}
const reminders = (id: string) =>
  t.fx.sql<{ recipient_id: string; title: string; body_text: string }>(
    `select recipient_id, title, body_text from notification where kind = 'HUB_BOOKING_REMINDER' and subject_id = $1 order by recipient_id`,
    [id],
  );

test("from 18:00 London the day before: the hub carers, whoever asked and the children's carers, once; requests get none", async () => {
  const confirmed = await booking('CONFIRMED', [w.childA, w.childLone], w.ssw.id);
  const requested = await booking('REQUESTED', [w.childB], w.carerB.userId!);
  const app = t.service.app;
  await tick(app.orm, app.log, new Date(`${eve}T16:59:00Z`));
  expect(await reminders(confirmed)).toEqual([]);
  await Promise.all([tick(app.orm, app.log, new Date(`${eve}T17:00:00Z`)), tick(app.orm, app.log, new Date(`${eve}T17:00:01Z`))]);
  await tick(app.orm, app.log, new Date(`${eve}T21:00:00Z`));
  const sent = await reminders(confirmed);
  expect(sent.map((r) => r.recipient_id).sort()).toEqual([w.hubCarer.userId, w.ssw.id, w.carerA.userId, w.loneCarer.userId].sort());
  expect(sent.every((r) => r.title === 'Tomorrow at Hub Home')).toBe(true);
  expect(sent.find((r) => r.recipient_id === w.carerA.userId)!.body_text).toBe(`Tomorrow: Sibling contact at Hub Home for Amy and 1 other child: ${dayOf.toFormat('cccc d LLLL')}, 10:00–12:00.`);
  expect(sent.find((r) => r.recipient_id === w.hubCarer.userId)!.body_text).toContain('for Amy and Cal');
  expect(await reminders(requested)).toEqual([]);
});
