import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { ask, availability, BLOCK, claims, codes, decide, UNBLOCK } from './support';

/** Night-by-night availability around bookings, blocks and cancellations, and the hub's bed count. */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  // The bed-count tests put three children in the hub at once: approve it for them.
  await t.fx.sql(`update household set approval_max_children = 4 where id = $1`, [w.hubHousehold]);
});
afterAll(async () => t.stop());
afterEach(async () => {
  await t.fx.sql(`delete from bed_claim; delete from sleepover_child; delete from sleepover`);
  await t.fx.sql(`update constellation set sleepover_beds = 2 where id = $1`, [w.k]);
  await t.fx.sql(`delete from hub_bed where constellation_id = $1 and bed > 2`, [w.k]);
});

const nights = async (token: string | null, from: number, to: number) => (await availability(t, token, w.k, day(from), day(to))).map((n) => `${n.bedsBooked}/${n.bedsTotal}${n.blocked ? 'x' : ''}`);
const hubNights = async (doc: string, token: string | null, from: number, to: number, reason?: string) => {
  const r = await t.gql(doc, { i: { constellationId: gid('Constellation', w.k), from: day(from), to: day(to), reason } }, { token });
  expect(r.errors).toBeUndefined();
  return r.data[doc === BLOCK ? 'blockHubNights' : 'unblockHubNights'];
};

test('night by night: confirmed children take beds, requests do not, blocks close the night, cancellations free it', async () => {
  const amy = (await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(1), end: day(4) })).sleepover.id;
  expect(await nights(w.liaison.token, 0, 6)).toEqual(['0/2', '0/2', '0/2', '0/2', '0/2', '0/2']);
  await decide(t, w.hubCarer.token, 'confirm', amy);
  const ben = (await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(3), end: day(5) })).sleepover.id;
  expect(await nights(w.liaison.token, 0, 6)).toEqual(['0/2', '1/2', '1/2', '2/2', '1/2', '0/2']);
  const blocked = await hubNights(BLOCK, w.hubCarer.token, 5, 7, 'Family wedding');
  expect(blocked.userErrors).toEqual([]);
  expect(blocked.availability).toEqual([
    { date: day(5), bedsTotal: 2, bedsBooked: 0, bedsFree: 0, blocked: true, blockedReason: 'Family wedding' },
    { date: day(6), bedsTotal: 2, bedsBooked: 0, bedsFree: 0, blocked: true, blockedReason: 'Family wedding' },
  ]);
  expect(await nights(w.liaison.token, 0, 8)).toEqual(['0/2', '1/2', '1/2', '2/2', '1/2', '0/2x', '0/2x', '0/2']);
  await decide(t, w.carerA.token, 'cancel', amy);
  expect(await nights(w.liaison.token, 0, 6)).toEqual(['0/2', '0/2', '0/2', '1/2', '1/2', '0/2x']);
  await decide(t, w.liaison.token, 'cancel', ben);
  const all = await availability(t, w.carerB.token, w.k, day(3), day(6));
  // Satellite carers see the closed nights, not why.
  expect(all).toEqual([
    { date: day(3), bedsTotal: 2, bedsBooked: 0, bedsFree: 2, blocked: false, blockedReason: null },
    { date: day(4), bedsTotal: 2, bedsBooked: 0, bedsFree: 2, blocked: false, blockedReason: null },
    { date: day(5), bedsTotal: 2, bedsBooked: 0, bedsFree: 0, blocked: true, blockedReason: null },
  ]);
  expect((await availability(t, w.ssw.token, w.k, day(5), day(6)))[0].blockedReason).toBe('Family wedding');
  expect(await availability(t, w.hubCarer.token, w.k, day(3), day(3))).toEqual([]);
});

