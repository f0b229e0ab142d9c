import { startTestApp, type TestApp } from '../support/app';
import { day } from '../support/fixtures';
import { askInput, codes, CONFIRM, REQUEST } from './support';

/** The Idempotency-Key header over HTTP, as a client retrying a booking would send it. */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => t.stop());

const sleepovers = async () => (await t.fx.sql(`select count(*)::int as n from sleepover`))[0].n as number;
const send = (token: string, input: object, key: string) => t.gql(REQUEST, { i: input }, { token, headers: { 'Idempotency-Key': key } });

test('20 concurrent repeats of one request with one key make one sleepover, and all get its answer', async () => {
  const input = askInput({ k: w.k, children: [w.childA], start: day(3), end: day(5), notes: 'first' });
  const before = await sleepovers();
  const all = await Promise.all(Array.from({ length: 20 }, () => send(w.carerA.token!, input, 'retry-amy-1')));
  for (const r of all) {
    expect(r.errors).toBeUndefined();
    expect(r.data.requestSleepover.userErrors).toEqual([]);
  }
  const ids = new Set(all.map((r) => r.data.requestSleepover.sleepover.id));
  expect(ids.size).toBe(1);
  expect(await sleepovers()).toBe(before + 1);
  const audit = await t.fx.sql(`select count(*)::int as n from audit_event where action = 'Sleepover.request'`);
  expect(audit[0].n).toBe(1);
});

test('20 concurrent repeats of an immediate booking by the hub carer claim one bed', async () => {
  const input = askInput({ k: w.k, children: [w.childB], start: day(3), end: day(5), kind: 'EMERGENCY' });
  const all = await Promise.all(Array.from({ length: 20 }, () => send(w.hubCarer.token!, input, 'emergency-ben')));
  expect(new Set(all.map((r) => r.data.requestSleepover.sleepover?.id)).size).toBe(1);
  expect(all.every((r) => r.data.requestSleepover.sleepover.status === 'CONFIRMED')).toBe(true);
  const claims = await t.fx.sql(`select count(*)::int as n from bed_claim where child_id = $1`, [w.childB]);
  expect(claims[0].n).toBe(1);
});

test('the same key with a different request, or for another mutation, is a CONFLICT and does nothing', async () => {
  const first = await send(w.carerA.token!, askInput({ k: w.k, children: [w.childA2], start: day(10), end: day(11) }), 'k-conflict');
  expect(first.data.requestSleepover.userErrors).toEqual([]);
  const before = await sleepovers();
  const other = await send(w.carerA.token!, askInput({ k: w.k, children: [w.childA2], start: day(12), end: day(13) }), 'k-conflict');
  expect(other.data.requestSleepover.userErrors.map((e: any) => e.code)).toEqual(['CONFLICT']);
  expect(other.data.requestSleepover.sleepover).toBeNull();
  const confirm = await t.gql(CONFIRM, { i: { sleepoverId: first.data.requestSleepover.sleepover.id } }, { token: w.carerA.token, headers: { 'Idempotency-Key': 'k-conflict' } });
  expect(codes(confirm.data.confirmSleepover)).toEqual(['CONFLICT']);
  expect(await sleepovers()).toBe(before);
  // Keys belong to a user: another user's same key is theirs alone.
  const hub = await send(w.hubCarer.token!, askInput({ k: w.k, children: [w.childA2], start: day(12), end: day(13) }), 'k-conflict');
  expect(hub.data.requestSleepover.userErrors).toEqual([]);
  expect(await sleepovers()).toBe(before + 1);
});

test('a refusal is the first response too: repeating the key gets it again, a new key tries again', async () => {
  await t.fx.sql(
    `insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, is_block, block_reason)
                  select $1, $2, bed, $3, $4, true, 'Away' from hub_bed where constellation_id = $2`,
    [w.org, w.k, day(20), day(22)],
  );
  const input = askInput({ k: w.k, children: [w.childA], start: day(20), end: day(22) });
  const refused = await send(w.liaison.token, input, 'k-refused');
  expect(codes(refused.data.requestSleepover)).toEqual(['NO_BED_AVAILABLE']);
  const before = await sleepovers();
  await t.fx.sql(`delete from bed_claim where is_block`);
  const again = await send(w.liaison.token, input, 'k-refused');
  expect(again.data.requestSleepover.userErrors).toEqual(refused.data.requestSleepover.userErrors);
  expect(await sleepovers()).toBe(before);
  const fresh = await send(w.liaison.token, input, 'k-refused-2');
  expect(fresh.data.requestSleepover.sleepover.status).toBe('CONFIRMED');
});

test('after 24 hours a key can be used afresh', async () => {
  const first = await send(w.carerB.token!, askInput({ k: w.k, children: [w.childB], start: day(30), end: day(31) }), 'k-old');
  expect(first.data.requestSleepover.userErrors).toEqual([]);
  await t.fx.sql(`update idempotency_key set created_at = now() - interval '25 hours' where key = 'k-old'`);
  const later = await send(w.carerB.token!, askInput({ k: w.k, children: [w.childB], start: day(32), end: day(33) }), 'k-old');
  expect(later.data.requestSleepover.userErrors).toEqual([]);
  expect(later.data.requestSleepover.sleepover.id).not.toBe(first.data.requestSleepover.sleepover.id);
});
