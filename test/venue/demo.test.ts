import { seedDemo } from '../../src/seed/demo';
import { startTestApp, type TestApp } from '../support/app';

/** The demo data loads under every constraint and shows the hub as a venue: a booking of each purpose. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

test('the demo organisation has a booking of each purpose at the Riverside hub, and its venue rules', async () => {
  const em = t.db.orm.em.fork() as any;
  expect(await seedDemo(em)).not.toBeNull();
  const rows = await t.fx.sql(`select purpose, count(*)::int as n from hub_booking group by purpose order by purpose`);
  expect(rows.map((r: any) => r.purpose)).toEqual(['DAY_CARE', 'FAMILY_TIME', 'MEETING', 'OTHER', 'SIBLING_CONTACT']);
  const venue = await t.fx.sql(`select family_time_allowed, opens_at, closes_at from hub_venue`);
  expect(venue).toEqual([{ family_time_allowed: true, opens_at: '08:30', closes_at: '19:00' }]);
});