test('availability takes at most 366 nights, forwards', async () => {
  const q = `query($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Constellation { availability(from: $from, to: $to) { date } } } }`;
  const ok = await t.gql(q, { id: gid('Constellation', w.k), from: day(0), to: day(366) }, { token: w.liaison.token });
  expect(ok.data.node.availability).toHaveLength(366);
  for (const [from, to] of [
    [day(0), day(367)],
    [day(5), day(4)],
  ]) {
    const r = await t.gql(q, { id: gid('Constellation', w.k), from, to }, { token: w.liaison.token });
    expect(r.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  }
});

test('blocking: refused where a confirmed sleepover holds a bed; blocked nights cannot be confirmed on; unblocking can split a block', async () => {
  const amy = (await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA], start: day(2), end: day(4) })).sleepover.id;
  const held = await hubNights(BLOCK, w.liaison.token, 3, 6, 'Holiday');
  expect(held.userErrors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_STATE', ['input', 'from']]]);
  expect(held.userErrors[0].message).toContain(day(3));
  expect((await hubNights(BLOCK, w.liaison.token, 4, 8, 'Holiday')).userErrors).toEqual([]);
  // Blocking again over nights already blocked keeps them as they were and closes the rest.
  const more = await hubNights(BLOCK, w.manager.token, 7, 10, 'Hub carer unwell');
  expect(more.availability.map((n: any) => n.blockedReason)).toEqual(['Holiday', 'Hub carer unwell', 'Hub carer unwell']);
  expect(await nights(w.liaison.token, 3, 11)).toEqual(['1/2', '0/2x', '0/2x', '0/2x', '0/2x', '0/2x', '0/2x', '0/2']);

  const waiting = (await ask(t, w.carerB.token, { k: w.k, children: [w.childB], start: day(3), end: day(5) })).sleepover.id;
  expect(codes(await decide(t, w.hubCarer.token, 'confirm', waiting))).toEqual(['NO_BED_AVAILABLE']);
  expect(codes(await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA2], start: day(9), end: day(11) }))).toEqual(['NO_BED_AVAILABLE']);

  // Open the middle of the blocks: what lies either side stays closed, with its reason.
  const opened = await hubNights(UNBLOCK, w.hubCarer.token, 5, 8);
  expect(opened.availability.map((n: any) => n.blocked)).toEqual([false, false, false]);
  expect(await nights(w.liaison.token, 3, 11)).toEqual(['1/2', '0/2x', '0/2', '0/2', '0/2', '0/2x', '0/2x', '0/2']);
  expect((await availability(t, w.liaison.token, w.k, day(4), day(5)))[0].blockedReason).toBe('Holiday');
  expect(await claims(t, w.k)).toHaveLength(1 + 2 * 2); // Amy's bed, and two one-sided blocks on both beds
  await hubNights(UNBLOCK, w.hubCarer.token, 0, 20);
  expect((await decide(t, w.hubCarer.token, 'confirm', waiting)).sleepover.status).toBe('CONFIRMED');
  expect(amy).toBeTruthy();
});

test('who may block, and bad ranges', async () => {
  for (const who of [w.carerA, w.ssw]) expect(codes(await hubNights(BLOCK, who.token, 1, 2))).toEqual(['FORBIDDEN']);
  for (const who of [w.carer2, w.otherLiaison, w.foreignAdmin]) expect(codes(await hubNights(BLOCK, who.token, 1, 2))).toEqual(['NOT_FOUND']);
  expect(codes(await hubNights(BLOCK, w.liaison.token, 3, 3))).toEqual(['INVALID_INPUT']);
  expect(codes(await hubNights(BLOCK, w.liaison.token, -1, 3))).toEqual(['INVALID_INPUT']);
  expect(codes(await hubNights(BLOCK, w.liaison.token, 1, 400))).toEqual(['INVALID_INPUT']);
  expect(codes(await hubNights(UNBLOCK, w.carerA.token, 1, 2))).toEqual(['FORBIDDEN']);
  expect(await claims(t, w.k)).toEqual([]);
});

const SET_BEDS = `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { constellation { sleepoverBeds } userErrors { code message field } } }`;
const setBeds = async (n: number) => (await t.gql(SET_BEDS, { i: { constellationId: gid('Constellation', w.k), sleepoverBeds: n } }, { token: w.manager.token })).data.updateConstellation;

test('more beds: blocked nights block the new beds too', async () => {
  await hubNights(BLOCK, w.liaison.token, 2, 4, 'Away');
  expect((await setBeds(3)).userErrors).toEqual([]);
  expect(await nights(w.liaison.token, 1, 5)).toEqual(['0/3', '0/3x', '0/3x', '0/3']);
  expect(
    (await claims(t, w.k))
      .filter((c) => c.is_block)
      .map((c) => c.bed)
      .sort(),
  ).toEqual([1, 2, 3]);
  const trio = await t.fx.child(w.org, { firstName: 'Abe' });
  await t.fx.placement(w.org, trio, w.satA);
  expect((await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA, w.childA2, trio], start: day(4), end: day(5) })).sleepover.beds).toEqual([1, 2, 3]); // Abe, Amy, Ava
});

