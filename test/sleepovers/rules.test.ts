import type { TestApp } from '../support/app';
import { DateTime } from 'luxon';
import { tick } from '../../src/notifications/scheduler';
import { idOf } from '../../src/platform/graphql/ids';
import { day, gid } from '../support/fixtures';
import { hubBuilders, startHubWorld, type Hub, type HubWorld } from './hub-kit';

/**
 * The hub home's law and practice over HTTP: consent (history, supersession, expiry, withdrawal),
 * the hub's approval and its emergency override, the fostering limit with its sibling exception and
 * exemptions, and bedrooms (allocator, hand-chosen beds, repacking). Each test builds its own hub.
 */
let t: TestApp;
let org: string;
let manager: HubWorld['manager'];
let ssw: HubWorld['ssw'];
let world: HubWorld;
beforeAll(async () => {
  world = await startHubWorld('Rules Council');
  ({ t, org, manager, ssw } = world);
});
afterAll(async () => t.stop());
const { makeHub, kid, gql } = hubBuilders(() => world, { beds: 2 });

const ERRORS = 'userErrors { code message field subjectIds dates }';
const SLEEPOVER = 'id status startDate endDate beds recordedAfterwards decisionReason';
const REQUEST = `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { ${SLEEPOVER} } ${ERRORS} } }`;
const CONFIRM = `mutation($i: SleepoverDecisionInput!) { confirmSleepover(input: $i) { sleepover { ${SLEEPOVER} } ${ERRORS} } }`;
const RECORD = `mutation($i: RecordSleepoverConsentInput!) { recordSleepoverConsent(input: $i) {
  consent { id givenBy givenOn expiresOn roomSharing conditions notWith { firstName } } affectedSleepovers { ${SLEEPOVER} } ${ERRORS} } }`;
const WITHDRAW = `mutation($i: WithdrawSleepoverConsentInput!) { withdrawSleepoverConsent(input: $i) {
  consent { id withdrawnOn withdrawalReason } affectedSleepovers { ${SLEEPOVER} } ${ERRORS} } }`;
const GRANT = `mutation($i: GrantFosteringLimitExemptionInput!) { grantFosteringLimitExemption(input: $i) {
  exemption { id from to maxChildren namedChildCount children { firstName } grantedByAuthority endedOn } ${ERRORS} } }`;
const END = `mutation($i: EndFosteringLimitExemptionInput!) { endFosteringLimitExemption(input: $i) {
  exemption { id endedOn endReason } affectedSleepovers { ${SLEEPOVER} } ${ERRORS} } }`;
const ROOMS = `mutation($i: SetHubRoomsInput!) { setHubRooms(input: $i) { constellation { sleepoverBeds rooms { name beds } } ${ERRORS} } }`;

const book = (h: Hub, token: string, children: string[], start: number, end: number, extra: Record<string, unknown> = {}) =>
  gql(REQUEST, { constellationId: gid('Constellation', h.k), childIds: children.map((c) => gid('Child', c)), startDate: day(start), endDate: day(end), ...extra }, token);
const confirm = (token: string, sleepoverId: string, beds?: number[]) => gql(CONFIRM, { sleepoverId, ...(beds ? { beds } : {}) }, token);
const codes = (p: any) => p.userErrors.map((e: any) => e.code);

