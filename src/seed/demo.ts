import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword } from '../auth/passwords';
import { sql, sqlOne } from '../platform/db/sql';
import { addDays, todayLondon } from '../platform/time';
import { pastPlacementInsert } from '../placements/past-placement';

export const DEMO_PASSWORD = 'hubnet-demo-2026';
export const DEMO_LOGINS = [
  { email: 'admin@demo.hubnet.test', role: 'ADMIN', name: 'Priya Shah' },
  { email: 'manager@demo.hubnet.test', role: 'FOSTERING_MANAGER', name: 'Tom Okafor' },
  { email: 'ssw@demo.hubnet.test', role: 'SUPERVISING_SOCIAL_WORKER', name: 'Grace Mensah' },
  { email: 'liaison@demo.hubnet.test', role: 'LIAISON_WORKER', name: 'Dan Whitaker' },
  { email: 'hub@demo.hubnet.test', role: 'CARER', name: 'Helen Carter', note: 'hub carer, Riverside' },
  { email: 'carer@demo.hubnet.test', role: 'CARER', name: 'Sam Patel', note: 'satellite carer, Riverside' },
] as const;

const FIRST_NAMES = ['Amy', 'Ben', 'Chloe', 'Dylan', 'Ella', 'Finn', 'Grace', 'Harry', 'Isla', 'Jack', 'Kai', 'Lily', 'Mason', 'Nia', 'Oscar', 'Poppy', 'Reuben', 'Sophie', 'Theo', 'Zara'];

/**
 * A realistic organisation for trying the API: two constellations around their hubs, households
 * in and out of constellations, children with placement histories (moves, a return, endings),
 * and one login for each kind of user. Dates are relative to today so "current" stays current.
 */
export async function seedDemo(em: EntityManager): Promise<{ organisationId: string } | null> {
  const existing = await sqlOne(em, `select id from organisation limit 1`);
  if (existing) return null;
  const today = todayLondon();
  const d = (days: number) => addDays(today, days);
  const hash = await hashPassword(DEMO_PASSWORD);
  return em.transactional(async (tx) => {
    const [{ id: org }] = await sql(tx, `insert into organisation (name, kind) values ('Northshire County Council', 'LOCAL_AUTHORITY') returning id`);
    const users = await addLogins(tx, org, hash);
    const demo: Demo = { tx, org, d, users, households: [], childIds: [] };
    demo.households = await addHouseholds(demo);
    const riverside = await addConstellations(demo);
    demo.childIds = await addChildren(demo);
    await addPlacements(demo);
    await addSiblings(demo);
    await addVenue(demo, riverside);
    await addBookings(demo, riverside);
    await addConsents(demo);
    return { organisationId: org };
  });
}

/** The demo organisation as it is built: its logins by email, households and children in order. */
interface Demo {
  tx: EntityManager;
  org: string;
  /** Today plus this many days. */
  d: (days: number) => string;
  users: Record<string, string>;
  households: { id: string; name: string }[];
  childIds: string[];
}

async function addLogins(tx: EntityManager, org: string, hash: string): Promise<Record<string, string>> {
  const users: Record<string, string> = {};
  for (const u of DEMO_LOGINS) {
    const [{ id }] = await sql(tx, `insert into app_user (organisation_id, email, name, role, password_hash) values ($1, $2, $3, $4, $5) returning id`, [org, u.email, u.name, u.role, hash]);
    users[u.email] = id;
  }
  return users;
}