test('fewer beds: future claims are packed onto the beds that remain, past ones let the bed go, too few beds is refused', async () => {
  expect((await setBeds(3)).userErrors).toEqual([]);
  // Night 1 has three children, one in each bed.
  const amy = (await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA], start: day(1), end: day(3) })).sleepover.id; // bed 1, nights 1-2
  const ava = (await ask(t, w.hubCarer.token, { k: w.k, children: [w.childA2], start: day(1), end: day(2) })).sleepover.id; // bed 2, night 1
  const ben = (await ask(t, w.hubCarer.token, { k: w.k, children: [w.childB], start: day(2), end: day(4) })).sleepover.id; // bed 2, nights 2-3
  const cal = await t.fx.child(w.org, { firstName: 'Cy' });
  await t.fx.placement(w.org, cal, w.satB);
  const cy = (await ask(t, w.hubCarer.token, { k: w.k, children: [cal], start: day(1), end: day(2) })).sleepover.id; // bed 3, night 1
  const beds = async (id: string) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Sleepover { beds } } }`, { id }, { token: w.liaison.token })).data.node.beds;
  expect([await beds(amy), await beds(ava), await beds(ben), await beds(cy)]).toEqual([[1], [2], [2], [3]]);
  // Night 1 has three children: two beds are not enough.
  const refused = await setBeds(2);
  expect(refused.userErrors.map((e: any) => [e.code, e.field])).toEqual([['INVALID_STATE', ['input', 'sleepoverBeds']]]);
  expect(refused.userErrors[0].message).toContain(day(1));
  expect(await nights(w.liaison.token, 1, 2)).toEqual(['3/3']);
  await decide(t, w.liaison.token, 'cancel', ava);
  // Now every night needs at most two beds; Cy moves from bed 3 to bed 2.
  const ok = await setBeds(2);
  expect(ok).toEqual({ constellation: { sleepoverBeds: 2 }, userErrors: [] });
  expect([await beds(amy), await beds(ben), await beds(cy)]).toEqual([[1], [2], [2]]);
  expect(await nights(w.liaison.token, 1, 4)).toEqual(['2/2', '2/2', '1/2']);
  expect((await claims(t, w.k)).every((c) => c.bed <= 2)).toBe(true);
});

test('fewer beds when only repacking fits; a past claim on a bed going away is let go, its history kept', async () => {
  expect((await setBeds(3)).userErrors).toEqual([]);
  // Bed 1: Amy, nights 1-2; bed 2: Ben, nights 3-4; bed 3: Ava, nights 2-3. Two beds are enough
  // only if Ben moves to bed 1 and Ava to bed 2.
  const confirmOn = async (token: string | null, child: string, from: number, to: number, beds?: number[]) => {
    const id = (await ask(t, token, { k: w.k, children: [child], start: day(from), end: day(to) })).sleepover.id;
    return (await decide(t, w.hubCarer.token, 'confirm', id, beds ? { beds } : {})).sleepover;
  };
  expect((await confirmOn(w.carerA.token, w.childA, 1, 3, [1])).beds).toEqual([1]);
  expect((await confirmOn(w.carerB.token, w.childB, 3, 5, [2])).beds).toEqual([2]);
  const ava = await confirmOn(w.carerA.token, w.childA2, 2, 4);
  expect(ava.beds).toEqual([3]);
  // A finished stay on bed 3, written as history (the API takes no past dates).
  const pat = await t.fx.child(w.org, { firstName: 'Pat' });
  await t.fx.placement(w.org, pat, w.satB);
  const [old] = await t.fx.sql(
    `insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date)
                                values ($1, $2, $3, 'PLANNED', 'CONFIRMED', $4, $5) returning id`,
    [w.org, w.k, w.satB, day(-5), day(-3)],
  );
  await t.fx.sql(`insert into sleepover_child (sleepover_id, child_id, organisation_id, bed) values ($1, $2, $3, 3)`, [old.id, pat, w.org]);
  await t.fx.sql(`insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id) values ($1, $2, 3, $3, $4, $5, $6)`, [
    w.org,
    w.k,
    day(-5),
    day(-3),
    old.id,
    pat,
  ]);

  expect((await setBeds(2)).userErrors).toEqual([]);
  const held = (await claims(t, w.k)).map((c) => [c.child_id, c.start_date, c.bed]);
  expect(held).toEqual([
    [w.childA, day(1), 1],
    [w.childA2, day(2), 2],
    [w.childB, day(3), 1],
  ]);
  expect(await nights(w.liaison.token, 1, 5)).toEqual(['1/2', '2/2', '2/2', '1/2']);
  const node = await t.gql(`query($id: ID!) { node(id: $id) { ... on Sleepover { beds } } }`, { id: ava.id }, { token: w.liaison.token });
  expect(node.data.node.beds).toEqual([2]);
  expect(await t.fx.sql(`select bed, active from sleepover_child where sleepover_id = $1`, [old.id])).toEqual([{ bed: 3, active: true }]);
});
