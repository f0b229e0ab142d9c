import { day, gid } from '../support/fixtures';
import { builtOncePerRun, type MatrixCtx, mutation, query, RIVERSIDE, type Row, uniq } from './kit';
import { MANAGERS, ORG_WIDE, type ViewerKind } from './viewers';

/** Rows for sleepover consent, the fostering limit's exemptions, hub rooms and write-ups. */

const RIVERSIDE_STAFF_AND_HUB: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer'];
const CONSENT_RECORDERS: ViewerKind[] = [...ORG_WIDE, 'liaison'];
const WRITERS_UP: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer'];

const once = builtOncePerRun();

/** A new child of a Riverside satellite (with the fixtures' standing consent). */
async function freshChild(m: MatrixCtx, household: string): Promise<string> {
  const child = await m.t.fx.child(m.w.org, { firstName: 'Ivy' });
  await m.t.fx.placement(m.w.org, child, household, day(-100));
  return child;
}

// Nights of their own, far from the other rows' sleepovers: write-ups cycle over five nights in the
// past week (before tonight even before 08:00), overrides a night each well ahead.
let writeUps = 0;
let overrideNight = 300;

const childQuery = (fields: string) => `query($id: ID!) { node(id: $id) { ... on Child { ${fields} } } }`;
const ERR = 'userErrors { code }';

