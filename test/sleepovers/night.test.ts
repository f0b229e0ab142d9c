import { setClock } from '../../src/platform/time';
import { tonightLondon } from '../../src/sleepovers/tonight';
import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';

/**
 * Night-time emergencies: until 08:00 London time the night that began the evening before is still
 * tonight, so an EMERGENCY sleepover may start on it — across both clock changes (BST begins at
 * 01:00 UTC on 29 March 2026 and ends at 01:00 UTC on 25 October 2026). The clock is injected.
 */
let t: TestApp;
let k: string;
let child: string;
let hubCarer: string;
let satCarer: string;
beforeAll(async () => {
  t = await startTestApp();
  const org = await t.fx.organisation('Night Council');
  const hub = await t.fx.household(org, { name: 'Night Hub' });
  k = await t.fx.constellation(org, hub, { joinedOn: '2025-01-01' });
  const sat = await t.fx.household(org, { name: 'Night Satellite' });
  await t.fx.member(org, k, sat, '2025-01-01');
  hubCarer = (await t.fx.carer(org, hub)).token!;
  satCarer = (await t.fx.carer(org, sat)).token!;
  child = await t.fx.child(org, { firstName: 'Noor', dob: '2016-05-05' });
  await t.fx.placement(org, child, sat, '2025-01-01');
});
afterAll(async () => t.stop());
afterEach(async () => {
  setClock(null);
  await t.fx.sql(`delete from bed_claim; delete from sleepover_child; delete from sleepover`);
});

const at = (iso: string) => setClock(() => new Date(iso));
const REQUEST = `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { status startDate } userErrors { code message } } }`;
async function book(token: string, start: string, end: string, kind: 'PLANNED' | 'EMERGENCY') {
  const r = await t.gql(REQUEST, { i: { constellationId: gid('Constellation', k), childIds: [gid('Child', child)], startDate: start, endDate: end, kind } }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.requestSleepover;
}

test('tonight is the night that began yesterday evening until 08:00 London, on either side of both clock changes', () => {
  expect(tonightLondon(new Date('2026-03-29T00:30:00Z'))).toBe('2026-03-28'); // 00:30 GMT
  expect(tonightLondon(new Date('2026-03-29T06:59:00Z'))).toBe('2026-03-28'); // 07:59 BST, the first morning of summer time
  expect(tonightLondon(new Date('2026-03-29T07:00:00Z'))).toBe('2026-03-29'); // 08:00 BST
  expect(tonightLondon(new Date('2026-10-25T07:59:00Z'))).toBe('2026-10-24'); // 07:59 GMT, the first morning of winter time
  expect(tonightLondon(new Date('2026-10-25T08:00:00Z'))).toBe('2026-10-25');
  expect(tonightLondon(new Date('2026-06-01T22:00:00Z'))).toBe('2026-06-01'); // 23:00 BST
});

test('spring: at 07:30 BST an EMERGENCY may start on the night begun yesterday; a planned one may not; at 08:00 neither', async () => {
  at('2026-03-29T06:30:00Z');
  expect((await book(hubCarer, '2026-03-28', '2026-03-30', 'PLANNED')).userErrors.map((e: any) => e.code)).toEqual(['INVALID_INPUT']);
  const e = await book(hubCarer, '2026-03-28', '2026-03-30', 'EMERGENCY');
  expect(e.userErrors).toEqual([]);
  expect(e.sleepover).toEqual({ status: 'CONFIRMED', startDate: '2026-03-28' });
  await t.fx.sql(`delete from bed_claim; delete from sleepover_child; delete from sleepover`);
  at('2026-03-29T07:00:00Z');
  expect((await book(hubCarer, '2026-03-28', '2026-03-30', 'EMERGENCY')).userErrors.map((x: any) => x.code)).toEqual(['INVALID_INPUT']);
});

test('autumn: at 07:59 GMT a carer may ask for an EMERGENCY from the night begun yesterday and the hub carer may confirm it; at 08:00 it is too late', async () => {
  at('2026-10-25T07:59:00Z');
  const asked = await book(satCarer, '2026-10-24', '2026-10-26', 'EMERGENCY');
  expect(asked.userErrors).toEqual([]);
  expect(asked.sleepover.status).toBe('REQUESTED');
  const id = (await t.fx.sql(`select id from sleepover`))[0].id;
  const confirm = `mutation($i: SleepoverDecisionInput!) { confirmSleepover(input: $i) { sleepover { status } userErrors { code } } }`;
  const ok = await t.gql(confirm, { i: { sleepoverId: gid('Sleepover', id) } }, { token: hubCarer });
  expect(ok.data.confirmSleepover).toEqual({ sleepover: { status: 'CONFIRMED' }, userErrors: [] });
  await t.fx.sql(`delete from bed_claim; delete from sleepover_child; delete from sleepover`);
  at('2026-10-25T08:00:00Z');
  expect((await book(satCarer, '2026-10-24', '2026-10-26', 'EMERGENCY')).userErrors.map((x: any) => x.code)).toEqual(['INVALID_INPUT']);
});
