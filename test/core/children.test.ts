import { ChildNodeDocument, ChildrenDocument, RegisterChildDocument, UpdateChildDocument, type RegisterChildInput } from '../generated/graphql';
import { ageOn, setClock } from '../../src/platform/time';
import { startTestApp, type TestApp } from '../support/app';
import { RANDOM_UUID, errorsOf } from '../support/errors';
import { day, gid } from '../support/fixtures';
import { auditOfRequest, expectNothingWritten } from '../support/state';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
beforeAll(async () => {
  t = await startTestApp();
  w = await t.fx.world();
});
afterAll(async () => {
  setClock(null);
  await t.stop();
});

const C = (id: string) => gid('Child', id);
let refSeq = 0;
const child = (o: Partial<RegisterChildInput> = {}): RegisterChildInput => ({ reference: `CH-${++refSeq}-${Date.now()}`, firstName: 'Nia', dateOfBirth: day(-6 * 365), ...o });
const siblingsOf = async (id: string) => (await t.fx.sql(`select sibling_id from child_sibling where child_id = $1 order by sibling_id`, [id])).map((r: any) => r.sibling_id);

describe('registerChild', () => {
  test('the fostering team registers a child with siblings (linked both ways); audited in the same transaction', async () => {
    const r = await t.op(
      RegisterChildDocument,
      { input: child({ reference: ' LA-001 ', firstName: ' Nia ', dateOfBirth: '2016-05-04', siblingIds: [C(w.childLone), C(w.childLone)], sleepoverNotes: 'Peanut allergy.' }) },
      { token: w.ssw.token, headers: { 'x-request-id': 'child-reg-1' } },
    );
    expect(r.data.registerChild.userErrors).toEqual([]);
    const c = r.data.registerChild.child!;
    expect(c).toMatchObject({
      reference: 'LA-001',
      firstName: 'Nia',
      dateOfBirth: '2016-05-04',
      age: ageOn('2016-05-04', day(0)),
      sleepoverNotes: 'Peanut allergy.',
      siblings: [{ id: C(w.childLone), firstName: 'Cal' }],
      placements: [],
      currentPlacement: null,
    });
    const [row] = await t.fx.sql(`select id from child where reference = 'LA-001'`);
    expect(await siblingsOf(row.id)).toEqual([w.childLone]);
    expect(await siblingsOf(w.childLone)).toEqual([row.id]);
    const [audit] = await auditOfRequest(t, 'child-reg-1');
    expect(audit).toMatchObject({ action: 'Child.register', subject_id: c.id });
    expect(JSON.stringify(audit.summary)).not.toContain('Peanut');
    const [same] = await t.fx.sql(`select c.created_at = a.at as same from child c, audit_event a where c.id = $1 and a.id = $2`, [row.id, audit.id]);
    expect(same.same).toBe(true);
  });

  test('a case reference is unique within the organisation (CONFLICT), not across organisations', async () => {
    const [{ reference }] = await t.fx.sql(`select reference from child where id = $1`, [w.childA]);
    const dup = await expectNothingWritten(t, () => t.op(RegisterChildDocument, { input: child({ reference }) }, { token: w.manager.token }));
    expect(errorsOf(dup.data.registerChild.userErrors)).toEqual(['CONFLICT input.reference']);
    const [{ reference: foreignRef }] = await t.fx.sql(`select reference from child where id = $1`, [w.foreignChild]);
    const ok = await t.op(RegisterChildDocument, { input: child({ reference: foreignRef }) }, { token: w.manager.token });
    expect(ok.data.registerChild.userErrors).toEqual([]);
  });

  test('date of birth: not in the future, at most 25 years ago, a real date within range', async () => {
    const cases: [string, string[]][] = [
      [day(1), ['INVALID_INPUT input.dateOfBirth']],
      [day(-26 * 366), ['INVALID_INPUT input.dateOfBirth']],
      ['1850-01-01', ['INVALID_INPUT input.dateOfBirth']],
    ];
    for (const [dateOfBirth, expected] of cases) {
      const r = await expectNothingWritten(t, () => t.op(RegisterChildDocument, { input: child({ dateOfBirth }) }, { token: w.manager.token }));
      expect(errorsOf(r.data.registerChild.userErrors)).toEqual(expected);
    }
    // Born today is fine (age 0).
    const newborn = await t.op(RegisterChildDocument, { input: child({ dateOfBirth: day(0) }) }, { token: w.manager.token });
    expect(newborn.data.registerChild.child?.age).toBe(0);
  });

  test('siblings must be children of this organisation, and at most 15', async () => {
    const cases: [string[], string[]][] = [
      [[C(w.foreignChild)], ['NOT_FOUND input.siblingIds']],
      [[gid('Household', w.childA)], ['NOT_FOUND input.siblingIds']],
      [[C(RANDOM_UUID)], ['NOT_FOUND input.siblingIds']],
      [['junk'], ['NOT_FOUND input.siblingIds']],
      [Array.from({ length: 16 }, () => C(w.childA)), ['INVALID_INPUT input.siblingIds']],
    ];
    for (const [siblingIds, expected] of cases) {
      const r = await expectNothingWritten(t, () => t.op(RegisterChildDocument, { input: child({ siblingIds }) }, { token: w.manager.token }));
      expect(errorsOf(r.data.registerChild.userErrors)).toEqual(expected);
    }
  });

  test('carers and liaison workers cannot register children', async () => {
    for (const token of [w.hubCarer.token!, w.carerA.token!, w.liaison.token]) {
      const r = await expectNothingWritten(t, () => t.op(RegisterChildDocument, { input: child() }, { token }));
      expect(errorsOf(r.data.registerChild.userErrors)).toEqual(['FORBIDDEN ']);
    }
  });
});

