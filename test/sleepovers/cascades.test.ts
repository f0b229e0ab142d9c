import { SLEEPOVER_TOPIC } from '../../src/sleepovers/sleepover.events';
import type { SleepoverEventMessage } from '../../src/sleepovers/sleepover.types';
import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { ask, availability, codes, decide } from './support';

/**
 * What follows for sleepovers from changes elsewhere (DESIGN.md, cascades): driven through the
 * real mutations, checked in the data, the audit trail and the published events.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const events: SleepoverEventMessage[] = [];
let stopListening: () => void;
beforeAll(async () => {
  t = await startTestApp();
  const stream = t.service.app.pubsub.subscribe(SLEEPOVER_TOPIC);
  stopListening = () => void stream.return?.();
  void (async () => {
    for await (const e of stream) events.push(e as SleepoverEventMessage);
  })();
});
afterAll(async () => {
  stopListening();
  await t.stop();
});
beforeEach(async () => {
  w = await t.fx.world();
  events.length = 0;
});

const gql = async (doc: string, vars: Record<string, unknown>, token: string | null) => {
  const r = await t.gql(doc, vars, { token });
  expect(r.errors).toBeUndefined();
  return Object.values(r.data)[0] as any;
};
const END_PLACEMENT = `mutation($i: EndPlacementInput!) { endPlacement(input: $i) { userErrors { code message } } }`;
const REMOVE_MEMBER = `mutation($i: ConstellationMemberInput!) { removeConstellationMember(input: $i) { userErrors { code message } } }`;
const UPDATE_HOUSEHOLD = `mutation($i: UpdateHouseholdInput!) { updateHousehold(input: $i) { userErrors { code message } } }`;
const DEREGISTER = `mutation($i: DeregisterHouseholdInput!) { deregisterHousehold(input: $i) { userErrors { code message } } }`;
const UPDATE_CONSTELLATION = `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code message field } } }`;

const state = async (id: string) =>
  (await t.gql(`query($id: ID!) { node(id: $id) { ... on Sleepover { status startDate endDate beds decisionReason } } }`, { id }, { token: w.manager.token })).data.node;
const confirmed = async (a: Parameters<typeof ask>[2]) => {
  const r = await ask(t, w.hubCarer.token, a);
  expect(r.userErrors).toEqual([]);
  return r.sleepover.id as string;
};
const requested = async (token: string | null, a: Parameters<typeof ask>[2]) => {
  const r = await ask(t, token, a);
  expect(r.sleepover.status).toBe('REQUESTED');
  return r.sleepover.id as string;
};
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];
const eventsFor = (id: string) => events.filter((e) => e.sleepoverId === dbId(id)).map((e) => [e.kind, e.from, e.to]);
const automaticAudit = async (id: string) =>
  (await t.fx.sql(`select action, summary->>'automatic' as cause from audit_event where subject_id = $1 and summary ? 'automatic'`, [id])).map((r) => [r.action, r.cause]);

test("a placement ending cancels the child's sleepovers from that day, and cuts short one under way", async () => {
  const underWay = await confirmed({ k: w.k, children: [w.childA], start: day(0), end: day(3) });
  const later = await confirmed({ k: w.k, children: [w.childA], start: day(5), end: day(7) });
  const waiting = await requested(w.carerA.token, { k: w.k, children: [w.childA], start: day(10), end: day(11) });
  const sister = await confirmed({ k: w.k, children: [w.childA2], start: day(5), end: day(7) });
  expect((await gql(END_PLACEMENT, { i: { placementId: gid('Placement', w.placementA), endDate: day(1), reason: 'CARPL', unplanned: false } }, w.ssw.token)).userErrors).toEqual([]);

  expect(await state(underWay)).toEqual({ status: 'CONFIRMED', startDate: day(0), endDate: day(1), beds: [1], decisionReason: 'The placement ended.' });
  expect(await state(later)).toMatchObject({ status: 'CANCELLED', beds: null, decisionReason: 'The placement ended.' });
  expect(await state(waiting)).toMatchObject({ status: 'CANCELLED', decisionReason: 'The placement ended.' });
  expect((await state(sister)).status).toBe('CONFIRMED');
  expect((await availability(t, w.liaison.token, w.k, day(0), day(7))).map((n) => n.bedsBooked)).toEqual([1, 0, 0, 0, 0, 1, 1]);
  expect(eventsFor(underWay)).toEqual([
    ['CONFIRMED', day(0), day(3)],
    ['CUT_SHORT', day(1), day(3)],
  ]);
  expect(eventsFor(later)).toEqual([
    ['CONFIRMED', day(5), day(7)],
    ['CANCELLED', day(5), day(7)],
  ]);
  expect(eventsFor(waiting)).toEqual([
    ['REQUESTED', null, null],
    ['CANCELLED', null, null],
  ]);
  for (const id of [underWay, later, waiting]) expect(await automaticAudit(id)).toEqual([['Sleepover.cancel', 'placementEnded']]);
  expect(await automaticAudit(sister)).toEqual([]);
});

test('a household leaving the constellation loses its sleepovers from the day it leaves, and cannot book beyond it', async () => {
  const underWay = await confirmed({ k: w.k, children: [w.childB], start: day(0), end: day(4) });
  const later = await requested(w.carerB.token, { k: w.k, children: [w.childB], start: day(6), end: day(7) });
  const other = await confirmed({ k: w.k, children: [w.childA], start: day(2), end: day(4) });
  expect((await gql(REMOVE_MEMBER, { i: { constellationId: gid('Constellation', w.k), householdId: gid('Household', w.satB), date: day(2) } }, w.liaison.token)).userErrors).toEqual([]);
  expect(await state(underWay)).toMatchObject({ status: 'CONFIRMED', endDate: day(2), decisionReason: 'The household left the constellation.' });
  expect((await state(later)).status).toBe('CANCELLED');
  expect((await state(other)).status).toBe('CONFIRMED');
  expect(codes(await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(2), end: day(3) }))).toEqual(['OUTSIDE_CONSTELLATION']);
  expect((await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(2), end: day(3) })).userErrors.map((e) => e.code)).toEqual(['OUTSIDE_CONSTELLATION']);
  expect(eventsFor(underWay).at(-1)).toEqual(['CUT_SHORT', day(2), day(4)]);
  expect(await automaticAudit(later)).toEqual([['Sleepover.cancel', 'membershipEnded']]);
});

test('a satellite household put on hold loses its sleepovers from today and cannot book', async () => {
  const tonight = await confirmed({ k: w.k, children: [w.childA, w.childA2], start: day(0), end: day(2) });
  const waiting = await requested(w.carerA.token, { k: w.k, children: [w.childA], start: day(4), end: day(5) });
  const ben = await confirmed({ k: w.k, children: [w.childB], start: day(4), end: day(5) });
  expect((await gql(UPDATE_HOUSEHOLD, { i: { householdId: gid('Household', w.satA), status: 'ON_HOLD' } }, w.manager.token)).userErrors).toEqual([]);
  // Not yet begun tonight, so cancelled rather than cut short.
  expect(await state(tonight)).toMatchObject({ status: 'CANCELLED', endDate: day(2), decisionReason: 'The household was put on hold.' });
  expect((await state(waiting)).status).toBe('CANCELLED');
  expect((await state(ben)).status).toBe('CONFIRMED');
  expect(codes(await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(8), end: day(9) }))).toEqual(['NOT_APPROVED']);
  expect(await automaticAudit(tonight)).toEqual([['Sleepover.cancel', 'householdUnavailable']]);
});

test('a hub put on hold hosts nothing from then on; a hub cannot be deregistered while it is the hub', async () => {
  const a = await confirmed({ k: w.k, children: [w.childA], start: day(1), end: day(3) });
  const b = await requested(w.carerB.token, { k: w.k, children: [w.childB], start: day(1), end: day(2) });
  expect((await gql(UPDATE_HOUSEHOLD, { i: { householdId: gid('Household', w.hubHousehold), status: 'ON_HOLD' } }, w.manager.token)).userErrors).toEqual([]);
  expect(await state(a)).toMatchObject({ status: 'CANCELLED', decisionReason: 'The household was put on hold.' });
  expect((await state(b)).status).toBe('CANCELLED');
  expect(codes(await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(5), end: day(6) }))).toEqual(['NOT_APPROVED']);
  await t.fx.sql(`update household set status = 'APPROVED' where id = $1`, [w.hubHousehold]);

  // A constellation is never left without a hub: deregistering the hub household is refused, and
  // the sleepovers it hosts stand.
  const underWay = await confirmed({ k: w.k, children: [w.childA], start: day(0), end: day(5) });
  const refused = await gql(DEREGISTER, { i: { householdId: gid('Household', w.hubHousehold), deregisteredOn: day(2), reason: 'RETIREMENT' } }, w.manager.token);
  expect(refused.userErrors.map((e: { code: string }) => e.code)).toEqual(['INVALID_STATE']);
  expect(await state(underWay)).toMatchObject({ status: 'CONFIRMED', endDate: day(5) });
});

test('closing a constellation cancels its sleepovers; pausing it stops new ones while confirmed ones stand', async () => {
  const a = await confirmed({ k: w.k, children: [w.childA], start: day(1), end: day(3) });
  const waiting = await requested(w.carerB.token, { k: w.k, children: [w.childB], start: day(1), end: day(2) });
  expect((await gql(UPDATE_CONSTELLATION, { i: { constellationId: gid('Constellation', w.k), status: 'PAUSED' } }, w.liaison.token)).userErrors).toEqual([]);
  expect((await state(a)).status).toBe('CONFIRMED');
  expect((await state(waiting)).status).toBe('REQUESTED');
  expect(codes(await decide(t, w.hubCarer.token, 'confirm', waiting))).toEqual(['INVALID_STATE']);
  expect(codes(await ask(t, w.carerA.token, { k: w.k, children: [w.childA2], start: day(5), end: day(6) }))).toEqual(['INVALID_STATE']);
  expect((await gql(UPDATE_CONSTELLATION, { i: { constellationId: gid('Constellation', w.k), status: 'CLOSED' } }, w.manager.token)).userErrors).toEqual([]);
  expect(await state(a)).toMatchObject({ status: 'CANCELLED', decisionReason: 'The constellation was closed.' });
  expect((await state(waiting)).status).toBe('CANCELLED');
  expect(eventsFor(a).at(-1)).toEqual(['CANCELLED', day(1), day(3)]);
  expect(await automaticAudit(waiting)).toEqual([['Sleepover.cancel', 'constellationStatusChanged']]);
});

test('a new hub takes over confirmed sleepovers only when it is approved', async () => {
  const a = await confirmed({ k: w.k, children: [w.childA], start: day(4), end: day(6) });
  const approved = await t.fx.household(w.org, { name: 'New Hub' });
  const assessing = await t.fx.household(w.org, { name: 'Assessing Hub', status: 'IN_ASSESSMENT' });
  const change = (household: string, on: number) =>
    gql(UPDATE_CONSTELLATION, { i: { constellationId: gid('Constellation', w.k), hubHouseholdId: gid('Household', household), hubChangedOn: day(on) } }, w.manager.token);
  const refused = await change(assessing, 2);
  expect(refused.userErrors.map((e: any) => [e.code, e.field])).toEqual([['NOT_APPROVED', ['input', 'hubHouseholdId']]]);
  expect(await t.fx.sql(`select household_id from constellation_membership where constellation_id = $1 and role = 'HUB'`, [w.k])).toEqual([{ household_id: w.hubHousehold }]);
  expect((await change(approved, 2)).userErrors).toEqual([]);
  expect(await state(a)).toMatchObject({ status: 'CONFIRMED', beds: [1] });
  // Nights from the change belong to the new hub; nothing is confirmed there while it is not approved.
  await t.fx.sql(`update household set status = 'IN_ASSESSMENT' where id = $1`, [approved]);
  expect(codes(await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(1), end: day(3) }))).toEqual(['NOT_APPROVED']);
  await decide(t, w.liaison.token, 'cancel', a);
  await t.fx.sql(`update household set status = 'APPROVED' where id = $1`, [approved]);
  expect((await change(assessing, 5)).userErrors).toEqual([]); // nothing confirmed is left for it to host
});