/** Sixteen households with their carers: the Carters (Riverside's hub) and the Patels have logins; one is a kinship household. */
async function addHouseholds({ tx, org, d, users }: Demo): Promise<{ id: string; name: string }[]> {
  const households: { id: string; name: string }[] = [];
  const names = ['Carter', 'Patel', 'Hughes', 'Okonkwo', 'Lewis', 'Murphy', 'Singh', 'Evans', 'Nowak', 'Brown', 'Ahmed', 'Taylor', 'Wilson', 'Davies', 'Kowalski', 'Green'];
  const districts = ['LS6', 'LS7', 'LS8', 'LS11', 'LS12', 'LS16', 'LS17', 'LS18', 'BD1', 'BD3', 'BD5', 'BD7', 'BD9', 'HX1', 'HX3', 'WF1'];
  for (let i = 0; i < names.length; i++) {
    const kinship = i === 14;
    const [{ id }] = await sql(
      tx,
      `insert into household (organisation_id, name, postcode_district, is_kinship, status, approval_min_age, approval_max_age, approval_max_children, approval_kinds, approved_on, supervising_social_worker_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
      [
        org,
        `The ${names[i]} household`,
        districts[i],
        kinship,
        kinship ? 'TEMPORARILY_APPROVED' : 'APPROVED',
        0,
        i === 12 ? 11 : 17,
        i === 0 || i === 8 ? 2 : 3,
        i === 0 || i === 8 ? ['RESPITE', 'SHORT_TERM', 'EMERGENCY'] : ['SHORT_TERM', 'LONG_TERM', 'EMERGENCY', 'RESPITE'],
        d(-2000 + i * 40),
        users['ssw@demo.hubnet.test'],
      ],
    );
    households.push({ id, name: names[i] });
    const carerNames = i === 0 ? ['Helen Carter', 'Mark Carter'] : i === 1 ? ['Sam Patel', 'Anita Patel'] : [`Alex ${names[i]}`];
    for (const cn of carerNames) {
      const login = cn === 'Helen Carter' ? users['hub@demo.hubnet.test'] : cn === 'Sam Patel' ? users['carer@demo.hubnet.test'] : null;
      await sql(tx, `insert into carer (organisation_id, household_id, name, user_id) values ($1, $2, $3, $4)`, [org, id, cn, login]);
    }
  }
  return households;
}

/** Riverside (with the liaison worker) and Hillside, each a hub and six satellites, and a former member of Riverside. Returns Riverside's id. */
async function addConstellations(demo: Demo): Promise<string> {
  const { tx, org, d, users, households } = demo;
  const riverside = await addConstellation(demo, 'Riverside', 0, [1, 2, 3, 4, 5, 6], users['liaison@demo.hubnet.test']);
  await addConstellation(demo, 'Hillside', 8, [9, 10, 11, 12, 13, 7], null);
  // A former member: the Green household left Riverside after a year.
  await sql(
    tx,
    `insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on, left_on) select $1, id, $2, 'SATELLITE', $3, $4 from constellation where name = 'Riverside' and organisation_id = $1`,
    [org, households[15].id, d(-850), d(-480)],
  );
  return riverside;
}

async function addConstellation({ tx, org, d, households }: Demo, name: string, hub: number, satellites: number[], liaison: string | null): Promise<string> {
  const [{ id }] = await sql(tx, `insert into constellation (organisation_id, name, status, launched_on, liaison_worker_id, sleepover_beds) values ($1, $2, 'ACTIVE', $3, $4, 2) returning id`, [
    org,
    name,
    d(-900),
    liaison,
  ]);
  await sql(tx, `insert into hub_bed (constellation_id, bed, organisation_id) values ($1, 1, $2), ($1, 2, $2)`, [id, org]);
  await sql(tx, `insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'HUB', $4)`, [org, id, households[hub].id, d(-900)]);
  for (const [n, s] of satellites.entries()) {
    await sql(tx, `insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'SATELLITE', $4)`, [
      org,
      id,
      households[s].id,
      d(-880 + n * 30),
    ]);
  }
  return id;
}

async function addChildren({ tx, org, d }: Demo): Promise<string[]> {
  const childIds: string[] = [];
  for (let i = 0; i < FIRST_NAMES.length; i++) {
    const age = 3 + ((i * 7) % 12);
    const [{ id }] = await sql(tx, `insert into child (organisation_id, reference, first_name, date_of_birth, sleepover_notes) values ($1, $2, $3, $4, $5) returning id`, [
      org,
      `NS-${String(1040 + i)}`,
      FIRST_NAMES[i],
      d(-(age * 365 + 40 + i)),
      i % 2 === 0 ? 'Sleeps with a night light. Nut allergy: no peanuts.' : 'Likes a story at bedtime.',
    ]);
    childIds.push(id);
  }
  return childIds;
}

/** Each child placed today with a satellite or an unattached household, several with histories. */
async function addPlacements(demo: Demo): Promise<void> {
  const { d, childIds } = demo;
  const homes = [1, 1, 2, 3, 3, 4, 5, 6, 9, 10, 11, 12, 13, 7, 14, 15, 2, 4, 10, 12];
  for (let i = 0; i < childIds.length; i++) {
    if (i % 4 === 1) {
      // A move: an emergency placement elsewhere first, ended unplanned for some.
      await place(demo, i, null, d(-700 - i * 3), d(-520), { setting: 'RESIDENTIAL', provider: "Oakfield Children's Home", kind: 'SHORT_TERM', reason: 'CARPL' });
      await place(demo, i, homes[(i + 5) % homes.length], d(-520), d(-300 + i), { reason: i % 8 === 1 ? 'CREQB' : 'CARPL', unplanned: i % 8 === 1, kind: 'SHORT_TERM' });
      await place(demo, i, homes[i], d(-300 + i), null);
    } else if (i % 4 === 2) {
      // A status change with the same carers (PLACE), merged by the stability figures.
      await place(demo, i, homes[i], d(-800), d(-400), { reason: 'PLACE', kind: 'SHORT_TERM' });
      await place(demo, i, homes[i], d(-400), null);
    } else {
      await place(demo, i, homes[i], d(-900 + i * 20), null);
    }
  }
}

async function place(
  { tx, org, childIds, households }: Demo,
  child: number,
  household: number | null,
  start: string,
  end: string | null,
  opts: { reason?: string; unplanned?: boolean; setting?: string; provider?: string; kind?: string } = {},
): Promise<void> {
  const householdId = household === null ? null : households[household].id;
  await sql(tx, ...pastPlacementInsert({ organisationId: org, childId: childIds[child], householdId, start, end, ...opts }));
}

async function addSiblings({ tx, org, childIds }: Demo): Promise<void> {
  await sql(tx, `insert into child_sibling (child_id, sibling_id, organisation_id) values ($1, $2, $3), ($2, $1, $3)`, [childIds[0], childIds[1], org]);
  await sql(tx, `insert into child_sibling (child_id, sibling_id, organisation_id) values ($1, $2, $3), ($2, $1, $3)`, [childIds[3], childIds[4], org]);
  // Chloe (Riverside) and Isla (Hillside): siblings placed apart, who meet at the Riverside hub.
  await sql(tx, `insert into child_sibling (child_id, sibling_id, organisation_id) values ($1, $2, $3), ($2, $1, $3)`, [childIds[2], childIds[8], org]);
}

/** The Riverside hub as a venue: its rules. */
async function addVenue({ tx, org, users, households }: Demo, riverside: string): Promise<void> {
  await sql(tx, `insert into hub_venue (constellation_id, household_id, organisation_id, family_time_allowed, opens_at, closes_at, updated_by_id) values ($1, $2, $3, true, '08:30', '19:00', $4)`, [
    riverside,
    households[0].id,
    org,
    users['hub@demo.hubnet.test'],
  ]);
}

/** A booking of each purpose at the Riverside hub, one already written up. */
async function addBookings({ tx, org, d, users, childIds }: Demo, riverside: string): Promise<void> {
  const booking = async (
    purpose: string,
    status: string,
    days: number,
    from: string,
    to: string,
    children: number[],
    by: string,
    extra: { supervisor?: string; notes?: string; outcome?: string } = {},
  ) => {
    const [{ id }] = await sql(
      tx,
      `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day, supervisor, requested_by_id, notes, outcome, outcome_recorded_by_id)
         select $1, $2, $3, $4, ($5::date + $6::time) at time zone 'Europe/London', ($5::date + $7::time) at time zone 'Europe/London', $5::date, $8, $9, $10, $11::text, case when $11::text is null then null else $12::uuid end
         returning id`,
      [org, riverside, purpose, status, d(days), from, to, extra.supervisor ?? null, users[by], extra.notes ?? null, extra.outcome ?? null, users['hub@demo.hubnet.test']],
    );
    for (const c of children) await sql(tx, `insert into hub_booking_child (booking_id, child_id, organisation_id) values ($1, $2, $3)`, [id, childIds[c], org]);
  };
  await booking('FAMILY_TIME', 'CONFIRMED', 2, '10:00', '11:30', [3], 'ssw@demo.hubnet.test', { supervisor: 'Contact worker: R. Ali', notes: 'Mum and grandmother; lunch after.' });
  await booking('SIBLING_CONTACT', 'REQUESTED', 4, '14:00', '16:00', [2, 8], 'ssw@demo.hubnet.test', { notes: 'Chloe and Isla: first time at the hub.' });
  await booking('DAY_CARE', 'REQUESTED', 1, '15:30', '18:00', [0], 'carer@demo.hubnet.test', { notes: 'After school while we are at a hospital appointment.' });
  await booking('DAY_CARE', 'CONFIRMED', -3, '15:30', '17:30', [1], 'carer@demo.hubnet.test', { outcome: 'TOOK_PLACE' });
  await booking('MEETING', 'CONFIRMED', 3, '10:00', '11:00', [5], 'liaison@demo.hubnet.test', { notes: 'Review with the child’s social worker.' });
  await booking('OTHER', 'CONFIRMED', 6, '09:30', '12:30', [], 'hub@demo.hubnet.test', { notes: 'Training morning for satellite carers.' });
}

/**
 * Sleepover consent for every child, so sleepovers can be confirmed: siblings share with each
 * other only, and one consent runs out soon, for the liaison worker to chase.
 */
async function addConsents({ tx, org, d, childIds }: Demo): Promise<void> {
  for (let i = 0; i < childIds.length; i++) {
    await sql(tx, `insert into sleepover_consent (organisation_id, child_id, given_by, given_on, expires_on, room_sharing, conditions) values ($1, $2, $3, $4, $5, $6, $7)`, [
      org,
      childIds[i],
      "Northshire Children's Services, team manager",
      d(-365),
      i === 5 ? d(10) : null,
      [0, 1, 3, 4].includes(i) ? 'SIBLINGS' : 'OTHER_CHILDREN',
      i === 2 ? 'Not on the night before contact.' : null,
    ]);
  }
}