describe('consent', () => {
  test('a request needs none; confirmation, an on-the-spot booking and a write-up do (CONSENT_REQUIRED names the child and the nights)', async () => {
    const h = await makeHub();
    const c = await kid(h, { name: 'Nia', consent: null });
    const asked = await book(h, h.satCarer, [c], 2, 4);
    expect(asked.userErrors).toEqual([]);
    expect(asked.sleepover.status).toBe('REQUESTED');
    const refused = await confirm(h.hubCarer, asked.sleepover.id);
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'CONSENT_REQUIRED', subjectIds: [gid('Child', c)], dates: [day(2), day(3)] })]);
    expect(codes(await book(h, h.liaison.token, [c], 6, 7))).toEqual(['CONSENT_REQUIRED']);
    expect(codes(await book(h, h.liaison.token, [c], -3, -2, { recordedAfterwards: true }))).toEqual(['CONSENT_REQUIRED']);
    // The liaison worker chases it; once recorded the same request confirms.
    const rec = await gql(RECORD, { childId: gid('Child', c), givenBy: 'Leeds CSC, J. Smith', givenOn: day(0), roomSharing: 'OTHER_CHILDREN', conditions: 'Not before contact days' }, h.liaison.token);
    expect(rec.userErrors).toEqual([]);
    expect(rec.consent).toMatchObject({ givenOn: day(0), expiresOn: null, roomSharing: 'OTHER_CHILDREN', conditions: 'Not before contact days' });
    expect((await confirm(h.hubCarer, asked.sleepover.id)).sleepover.status).toBe('CONFIRMED');
  });

  test('history: a new consent supersedes the one before from its givenOn; nights are judged by the consent of that night; it stops on expiresOn', async () => {
    const h = await makeHub();
    const c = await kid(h, { name: 'Ola', consent: null });
    const cid = gid('Child', c);
    await gql(RECORD, { childId: cid, givenBy: 'First', givenOn: day(-30), roomSharing: 'OTHER_CHILDREN' }, ssw.token);
    // Superseded from day 5 by one that ends on day 8 (its last night is day 7).
    const second = await gql(RECORD, { childId: cid, givenBy: 'Second', givenOn: day(5), expiresOn: day(8), roomSharing: 'SIBLINGS' }, manager.token);
    expect(second.userErrors).toEqual([]);
    expect((await book(h, h.liaison.token, [c], 6, 8)).sleepover.status).toBe('CONFIRMED'); // the last night, day 7, is covered
    const over = await book(h, h.liaison.token, [c], 9, 11);
    expect(over.userErrors).toEqual([expect.objectContaining({ code: 'CONSENT_REQUIRED', dates: [day(9), day(10)] })]);
    // The first consent does not come back after the second expires: it was superseded.
    const straddle = await book(h, h.liaison.token, [c], 3, 6);
    expect(straddle.sleepover.status).toBe('CONFIRMED');
    const r = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Child { sleepoverConsent { givenBy } sleepoverConsents(first: 1) { totalCount edges { node { givenBy } } pageInfo { hasNextPage endCursor } } } } }`,
      { id: cid },
      { token: h.liaison.token },
    );
    expect(r.data.node.sleepoverConsent).toEqual({ givenBy: 'First' });
    expect(r.data.node.sleepoverConsents).toMatchObject({ totalCount: 2, edges: [{ node: { givenBy: 'Second' } }], pageInfo: { hasNextPage: true } });
    const next = await t.gql(
      `query($id: ID!, $a: String) { node(id: $id) { ... on Child { sleepoverConsents(first: 5, after: $a) { edges { node { givenBy } } } } } }`,
      {
        id: cid,
        a: r.data.node.sleepoverConsents.pageInfo.endCursor,
      },
      { token: h.liaison.token },
    );
    expect(next.data.node.sleepoverConsents.edges).toEqual([{ node: { givenBy: 'First' } }]);
  });

  test('a new consent that leaves a confirmed sleepover without consent is refused with that sleepover', async () => {
    const h = await makeHub();
    const c = await kid(h, { name: 'Pip' });
    const s = (await book(h, h.liaison.token, [c], 3, 6)).sleepover;
    const r = await gql(RECORD, { childId: gid('Child', c), givenBy: 'Narrower', givenOn: day(1), expiresOn: day(4), roomSharing: 'OTHER_CHILDREN' }, h.liaison.token);
    expect(r.userErrors).toEqual([expect.objectContaining({ code: 'CONSENT_REQUIRED', subjectIds: [s.id], dates: [day(4), day(5)] })]);
    expect((await t.fx.sql(`select count(*)::int as n from sleepover_consent where child_id = $1`, [c]))[0].n).toBe(1);
  });

  test("who records: not carers, not another constellation's liaison worker", async () => {
    const h = await makeHub();
    const other = await makeHub();
    const c = await kid(h, { name: 'Rae', consent: null });
    const input = { childId: gid('Child', c), givenBy: 'X', givenOn: day(0), roomSharing: 'OWN_ROOM' };
    expect(codes(await gql(RECORD, input, h.hubCarer))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(RECORD, input, h.satCarer))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(RECORD, input, other.liaison.token))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(RECORD, { ...input, expiresOn: day(0) }, h.liaison.token))).toEqual(['INVALID_INPUT']);
  });

  test('withdrawal: one not yet begun is cancelled, one under way is cut short, each with the reason, and returned', async () => {
    const h = await makeHub({ beds: 3 });
    const c = await kid(h, { name: 'Sam' });
    const under = (await book(h, h.liaison.token, [c], -2, 2, { recordedAfterwards: true })).sleepover;
    expect(under).toMatchObject({ status: 'CONFIRMED', recordedAfterwards: true });
    const later = (await book(h, h.liaison.token, [c], 5, 7)).sleepover;
    const waiting = (await book(h, h.satCarer, [c], 9, 10)).sleepover;
    const w = await gql(WITHDRAW, { childId: gid('Child', c), reason: 'Placing authority withdrew agreement' }, h.liaison.token);
    expect(w.userErrors).toEqual([]);
    expect(w.consent).toMatchObject({ withdrawnOn: day(0), withdrawalReason: 'Placing authority withdrew agreement' });
    const byId = new Map(w.affectedSleepovers.map((s: any) => [s.id, s]));
    expect(byId.get(under.id)).toMatchObject({ status: 'COMPLETED', endDate: day(0), decisionReason: expect.stringContaining('withdrew agreement') });
    expect(byId.get(later.id)).toMatchObject({ status: 'CANCELLED' });
    expect(byId.get(waiting.id)).toMatchObject({ status: 'CANCELLED' });
    // The nights used stay used; the freed beds are free.
    const claims = await t.fx.sql(`select start_date, end_date from bed_claim where sleepover_id = $1`, [idOf('Sleepover', under.id)]);
    expect(claims).toEqual([{ start_date: day(-2), end_date: day(0) }]);
    expect(codes(await book(h, h.liaison.token, [c], 3, 4))).toEqual(['CONSENT_REQUIRED']);
    expect(codes(await gql(WITHDRAW, { childId: gid('Child', c), reason: 'again' }, h.liaison.token))).toEqual(['INVALID_STATE']);
  });

  test('withdrawal from a later night cuts short at that night', async () => {
    const h = await makeHub();
    const c = await kid(h, { name: 'Tia' });
    const s = (await book(h, h.liaison.token, [c], 1, 6)).sleepover;
    const w = await gql(WITHDRAW, { childId: gid('Child', c), reason: 'From Thursday', effectiveFrom: day(3) }, manager.token);
    expect(w.affectedSleepovers).toEqual([expect.objectContaining({ id: s.id, status: 'CONFIRMED', endDate: day(3) })]);
    expect(codes(await gql(WITHDRAW, { childId: gid('Child', c), reason: 'past', effectiveFrom: day(-1) }, manager.token))).toEqual(['INVALID_INPUT']);
  });

  test("visibility: staff and the hub carer see notWith; the child's carers see the conditions but not notWith; other carers nothing", async () => {
    const h = await makeHub();
    const c = await kid(h, { name: 'Uma', consent: null });
    const d = await kid(h, { name: 'Vic' });
    await gql(RECORD, { childId: gid('Child', c), givenBy: 'CSC', givenOn: day(-1), roomSharing: 'OTHER_CHILDREN', conditions: 'No screens', notWithIds: [gid('Child', d)] }, h.liaison.token);
    const q = `query($id: ID!) { node(id: $id) { ... on Child { sleepoverConsent { conditions notWith { firstName } } } } }`;
    const as = async (token: string) => (await t.gql(q, { id: gid('Child', c) }, { token })).data.node;
    expect(await as(h.liaison.token)).toEqual({ sleepoverConsent: { conditions: 'No screens', notWith: [{ firstName: 'Vic' }] } });
    expect(await as(h.hubCarer)).toEqual({ sleepoverConsent: { conditions: 'No screens', notWith: [{ firstName: 'Vic' }] } });
    expect(await as(h.satCarer)).toEqual({ sleepoverConsent: { conditions: 'No screens', notWith: null } });
    const stranger = await makeHub();
    expect(await as(stranger.satCarer)).toBeNull();
  });
});

describe("the hub's approval", () => {
  test('OUTSIDE_APPROVAL for an age outside it on a night (a birthday during the stay counts), NO_VACANCY over its number', async () => {
    const h = await makeHub({ minAge: 5, maxAge: 12, maxChildren: 2, beds: 3 });
    const young = await kid(h, { name: 'Wes', years: 4 });
    const r = await book(h, h.liaison.token, [young], 1, 2);
    expect(r.userErrors).toEqual([expect.objectContaining({ code: 'OUTSIDE_APPROVAL', subjectIds: [gid('Child', young)], dates: [day(1)] })]);
    // Turns 13 during the stay: the nights from the birthday on are outside.
    const birthday = day(3);
    const teen = await t.fx.child(org, { firstName: 'Xan', dob: `${Number(birthday.slice(0, 4)) - 13}${birthday.slice(4)}` });
    await t.fx.placement(org, teen, h.sat);
    const t13 = await book(h, h.liaison.token, [teen], 1, 5);
    expect(t13.userErrors[0]).toMatchObject({ code: 'OUTSIDE_APPROVAL', dates: [day(3), day(4)] });
    // The hub's own placed child counts toward its number.
    const own = await kid(h, { name: 'Yul', household: h.hub });
    void own;
    const a = await kid(h, { name: 'Zed' });
    const b = await kid(h, { name: 'Abi' });
    const first = (await book(h, h.liaison.token, [a], 1, 3)).sleepover;
    const full = await book(h, h.liaison.token, [b], 2, 4);
    expect(full.userErrors).toEqual([expect.objectContaining({ code: 'NO_VACANCY', subjectIds: [first.id], dates: [day(2)] })]);
  });

  test("a manager's emergency override: with a reason, up to 6 working days, audited and shown to the liaison worker; never by others", async () => {
    const h = await makeHub({ maxAge: 12 });
    const teen = await kid(h, { name: 'Bo', years: 15 });
    expect(codes(await book(h, h.liaison.token, [teen], 1, 2, { approvalOverrideReason: 'Emergency' }))).toEqual(['FORBIDDEN']);
    expect(codes(await book(h, manager.token, [teen], 1, 12, { approvalOverrideReason: 'Emergency' }))).toEqual(['INVALID_INPUT']);
    const ok = await book(h, manager.token, [teen], 1, 3, { approvalOverrideReason: 'Placement broke down at night; no other bed' });
    expect(ok.userErrors).toEqual([]);
    expect(ok.sleepover.status).toBe('CONFIRMED');
    const audit = await t.fx.sql(`select summary from audit_event where subject_id = $1 and action = 'Sleepover.request'`, [ok.sleepover.id]);
    expect(audit).toEqual([{ summary: expect.objectContaining({ approvalOverride: true }) }]);
    expect((await t.fx.sql(`select approval_override_reason from sleepover where id = $1`, [idOf('Sleepover', ok.sleepover.id)]))[0].approval_override_reason).toBe(
      'Placement broke down at night; no other bed',
    );
    const told = await t.fx.sql(`select body_text from notification where recipient_id = $1`, [h.liaison.id]);
    expect(told.map((n: any) => n.body_text).join(' ')).toContain('overridden in an emergency');
  });
});

describe('the fostering limit', () => {
  test('over three fostered children is FOSTERING_LIMIT unless all are siblings, or the extra ones are named in an exemption covering the night', async () => {
    const h = await makeHub({ beds: 3, maxChildren: 10 });
    const own1 = await kid(h, { name: 'Own1', household: h.hub });
    const own2 = await kid(h, { name: 'Own2', household: h.hub });
    const a = await kid(h, { name: 'Ann' });
    const b = await kid(h, { name: 'Bea' });
    const r = await book(h, h.liaison.token, [a, b], 1, 3);
    expect(r.userErrors).toEqual([expect.objectContaining({ code: 'FOSTERING_LIMIT', dates: [day(1), day(2)] })]);
    // Siblings of each other, all four: allowed.
    for (const [x, y] of [
      [own1, own2],
      [own1, a],
      [own1, b],
      [own2, a],
      [own2, b],
      [a, b],
    ])
      await t.fx.siblings(org, x, y);
    expect((await book(h, h.liaison.token, [a, b], 1, 3)).sleepover.status).toBe('CONFIRMED');
  });

  test('exemptions: named children do not count on the nights covered, up to its maxChildren in all; ending one cancels what no longer fits', async () => {
    const h = await makeHub({ beds: 3, maxChildren: 10 });
    await kid(h, { name: 'Own1', household: h.hub });
    await kid(h, { name: 'Own2', household: h.hub });
    const a = await kid(h, { name: 'Cy' });
    const b = await kid(h, { name: 'Di' });
    const grant = (token: string, over: Record<string, unknown> = {}) =>
      gql(
        GRANT,
        {
          householdId: gid('Household', h.hub),
          from: day(1),
          to: day(4),
          maxChildren: 4,
          childIds: [gid('Child', a), gid('Child', b)],
          grantedByAuthority: 'Leeds City Council',
          reason: 'Keep the group together',
          ...over,
        },
        token,
      );
    expect(codes(await grant(h.liaison.token))).toEqual(['FORBIDDEN']);
    expect(codes(await grant(manager.token, { childIds: [] }))).toEqual(['INVALID_INPUT']);
    const g = await grant(manager.token);
    expect(g.userErrors).toEqual([]);
    expect(g.exemption).toMatchObject({ from: day(1), to: day(4), maxChildren: 4, namedChildCount: 2, grantedByAuthority: 'Leeds City Council', endedOn: null });
    // Covered nights only: the exemption's last night is day 3.
    const past = await book(h, h.liaison.token, [a, b], 3, 5);
    expect(past.userErrors[0]).toMatchObject({ code: 'FOSTERING_LIMIT', dates: [day(4)] });
    const s = (await book(h, h.liaison.token, [a, b], 1, 4)).sleepover;
    expect(s.status).toBe('CONFIRMED');
    // An exemption for 3 in all does not allow 4.
    const small = await gql(
      GRANT,
      { householdId: gid('Household', h.hub), from: day(10), to: day(12), maxChildren: 3, childIds: [gid('Child', a), gid('Child', b)], grantedByAuthority: 'LCC', reason: 'r' },
      manager.token,
    );
    expect(small.userErrors).toEqual([]);
    expect(codes(await book(h, h.liaison.token, [a, b], 10, 11))).toEqual(['FOSTERING_LIMIT']);
    // Ended from day 2: the sleepover no longer fits from then and is ended there.
    const end = await gql(END, { exemptionId: g.exemption.id, endsOn: day(2), reason: 'Varied by the authority' }, manager.token);
    expect(end.userErrors).toEqual([]);
    expect(end.exemption).toMatchObject({ endedOn: day(2), endReason: 'Varied by the authority' });
    // Its nights before the end stay within the rules: it is cut short there rather than cancelled.
    expect(end.affectedSleepovers).toEqual([expect.objectContaining({ id: s.id, status: 'CONFIRMED', endDate: day(2), decisionReason: expect.stringContaining('Varied') })]);
    const hq = await t.gql(`query($id: ID!) { node(id: $id) { ... on Household { fosteringLimitExemptions { endedOn } } } }`, { id: gid('Household', h.hub) }, { token: h.satCarer });
    expect(hq.data.node.fosteringLimitExemptions).toBeNull();
    const own = await t.gql(`query($id: ID!) { node(id: $id) { ... on Household { fosteringLimitExemptions { endedOn maxChildren } } } }`, { id: gid('Household', h.hub) }, { token: h.hubCarer });
    expect(own.data.node.fosteringLimitExemptions).toEqual([
      { endedOn: null, maxChildren: 3 },
      { endedOn: day(2), maxChildren: 4 },
    ]);
  });
});

describe('bedrooms', () => {
  test('setHubRooms numbers beds in room order; the allocator follows the sharing rules and notWith, else NO_BED_AVAILABLE; hand-chosen beds that break them are ROOM_SHARING', async () => {
    const h = await makeHub({ beds: 2, maxChildren: 10 });
    const set = await gql(
      ROOMS,
      {
        constellationId: gid('Constellation', h.k),
        rooms: [
          { name: 'Small', beds: 1 },
          { name: 'Bunk room', beds: 2 },
        ],
      },
      h.hubCarer,
    );
    expect(set.userErrors).toEqual([]);
    expect(set.constellation).toEqual({
      sleepoverBeds: 3,
      rooms: [
        { name: 'Small', beds: [1] },
        { name: 'Bunk room', beds: [2, 3] },
      ],
    });
    const alone = await kid(h, { name: 'Alone', consent: 'OWN_ROOM' });
    const sharer = await kid(h, { name: 'Sharer', consent: 'OTHER_CHILDREN' });
    const apart = await kid(h, { name: 'Apart', consent: null });
    await gql(RECORD, { childId: gid('Child', apart), givenBy: 'CSC', givenOn: day(-1), roomSharing: 'OTHER_CHILDREN', notWithIds: [gid('Child', sharer)] }, h.liaison.token);
    // Alone needs a room of its own: the lowest free bed would be 1 (Small), which is fine.
    const s1 = (await book(h, h.liaison.token, [sharer], 1, 3)).sleepover;
    expect(s1.beds).toEqual([1]);
    // The only bed left in a room with nobody is in the bunk room: the allocator takes it.
    const s2 = (await book(h, h.liaison.token, [alone], 1, 3)).sleepover;
    expect(s2.beds).toEqual([2]);
    // Apart may share, but not with Sharer, and Alone shares with no one: no bed follows the rules.
    const none = await book(h, h.liaison.token, [apart], 1, 2);
    expect(none.userErrors).toEqual([expect.objectContaining({ code: 'NO_BED_AVAILABLE' })]);
    // Chosen by hand: bed 3 is in the room Alone holds.
    const asked = (await book(h, h.satCarer, [apart], 2, 3)).sleepover;
    const byHand = await confirm(h.hubCarer, asked.id, [3]);
    expect(byHand.userErrors).toEqual([expect.objectContaining({ code: 'ROOM_SHARING', subjectIds: [s2.id], dates: [day(2)], field: ['input', 'beds'] })]);
    // Rooms night by night for the hub carer; null for a satellite carer.
    const q = `query($id: ID!, $f: Date!, $t: Date!) { node(id: $id) { ... on Constellation { availability(from: $f, to: $t) { date rooms { name beds freeBeds } } } } }`;
    const hubView = await t.gql(q, { id: gid('Constellation', h.k), f: day(1), t: day(2) }, { token: h.hubCarer });
    expect(hubView.data.node.availability[0].rooms).toEqual([
      { name: 'Small', beds: [1], freeBeds: [] },
      { name: 'Bunk room', beds: [2, 3], freeBeds: [3] },
    ]);
    const satView = await t.gql(q, { id: gid('Constellation', h.k), f: day(1), t: day(2) }, { token: h.satCarer });
    expect(satView.data.node.availability[0].rooms).toBeNull();
  });

  test('a child under 3 counts as SIBLINGS: shares with a brother or sister whatever its consent says, not with others', async () => {
    const h = await makeHub({ beds: 2, maxChildren: 10 });
    const baby = await kid(h, { name: 'Baby', years: 1, consent: 'OWN_ROOM' });
    const big = await kid(h, { name: 'Big', years: 8, consent: 'SIBLINGS' });
    const other = await kid(h, { name: 'Other', years: 8, consent: 'OTHER_CHILDREN' });
    await t.fx.siblings(org, baby, big);
    expect((await book(h, h.liaison.token, [baby, big], 1, 2)).sleepover.status).toBe('CONFIRMED');
    const b2 = (await book(h, h.liaison.token, [baby], 3, 4)).sleepover;
    expect(b2.status).toBe('CONFIRMED');
    expect(codes(await book(h, h.liaison.token, [other], 3, 4))).toEqual(['NO_BED_AVAILABLE']);
  });

  test('new rooms repack future confirmed sleepovers where they can, else are refused naming them; updateConstellation beds refused with several rooms', async () => {
    const h = await makeHub({ beds: 2, maxChildren: 10 });
    const a = await kid(h, { name: 'A1', consent: 'OWN_ROOM' });
    const b = await kid(h, { name: 'B1', consent: 'OTHER_CHILDREN' });
    await gql(
      ROOMS,
      {
        constellationId: gid('Constellation', h.k),
        rooms: [
          { name: 'One', beds: 1 },
          { name: 'Two', beds: 1 },
        ],
      },
      h.liaison.token,
    );
    const sa = (await book(h, h.liaison.token, [a], 1, 3)).sleepover;
    const sb = (await book(h, h.liaison.token, [b], 1, 3)).sleepover;
    expect([sa.beds, sb.beds]).toEqual([[1], [2]]);
    // One room of two beds: A may not share.
    const refused = await gql(ROOMS, { constellationId: gid('Constellation', h.k), rooms: [{ name: 'Big', beds: 2 }] }, h.liaison.token);
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'ROOM_SHARING', subjectIds: [sb.id] })]);
    // Three rooms, the first new: both move to beds that follow the rules.
    const moved = await gql(
      ROOMS,
      {
        constellationId: gid('Constellation', h.k),
        rooms: [
          { name: 'Box', beds: 1 },
          { name: 'One', beds: 1 },
          { name: 'Two', beds: 1 },
        ],
      },
      h.liaison.token,
    );
    expect(moved.userErrors).toEqual([]);
    const beds = await t.fx.sql(`select child_id, bed from bed_claim where constellation_id = $1 and not is_block order by bed`, [h.k]);
    expect(beds.every((r: any) => r.bed >= 1 && r.bed <= 3)).toBe(true);
    // Down to one bed: too few for the night with two children.
    const crowded = await gql(ROOMS, { constellationId: gid('Constellation', h.k), rooms: [{ name: 'Solo', beds: 1 }] }, h.liaison.token);
    expect(crowded.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
    const upd = await t.gql(
      `mutation($i: UpdateConstellationInput!) { updateConstellation(input: $i) { userErrors { code } } }`,
      { i: { constellationId: gid('Constellation', h.k), sleepoverBeds: 4 } },
      { token: manager.token },
    );
    expect(upd.data.updateConstellation.userErrors).toEqual([{ code: 'INVALID_STATE' }]);
    expect(codes(await gql(ROOMS, { constellationId: gid('Constellation', h.k), rooms: [{ name: 'x', beds: 1 }] }, h.satCarer))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(ROOMS, { constellationId: gid('Constellation', h.k), rooms: [{ name: 'x', beds: 0 }] }, h.hubCarer))).toEqual(['INVALID_INPUT']);
  });
});

describe('an on-the-spot booking', () => {
  test('is judged before anything is written: a refusal writes nothing and stops at the hub facts', async () => {
    const h = await makeHub({ beds: 1 });
    const a = await kid(h, { name: 'Ada' });
    const b = await kid(h, { name: 'Ben' });
    const request = (c: string, start: number, end: number) =>
      t.gql(REQUEST, { i: { constellationId: gid('Constellation', h.k), childIds: [gid('Child', c)], startDate: day(start), endDate: day(end) } }, { token: h.hubCarer });
    const booked = await request(a, 2, 4);
    expect(booked.data.requestSleepover.sleepover.status).toBe('CONFIRMED');
    const rows = async () =>
      (
        await t.fx.sql(
          `select (select count(*) from sleepover where constellation_id = $1)::int as s, (select count(*) from sleepover_child sc join sleepover s on s.id = sc.sleepover_id where s.constellation_id = $1)::int as sc`,
          [h.k],
        )
      )[0];
    const before = await rows();
    const refused = await request(b, 3, 5);
    expect(codes(refused.data.requestSleepover)).toEqual(['NO_BED_AVAILABLE']);
    expect(await rows()).toEqual(before);
    // The viewer; BEGIN; the constellation, the children, their placements, their household, the
    // bed lock, the membership, the hub facts; ROLLBACK. No sleepover written to be rolled back.
    expect(refused.statements).toBe(10);
    expect(booked.statements).toBeGreaterThan(refused.statements);
  });
});

describe('write-ups', () => {
  test('hub carer, liaison worker or staff write up a past sleepover: CONFIRMED at once, flagged, notified to the carers and the liaison worker; not satellite carers; at most 7 nights back', async () => {
    const h = await makeHub();
    const c = await kid(h, { name: 'Eve' });
    expect(codes(await book(h, h.satCarer, [c], -2, 0, { recordedAfterwards: true }))).toEqual(['FORBIDDEN']);
    expect(codes(await book(h, h.hubCarer, [c], -9, -7, { recordedAfterwards: true }))).toEqual(['INVALID_INPUT']);
    expect(codes(await book(h, h.hubCarer, [c], 0, 1, { recordedAfterwards: true }))).toEqual(['INVALID_INPUT']);
    const w = await book(h, h.hubCarer, [c], -3, -1, { recordedAfterwards: true });
    expect(w.userErrors).toEqual([]);
    expect(w.sleepover).toMatchObject({ status: 'COMPLETED', recordedAfterwards: true, beds: [1] });
    const satUser = (await t.fx.sql(`select c.user_id from carer c where c.household_id = $1`, [h.sat]))[0].user_id;
    const told = await t.fx.sql(`select recipient_id, body_text from notification where subject_id = $1`, [(await t.fx.sql(`select id from sleepover where household_id = $1`, [h.sat]))[0].id]);
    expect(told.map((n: any) => n.recipient_id).sort()).toEqual([h.liaison.id, satUser].sort());
    expect(told[0].body_text).toContain('written up afterwards');
  });
});

describe("the liaison worker's chasing", () => {
  test('ChildFilter.hasSleepoverConsent and sleepoverConsentEndsBefore; a consent ending within 14 days is on the weekday digest', async () => {
    const h = await makeHub();
    const none = await kid(h, { name: 'Chase0', consent: null });
    const soon = await kid(h, { name: 'Chase1', consent: null });
    const later = await kid(h, { name: 'Chase2', consent: null });
    // A weekday a few days ahead, and consents ending 10 and 20 days after it.
    let d = DateTime.fromISO(day(3), { zone: 'Europe/London' });
    while (d.weekday > 5) d = d.plus({ days: 1 });
    const digestDay = d.toISODate()!;
    const plus = (n: number) => d.plus({ days: n }).toISODate()!;
    await gql(RECORD, { childId: gid('Child', soon), givenBy: 'CSC', givenOn: day(-10), expiresOn: plus(10), roomSharing: 'OWN_ROOM' }, h.liaison.token);
    await gql(RECORD, { childId: gid('Child', later), givenBy: 'CSC', givenOn: day(-10), expiresOn: plus(20), roomSharing: 'OWN_ROOM' }, h.liaison.token);
    const list = async (filter: Record<string, unknown>) =>
      (
        await t.gql(
          `query($f: ChildFilter) { children(first: 100, filter: $f) { edges { node { firstName } } } }`,
          { f: { constellationId: gid('Constellation', h.k), ...filter } },
          { token: h.liaison.token },
        )
      ).data.children.edges
        .map((e: any) => e.node.firstName)
        .sort();
    expect(await list({ hasSleepoverConsent: false })).toEqual(['Chase0']);
    expect(await list({ hasSleepoverConsent: true })).toEqual(['Chase1', 'Chase2']);
    expect(await list({ sleepoverConsentEndsBefore: plus(15) })).toEqual(['Chase1']);
    void none;
    await tick(t.service.app.orm, t.service.app.log, new Date(`${digestDay}T10:00:00Z`));
    const digest = await t.fx.sql(`select title, body_text from notification where recipient_id = $1 and kind = 'REQUESTS_DIGEST'`, [h.liaison.id]);
    expect(digest).toHaveLength(1);
    expect(digest[0].title).toBe('1 sleepover consent ending soon');
    expect(digest[0].body_text).toContain(`a child of Satellite, consent ends on`);
    expect(digest[0].body_text).not.toContain('Chase1');
  });
});