export const RULES_ROWS: Row[] = [
  {
    area: 'Sleepover rules',
    operation: 'Child.sleepoverConsent, sleepoverConsents — a Riverside satellite child',
    policy: 'consent.policy#seesConsents',
    allowed: [...RIVERSIDE_STAFF_AND_HUB, 'carer'],
    note: "staff, the child's own carers and the hub carer of its constellation",
    run: query(
      childQuery('sleepoverConsent { givenBy conditions } sleepoverConsents { totalCount }'),
      (m) => ({ id: gid('Child', m.w.childA) }),
      (d) => (d?.node?.sleepoverConsent && d?.node?.sleepoverConsents ? d.node.sleepoverConsent : null),
    ),
  },
  {
    area: 'Sleepover rules',
    operation: 'SleepoverConsent.notWith',
    policy: 'consent.policy#seesNotWith',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: "staff and the hub carer; not the child's own carers",
    run: async (m, v) => {
      await once(m, 'notWith', () =>
        m.t.fx.sql(`insert into sleepover_consent (organisation_id, child_id, given_by, given_on, room_sharing, not_with_ids) values ($1, $2, 'CSC', $3, 'OTHER_CHILDREN', $4)`, [
          m.w.org,
          m.w.childB,
          day(-500),
          [m.w.childA],
        ]),
      );
      return query(
        childQuery('sleepoverConsent { notWith { firstName } }'),
        () => ({ id: gid('Child', m.w.childB) }),
        (d) => d?.node?.sleepoverConsent?.notWith,
      )(m, v);
    },
  },
  {
    area: 'Sleepover rules',
    operation: 'Mutation.recordSleepoverConsent',
    policy: 'consent.policy#mayRecordConsent',
    allowed: CONSENT_RECORDERS,
    note: "a supervising social worker, a manager, or the liaison worker of the child's constellation",
    run: mutation(`mutation($i: RecordSleepoverConsentInput!) { recordSleepoverConsent(input: $i) { ${ERR} } }`, 'recordSleepoverConsent', (m) => ({
      childId: gid('Child', m.w.childA),
      givenBy: `CSC ${uniq()}`,
      givenOn: day(-1),
      roomSharing: 'OTHER_CHILDREN',
    })),
  },
  {
    area: 'Sleepover rules',
    operation: 'Mutation.withdrawSleepoverConsent',
    policy: 'consent.policy#mayRecordConsent',
    allowed: CONSENT_RECORDERS,
    run: mutation(`mutation($i: WithdrawSleepoverConsentInput!) { withdrawSleepoverConsent(input: $i) { ${ERR} } }`, 'withdrawSleepoverConsent', async (m) => ({
      childId: gid('Child', await freshChild(m, m.w.satA)),
      reason: 'Withdrawn',
    })),
  },
  {
    area: 'Sleepover rules',
    operation: 'Mutation.grantFosteringLimitExemption',
    policy: 'fostering-limit.policy#mayRecordExemption',
    allowed: MANAGERS,
    run: mutation(`mutation($i: GrantFosteringLimitExemptionInput!) { grantFosteringLimitExemption(input: $i) { ${ERR} } }`, 'grantFosteringLimitExemption', (m) => ({
      householdId: gid('Household', m.w.hubHousehold),
      from: day(500),
      to: day(510),
      maxChildren: 4,
      childIds: [gid('Child', m.w.childA)],
      grantedByAuthority: 'Leeds City Council',
      reason: 'Keep the siblings together',
    })),
  },
  {
    area: 'Sleepover rules',
    operation: 'Mutation.endFosteringLimitExemption',
    policy: 'fostering-limit.policy#mayRecordExemption',
    allowed: MANAGERS,
    run: mutation(`mutation($i: EndFosteringLimitExemptionInput!) { endFosteringLimitExemption(input: $i) { ${ERR} } }`, 'endFosteringLimitExemption', async (m) => {
      const [e] = await m.t.fx.sql(
        `insert into fostering_limit_exemption (organisation_id, household_id, from_date, to_date, max_children, granted_by_authority, reason) values ($1, $2, $3, $4, 4, 'LCC', 'r') returning id`,
        [m.w.org, m.w.hubHousehold, day(520), day(530)],
      );
      return { exemptionId: gid('FosteringLimitExemption', e.id), endsOn: day(525), reason: 'Varied' };
    }),
  },
  {
    area: 'Sleepover rules',
    operation: 'Household.fosteringLimitExemptions — the hub household',
    policy: 'fostering-limit.policy#seesExemptions',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'null for carers of other households',
    run: async (m, v) => {
      await once(m, 'exemption', () =>
        m.t.fx.sql(`insert into fostering_limit_exemption (organisation_id, household_id, from_date, to_date, max_children, granted_by_authority, reason) values ($1, $2, $3, $4, 4, 'LCC', 'r')`, [
          m.w.org,
          m.w.hubHousehold,
          day(600),
          day(610),
        ]),
      );
      return query(
        `query($id: ID!) { node(id: $id) { ... on Household { fosteringLimitExemptions { maxChildren } } } }`,
        () => ({ id: gid('Household', m.w.hubHousehold) }),
        (d) => d?.node?.fosteringLimitExemptions,
      )(m, v);
    },
  },
  {
    area: 'Sleepover rules',
    operation: 'Constellation.rooms',
    policy: 'scope#constellationVisible',
    allowed: RIVERSIDE,
    run: query(
      `query($id: ID!) { node(id: $id) { ... on Constellation { rooms { name beds } } } }`,
      (m) => ({ id: gid('Constellation', m.w.k) }),
      (d) => d?.node?.rooms,
    ),
  },
  {
    area: 'Sleepover rules',
    operation: 'BedNight.rooms',
    policy: 'hub-rooms.policy#seesRoomNights',
    allowed: RIVERSIDE_STAFF_AND_HUB,
    note: 'satellite carers see bed counts only',
    run: query(
      `query($id: ID!, $f: Date!, $t: Date!) { node(id: $id) { ... on Constellation { availability(from: $f, to: $t) { rooms { freeBeds } } } } }`,
      (m) => ({ id: gid('Constellation', m.w.k), f: day(700), t: day(701) }),
      (d) => d?.node?.availability?.[0]?.rooms,
    ),
  },
  {
    area: 'Sleepover rules',
    operation: 'Mutation.setHubRooms',
    policy: 'hub-rooms.policy#maySetRooms',
    allowed: [...MANAGERS, 'liaison', 'hubCarer'],
    note: 'the hub carer, the liaison worker or a manager',
    run: mutation(`mutation($i: SetHubRoomsInput!) { setHubRooms(input: $i) { ${ERR} } }`, 'setHubRooms', (m) => ({
      constellationId: gid('Constellation', m.w.k),
      rooms: [{ name: 'Bedroom', beds: 2 }],
    })),
  },
  {
    area: 'Sleepover rules',
    operation: 'Mutation.requestSleepover — recordedAfterwards (a write-up)',
    policy: 'sleepover.policy#mayWriteUp',
    allowed: WRITERS_UP,
    note: 'the hub carer, the liaison worker or staff; never satellite carers',
    run: mutation(`mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { ${ERR} } }`, 'requestSleepover', async (m) => {
      const n = -7 + (writeUps++ % 5);
      return {
        constellationId: gid('Constellation', m.w.k),
        childIds: [gid('Child', await freshChild(m, m.w.satA))],
        startDate: day(n),
        endDate: day(n + 1),
        recordedAfterwards: true,
      };
    }),
  },
  {
    area: 'Sleepover rules',
    operation: "Mutation.requestSleepover — approvalOverrideReason (outside the hub's approval)",
    policy: 'auth/viewer#isManager',
    allowed: MANAGERS,
    run: mutation(`mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { ${ERR} } }`, 'requestSleepover', async (m) => {
      const n = overrideNight++;
      return {
        constellationId: gid('Constellation', m.w.k),
        childIds: [gid('Child', await freshChild(m, m.w.satA))],
        startDate: day(n),
        endDate: day(n + 1),
        approvalOverrideReason: 'Emergency: no other bed tonight',
      };
    }),
  },
];
