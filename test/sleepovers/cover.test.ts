import { startTestApp, type TestApp } from '../support/app';
import { day, gid } from '../support/fixtures';
import { errorsOf, openSocket } from '../support/socket';
import { ask, decide } from './support';

/**
 * A cover sleepover: a child of Hillside's satellite stays at Riverside's hub. Riverside's hub
 * carer and liaison worker learn the child's first name, age and sleepoverNotes while it is open,
 * and nothing more; the child's carer learns where the child goes, not Riverside's nights or its
 * liaison worker's email.
 */
jest.setTimeout(60_000);
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let coverChild: string;
let sleepoverId: string;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
  coverChild = await t.fx.child(w.org, { firstName: 'Hal', dob: day(-9 * 365 - 10), reference: 'HILL-001', notes: 'Sleeps with the door open.' });
  await t.fx.placement(w.org, coverChild, w.sat2);
  const r = await ask(t, w.manager.token, { k: w.k, children: [coverChild], start: day(3), end: day(5), coverReason: 'Hillside hub away' });
  expect(r.userErrors).toEqual([]);
  sleepoverId = r.sleepover.id;
});
afterAll(async () => t.stop());

const CHILDREN = `query($id: ID!) { node(id: $id) { ... on Sleepover { childCount children { id firstName age sleepoverNotes reference dateOfBirth stability { daysInCurrentPlacement } siblings { id } placements { id } currentPlacement { id } } } } }`;
const HOST = `query($id: ID!) { node(id: $id) { ... on Sleepover { constellation { name hub { name } liaisonWorker { name email } availability(from: "${day(0)}", to: "${day(7)}") { date bedsFree } } } } }`;

async function childrenAs(token: string | null) {
  const r = await t.gql(CHILDREN, { id: sleepoverId }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.node;
}

test('the hosting liaison worker and hub carer see first name, age and sleepoverNotes while it is open, nothing more', async () => {
  for (const token of [w.liaison.token, w.hubCarer.token!]) {
    const s = await childrenAs(token);
    expect(s.childCount).toBe(1);
    expect(s.children).toEqual([
      {
        id: gid('Child', coverChild),
        firstName: 'Hal',
        age: 9,
        sleepoverNotes: 'Sleeps with the door open.',
        reference: null,
        dateOfBirth: null,
        stability: null,
        siblings: [],
        placements: [],
        currentPlacement: null,
      },
    ]);
  }
});

test("staff of the organisation, and the child's own carer and liaison worker, see the child as they do elsewhere", async () => {
  const manager = await childrenAs(w.manager.token);
  expect(manager.children[0]).toMatchObject({ reference: 'HILL-001', dateOfBirth: expect.any(String), placements: [{ id: expect.any(String) }] });
  const carer = await childrenAs(w.carer2.token);
  expect(carer.children[0]).toMatchObject({ firstName: 'Hal', reference: null, dateOfBirth: null, currentPlacement: { id: expect.any(String) } });
});

test('a satellite carer of the hosting constellation sees booked nights only', async () => {
  expect((await childrenAs(w.carerA.token))?.children ?? null).toBeNull();
});

test("the child's carer sees where the child goes, not the host's availability or its liaison worker's email", async () => {
  const r = await t.gql(HOST, { id: sleepoverId }, { token: w.carer2.token });
  expect(r.errors).toBeUndefined();
  expect(r.data.node.constellation).toEqual({ name: 'Riverside', hub: { name: 'Hub Home' }, liaisonWorker: null, availability: [] });
  // The host's own people still see it all.
  const own = await t.gql(HOST, { id: sleepoverId }, { token: w.hubCarer.token });
  expect(own.data.node.constellation.availability).toHaveLength(7);
  expect(own.data.node.constellation.liaisonWorker).toEqual({ name: expect.any(String), email: expect.any(String) });
});

test("over the socket too: the child's carer gets the host without its nights or its liaison worker", async () => {
  const s = await openSocket(t.url, w.carer2.token);
  const pending = s.run(`subscription { sleepoverChanged { sleepover { id } constellation { name liaisonWorker { email } availability(from: "${day(0)}", to: "${day(3)}") { date } } } }`);
  await new Promise((r) => setTimeout(r, 200));
  const other = await ask(t, w.manager.token, { k: w.k, children: [coverChild], start: day(20), end: day(21), coverReason: 'again' });
  expect(other.userErrors).toEqual([]);
  const r = await pending;
  expect(errorsOf(r)).toEqual([]);
  expect(r.payload.data.sleepoverChanged.constellation).toEqual({ name: 'Riverside', liaisonWorker: null, availability: [] });
  s.close();
});

test('once cancelled, the host sees the children no more', async () => {
  expect((await decide(t, w.manager.token, 'cancel', sleepoverId, { reason: 'Hillside hub back' })).userErrors).toEqual([]);
  for (const token of [w.liaison.token, w.hubCarer.token!]) {
    const s = await childrenAs(token);
    expect(s.childCount).toBe(1);
    expect(s.children).toEqual([]);
  }
  // Fresh values do not leak either: the child's notes change after the cancellation.
  await t.fx.sql(`update child set sleepover_notes = 'changed' where id = $1`, [coverChild]);
  expect(JSON.stringify(await childrenAs(w.liaison.token))).not.toContain('changed');
});