describe('updateChild', () => {
  test('changes fields and replaces sibling links in both directions', async () => {
    const a = await t.fx.child(w.org, { firstName: 'Ola' });
    const b = await t.fx.child(w.org, { firstName: 'Ode' });
    const c = await t.fx.child(w.org, { firstName: 'Oni' });
    await t.fx.siblings(w.org, a, b);
    const r = await t.op(
      UpdateChildDocument,
      { input: { childId: C(a), firstName: 'Olamide', siblingIds: [C(c)], sleepoverNotes: '' } },
      { token: w.manager.token, headers: { 'x-request-id': 'child-upd-1' } },
    );
    expect(r.data.updateChild.userErrors).toEqual([]);
    expect(r.data.updateChild.child).toMatchObject({ firstName: 'Olamide', siblings: [{ firstName: 'Oni' }], sleepoverNotes: null });
    expect(await siblingsOf(a)).toEqual([c]);
    expect(await siblingsOf(b)).toEqual([]);
    expect(await siblingsOf(c)).toEqual([a]);
    expect((await auditOfRequest(t, 'child-upd-1'))[0].summary).toMatchObject({ changed: ['firstName', 'sleepoverNotes', 'siblings'] });
  });

  test('refusals write nothing: own sibling, empty name, unknown or foreign child, a birth after a placement began', async () => {
    const a = await t.fx.child(w.org, { dob: day(-3000) });
    await t.fx.placement(w.org, a, w.lone, day(-1000), day(-900));
    const cases: [Record<string, unknown>, string[]][] = [
      [{ childId: C(a), siblingIds: [C(a)] }, ['INVALID_INPUT input.siblingIds']],
      [{ childId: C(a), firstName: '  ' }, ['INVALID_INPUT input.firstName']],
      [{ childId: C(a), reference: '' }, ['INVALID_INPUT input.reference']],
      [{ childId: C(a), dateOfBirth: day(-999) }, ['INVALID_INPUT input.dateOfBirth']],
      [{ childId: C(w.foreignChild), firstName: 'X' }, ['NOT_FOUND input.childId']],
      [{ childId: gid('Placement', a), firstName: 'X' }, ['NOT_FOUND input.childId']],
      [{ childId: C(RANDOM_UUID), firstName: 'X' }, ['NOT_FOUND input.childId']],
    ];
    for (const [input, expected] of cases) {
      const r = await expectNothingWritten(t, () => t.op(UpdateChildDocument, { input: input as any }, { token: w.manager.token }));
      expect(errorsOf(r.data.updateChild.userErrors)).toEqual(expected);
    }
    const carer = await expectNothingWritten(t, () => t.op(UpdateChildDocument, { input: { childId: C(w.childA), sleepoverNotes: 'changed' } }, { token: w.carerA.token! }));
    expect(errorsOf(carer.data.updateChild.userErrors)).toEqual(['FORBIDDEN ']);
  });
});

