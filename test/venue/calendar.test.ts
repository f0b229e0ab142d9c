import { startTestApp, type TestApp } from '../support/app';
import { book, decideBooking } from './support';

// ical.js ships ESM with a CommonJS build beside it; Jest (CommonJS) loads that build through its
// "require" export. Its types are ESM-only, so they are borrowed with a resolution-mode import.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- Jest runs CommonJS; ical.js is loaded through its "require" export
const ICAL = require('ical.js') as typeof import('ical.js', { with: { 'resolution-mode': 'import' } }).default;

/** Calendar feeds carry hub bookings as each user may see them: what it is, or only "Hub busy". */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  await t.fx.siblings(w.org, w.childA, w.childLone);
});
afterAll(async () => t.stop());

async function feed(token: string) {
  const r = await t.gql(`mutation { issueCalendarFeed { url userErrors { code } } }`, {}, { token });
  const res = await fetch(r.data.issueCalendarFeed.url);
  expect(res.status).toBe(200);
  const text = await res.text();
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal
    .getAllSubcomponents('vevent')
    .map((c: any) => {
      const e = new ICAL.Event(c);
      return { uid: e.uid, summary: e.summary, status: c.getFirstPropertyValue('status') as string, start: e.startDate, end: e.endDate, location: e.location };
    })
    .filter((e: { uid: string }) => e.uid.startsWith('hub-booking-'));
  return { events, text };
}
const uid = (g: string) => `hub-booking-${Buffer.from(g, 'base64url').toString().split(':')[1]}@hubnet`;

test('the children\'s carers see what a booking is; other carers of the constellation "Hub busy"; requests only for those who see them', async () => {
  const dayCare = await book(t, w.hubCarer.token, { k: w.k, purpose: 'DAY_CARE', day: 3, from: '15:30', to: '17:45', children: [w.childA], notes: 'Private note' });
  const requested = await book(t, w.carerA.token, { k: w.k, purpose: 'DAY_CARE', day: 4, from: '15:30', to: '17:00', children: [w.childA2] });
  const contact = await book(t, w.ssw.token, { k: w.k, purpose: 'SIBLING_CONTACT', day: 5, from: '10:00', to: '12:00', children: [w.childA, w.childLone] });
  expect((await decideBooking(t, w.hubCarer.token, 'confirm', contact.booking.id)).userErrors).toEqual([]);
  const cancelled = await book(t, w.hubCarer.token, { k: w.k, purpose: 'MEETING', day: 6, from: '10:00', to: '11:00' });
  await decideBooking(t, w.hubCarer.token, 'cancel', cancelled.booking.id);

  const amy = await feed(w.carerA.token!);
  const byUid = new Map(amy.events.map((e: any) => [e.uid, e]));
  const d = byUid.get(uid(dayCare.booking.id))!;
  expect(d).toMatchObject({ summary: 'Day care at the hub: Amy', status: 'CONFIRMED', location: 'Riverside hub' });
  expect(d.start.zone.tzid).toBe('Europe/London');
  expect([d.start.hour, d.start.minute, d.end.hour, d.end.minute]).toEqual([15, 30, 17, 45]);
  expect(byUid.get(uid(requested.booking.id))).toMatchObject({ summary: 'Day care at the hub: Ava', status: 'TENTATIVE' });
  expect(byUid.get(uid(contact.booking.id))).toMatchObject({ summary: 'Sibling contact at the hub: Amy' });
  expect(byUid.has(uid(cancelled.booking.id))).toBe(false);
  expect(amy.text).not.toContain('Private note');

  const ben = await feed(w.carerB.token!);
  expect(ben.events.map((e: any) => [e.uid, e.summary]).sort()).toEqual(
    [
      [uid(dayCare.booking.id), 'Hub busy'],
      [uid(contact.booking.id), 'Hub busy'],
    ].sort(),
  );
  expect(ben.text).not.toMatch(/Amy|Ava|Cal|Day care|Sibling/);

  const hub = await feed(w.hubCarer.token!);
  expect(hub.events.map((e: any) => e.summary).sort()).toEqual(['Day care at the hub: Amy', 'Day care at the hub: Ava', 'Sibling contact at the hub: Amy, Cal'].sort());

  // Cal's carer, outside the constellation, has the sibling contact with Cal only.
  const cal = await feed(w.loneCarer.token!);
  expect(cal.events.map((e: any) => e.summary)).toEqual(['Sibling contact at the hub: Cal']);
  // The social worker who asked has it; another constellation's carer has nothing of Riverside's.
  expect((await feed(w.ssw.token)).events.map((e: any) => e.uid)).toEqual([uid(contact.booking.id)]);
  expect((await feed(w.carer2.token!)).events).toEqual([]);
});