describe('Child.age', () => {
  test('is the age today in Europe/London by UK law: a 29 February birthday falls on 1 March in common years', async () => {
    const leapling = await t.fx.child(w.org, { firstName: 'Leap', dob: '2012-02-29' });
    const ageAt = async (instant: string) => {
      setClock(() => new Date(instant));
      try {
        return ((await t.op(ChildNodeDocument, { id: C(leapling) }, { token: w.manager.token })).data.node as any).age;
      } finally {
        setClock(null);
      }
    };
    expect(await ageAt('2027-02-28T12:00:00Z')).toBe(14);
    expect(await ageAt('2027-03-01T00:30:00Z')).toBe(15);
    expect(await ageAt('2028-02-28T12:00:00Z')).toBe(15);
    expect(await ageAt('2028-02-29T12:00:00Z')).toBe(16);
    // In summer London is an hour ahead of UTC: "today" there has already turned over.
    const summer = await t.fx.child(w.org, { firstName: 'Summer', dob: '2015-07-01' });
    setClock(() => new Date('2025-06-30T23:30:00Z')); // 00:30 on 1 July in London (BST)
    try {
      expect(((await t.op(ChildNodeDocument, { id: C(summer) }, { token: w.manager.token })).data.node as any).age).toBe(10);
    } finally {
      setClock(null);
    }
  });

  test('ageOn by UK law', () => {
    expect(ageOn('2012-02-29', '2013-02-28')).toBe(0);
    expect(ageOn('2012-02-29', '2013-03-01')).toBe(1);
    expect(ageOn('2012-02-29', '2016-02-29')).toBe(4);
    expect(ageOn('2010-06-15', '2020-06-14')).toBe(9);
    expect(ageOn('2010-06-15', '2020-06-15')).toBe(10);
  });
});

describe('children query', () => {
  test('ordered by first name then id; search on first name or reference (staff), first name only (carers)', async () => {
    const all = await t.op(ChildrenDocument, { first: 100 }, { token: w.manager.token });
    const names = all.data.children.edges.map((e) => e.node.firstName);
    expect(names).toEqual([...names].sort());
    const [{ reference }] = await t.fx.sql(`select reference from child where id = $1`, [w.childA]);
    const byRef = await t.op(ChildrenDocument, { filter: { search: reference.toLowerCase() } }, { token: w.manager.token });
    expect(byRef.data.children.edges.map((e) => e.node.id)).toEqual([C(w.childA)]);
    const carerByRef = await t.op(ChildrenDocument, { filter: { search: reference } }, { token: w.carerA.token! });
    expect(carerByRef.data.children.edges).toEqual([]);
    const carerByName = await t.op(ChildrenDocument, { filter: { search: 'am' } }, { token: w.carerA.token! });
    expect(carerByName.data.children.edges.map((e) => e.node)).toEqual([{ id: C(w.childA), firstName: 'Amy', reference: null }]);
  });

  test('placed and constellation filters', async () => {
    const unplaced = await t.fx.child(w.org, { firstName: 'Unplaced' });
    const ids = async (filter: Record<string, unknown>) => (await t.op(ChildrenDocument, { first: 100, filter }, { token: w.manager.token })).data.children.edges.map((e) => e.node.id);
    expect(await ids({ placed: false })).toContain(C(unplaced));
    expect(await ids({ placed: true })).not.toContain(C(unplaced));
    expect(await ids({ placed: true })).toEqual(expect.arrayContaining([C(w.childA), C(w.childB), C(w.childLone)]));
    expect(await ids({ constellationId: gid('Constellation', w.k) })).toEqual([C(w.childA), C(w.childA2), C(w.childB)]);
    expect(await ids({ constellationId: gid('Household', w.k) })).toEqual([]);
  });
});
