import { createClient } from 'graphql-ws';
import Redis from 'ioredis';
import pg from 'pg';
import WebSocket from 'ws';
import { TokenService } from '../../src/auth/tokens';
import { toGlobalId as gid } from '../../src/platform/graphql/ids';
import { addDays, todayLondon } from '../../src/platform/time';
import { SLEEPOVER_TOPIC } from '../../src/sleepovers/sleepover.events';
import { HUB_BOOKING_TOPIC } from '../../src/venue/venue.events';
import { startServiceProcess, type ServiceProcess } from '../support/process';

/**
 * Two real service processes on one PostgreSQL database and one Redis, as production runs
 * replicas behind a load balancer. The races are split across both, so nothing that lives in
 * one process (a lock, a cache, a pub/sub) can be what keeps them right: only the database can.
 * Real PostgreSQL only: the embedded database is one connection inside one process.
 */
const EMBEDDED = process.env.HUBNET_TEST_EMBEDDED === '1';
if (EMBEDDED) {
  console.log('two-replicas.test.ts skipped: it needs a real PostgreSQL (set TEST_DATABASE_URL) and Redis; the embedded database is single-process.');
}
const suite = EMBEDDED ? describe.skip : describe;

jest.setTimeout(180_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = 'two-replicas-secret-0123456789';
const day = (n: number) => addDays(todayLondon(), n);

interface World {
  org: string;
  k: string;
  hubCarer: string;
  liaison: string;
  satellites: string[];
  children: { id: string; household: string }[];
  sessionCarers: { carerId: string; userId: string }[];
  session: string;
}

suite('two replicas on one database and one Redis', () => {
  let admin: pg.Client;
  let db: pg.Client;
  let dbName: string;
  let r1: ServiceProcess;
  let r2: ServiceProcess;
  let w: World;
  const tokens = new TokenService(JWT_SECRET);
  const token = (userId: string) => tokens.issue(userId, w.org);

  async function gql(r: ServiceProcess, tok: string, query: string, variables: Record<string, unknown>) {
    const res = await fetch(r.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tok}` }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as { data: any; errors?: unknown[] };
  }

  const one = async (text: string, params: unknown[] = []) => (await db.query(text, params)).rows[0];

  async function seed(): Promise<World> {
    const org = (await one(`insert into organisation (name, kind) values ('Replica Council', 'LOCAL_AUTHORITY') returning id`)).id;
    const user = async (role: string, name: string) =>
      (
        await one(`insert into app_user (organisation_id, email, name, role, password_hash, active) values ($1, $2, $3, $4, 'not-a-login', true) returning id`, [
          org,
          `${name.toLowerCase().replace(/\W+/g, '.')}@replicas.test`,
          name,
          role,
        ])
      ).id as string;
    const household = async (name: string) =>
      (
        await one(
          `insert into household (organisation_id, name, postcode_district, is_kinship, status, approval_min_age, approval_max_age, approval_max_children, approval_kinds, approved_on)
         values ($1, $2, 'LS6', false, 'APPROVED', 0, 17, 3, $3, $4) returning id`,
          [org, name, ['SHORT_TERM', 'LONG_TERM', 'EMERGENCY', 'RESPITE'], day(-1000)],
        )
      ).id as string;
    const carer = async (h: string, name: string, login: boolean) => {
      const userId = login ? await user('CARER', name) : null;
      return { carerId: (await one(`insert into carer (organisation_id, household_id, name, user_id) values ($1, $2, $3, $4) returning id`, [org, h, name, userId])).id as string, userId };
    };

    const liaison = await user('LIAISON_WORKER', 'Lee Liaison');
    const hub = await household('Replica Hub');
    const k = (await one(`insert into constellation (organisation_id, name, status, liaison_worker_id, sleepover_beds) values ($1, 'Replica Riverside', 'ACTIVE', $2, 2) returning id`, [org, liaison]))
      .id as string;
    await db.query(`insert into hub_bed (constellation_id, bed, organisation_id) select $1, b, $2 from generate_series(1, 2) b`, [k, org]);
    await db.query(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'HUB', $4)`, [org, k, hub, day(-500)]);
    const hubCarer = (await carer(hub, 'Hana Hub', true)).userId!;

    // Ten satellites, three children placed with each (30 children), four carers with logins each (40).
    const satellites: string[] = [];
    const children: World['children'] = [];
    const sessionCarers: World['sessionCarers'] = [];
    for (let i = 0; i < 10; i++) {
      const h = await household(`Satellite ${i}`);
      satellites.push(h);
      await db.query(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'SATELLITE', $4)`, [org, k, h, day(-400)]);
      for (let c = 0; c < 3; c++) {
        const child = (
          await one(`insert into child (organisation_id, reference, first_name, date_of_birth) values ($1, $2, $3, $4) returning id`, [org, `REP-${i}-${c}`, `Kid${i}${c}`, day(-9 * 365)])
        ).id;
        await db.query(`insert into placement (organisation_id, child_id, household_id, setting, kind, start_date) values ($1, $2, $3, 'FOSTER_HOUSEHOLD', 'LONG_TERM', $4)`, [
          org,
          child,
          h,
          day(-200),
        ]);
        await db.query(`insert into sleepover_consent (organisation_id, child_id, given_by, given_on, room_sharing) values ($1, $2, 'Replica CSC', $3, 'OTHER_CHILDREN')`, [org, child, day(-300)]);
        children.push({ id: child, household: h });
      }
      for (let c = 0; c < 4; c++) {
        const x = await carer(h, `Carer ${i}.${c}`, true);
        sessionCarers.push({ carerId: x.carerId, userId: x.userId! });
      }
    }
    const session = (
      await one(
        `insert into peer_support_session (organisation_id, constellation_id, kind, title, starts_at, ends_at, capacity, status)
       values ($1, $2, 'SUPPORT_GROUP', 'Ten places', now() + interval '3 days', now() + interval '3 days 2 hours', 10, 'SCHEDULED') returning id`,
        [org, k],
      )
    ).id as string;
    return { org, k, hubCarer, liaison, satellites, children, sessionCarers, session };
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    dbName = `hubnet_replicas_${process.pid}_${Date.now().toString(36)}`;
    await admin.query(`create database ${dbName}`);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${dbName}`;
    const env = { DATABASE_URL: url.toString(), REDIS_URL, JWT_SECRET, HUBNET_WORKER: '0' };
    r1 = await startServiceProcess(env); // migrates the new database
    r2 = await startServiceProcess({ ...env, HUBNET_SKIP_MIGRATIONS: '1' });
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    w = await seed();
  });

  afterAll(async () => {
    await r1?.stop();
    await r2?.stop();
    await db?.end();
    if (admin) {
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  });

  test('(a) 30 confirmations at a 2-bed hub, split across both replicas at once: no night over, no bed shared, every loser NO_BED_AVAILABLE', async () => {
    // 30 requests, one child each, for 1–3 nights within one week: heavily overlapping.
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const c = w.children[i];
      const start = day(5 + (i % 6));
      const end = day(5 + (i % 6) + 1 + (i % 3));
      const s = await one(
        `insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date) values ($1, $2, $3, 'PLANNED', 'REQUESTED', $4, $5) returning id`,
        [w.org, w.k, c.household, start, end],
      );
      await db.query(`insert into sleepover_child (sleepover_id, child_id, organisation_id) values ($1, $2, $3)`, [s.id, c.id, w.org]);
      ids.push(s.id);
    }
    const hubTok = await token(w.hubCarer);
    const liaisonTok = await token(w.liaison);
    const CONFIRM = `mutation($i: SleepoverDecisionInput!) { confirmSleepover(input: $i) { sleepover { id status beds } userErrors { code message } } }`;
    const results = await Promise.all(
      ids.map((id, i) => (i % 2 === 0 ? gql(r1, hubTok, CONFIRM, { i: { sleepoverId: gid('Sleepover', id) } }) : gql(r2, liaisonTok, CONFIRM, { i: { sleepoverId: gid('Sleepover', id) } }))),
    );

    const errors = results.filter((r) => r.errors);
    expect(errors).toEqual([]);
    const won = results.filter((r) => r.data.confirmSleepover.userErrors.length === 0);
    const lost = results.filter((r) => r.data.confirmSleepover.userErrors.length > 0);
    expect(won.every((r) => r.data.confirmSleepover.sleepover.status === 'CONFIRMED')).toBe(true);
    expect(lost.map((r) => r.data.confirmSleepover.userErrors.map((e: { code: string }) => e.code).join())).toEqual(lost.map(() => 'NO_BED_AVAILABLE'));

    // What the database holds: at most 2 children a night, never two on one bed on one night.
    const perNight = await db.query(
      `select d::date as night, count(*)::int as children, count(distinct bed)::int as beds
         from bed_claim b, generate_series(b.start_date, b.end_date - 1, interval '1 day') d
        where b.constellation_id = $1 and not b.is_block group by d order by d`,
      [w.k],
    );
    const worst = Math.max(...perNight.rows.map((r) => r.children));
    expect(worst).toBeLessThanOrEqual(2);
    expect(perNight.rows.every((r) => r.children === r.beds)).toBe(true);
    const stored = await db.query(`select status, count(*)::int as n from sleepover where id = any($1::uuid[]) group by status order by status`, [ids]);
    const byStatus = Object.fromEntries(stored.rows.map((r) => [r.status, r.n]));
    expect(byStatus.CONFIRMED ?? 0).toBe(won.length);
    expect(byStatus.REQUESTED ?? 0).toBe(lost.length);
    // The 7 nights have 14 bed-nights; with 30 overlapping asks the hub fills and some must lose.
    expect(won.length).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThan(0);
    console.log(
      `sleepover race across 2 replicas: ${won.length} confirmed, ${lost.length} NO_BED_AVAILABLE, 0 errors; busiest night ${worst} children; nights ${perNight.rows.map((r) => r.children).join(' ')}`,
    );
  });

  test('(b) 40 RSVPs to a 10-place session, split across both replicas at once: 10 GOING, 30 WAITLISTED', async () => {
    const RSVP = `mutation($i: RsvpInput!) { rsvpPeerSupportSession(input: $i) { rsvp { status waitlistPosition } userErrors { code message } } }`;
    const toks = await Promise.all(w.sessionCarers.map((c) => token(c.userId)));
    const results = await Promise.all(toks.map((tok, i) => gql(i % 2 === 0 ? r1 : r2, tok, RSVP, { i: { sessionId: gid('PeerSupportSession', w.session), going: true } })));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(results.flatMap((r) => r.data.rsvpPeerSupportSession.userErrors)).toEqual([]);
    const answered = results.map((r) => r.data.rsvpPeerSupportSession.rsvp.status as string);
    const going = answered.filter((s) => s === 'GOING').length;
    const waitlisted = answered.filter((s) => s === 'WAITLISTED').length;
    expect([going, waitlisted]).toEqual([10, 30]);
    const stored = await db.query(`select status, count(*)::int as n from session_rsvp where session_id = $1 group by status order by status`, [w.session]);
    expect(Object.fromEntries(stored.rows.map((r) => [r.status, r.n]))).toEqual({ GOING: 10, WAITLISTED: 30 });
    // Waitlist positions are 1..30, each once.
    const positions = results
      .map((r) => r.data.rsvpPeerSupportSession.rsvp.waitlistPosition)
      .filter((p) => p != null)
      .sort((a, b) => a - b);
    expect(new Set(positions).size).toBe(30);
    console.log(`RSVP race across 2 replicas: ${going} GOING, ${waitlisted} WAITLISTED (database: ${JSON.stringify(stored.rows)})`);
  });

  test('(d) 12 confirmations of hub bookings for one afternoon, split across both replicas at once: exactly one confirmed, the rest OVERLAP, no errors', async () => {
    // Twelve requests that all share 14:00–15:00 London time three days from now.
    const london = (hhmm: string) => one(`select (($1::date + $2::time) at time zone 'Europe/London') as t`, [day(3), hhmm]);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const from = (await london(`13:${String(i * 4).padStart(2, '0')}`)).t;
      const to = (await london(`1${5 + (i % 3)}:00`)).t;
      const b = await one(
        `insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day) values ($1, $2, 'MEETING', 'REQUESTED', $3, $4, $5) returning id`,
        [w.org, w.k, from, to, day(3)],
      );
      ids.push(b.id);
    }
    const hubTok = await token(w.hubCarer);
    const liaisonTok = await token(w.liaison);
    const CONFIRM = `mutation($i: HubBookingDecisionInput!) { confirmHubBooking(input: $i) { booking { id status } userErrors { code message subjectIds } } }`;
    const results = await Promise.all(ids.map((id, i) => gql(i % 2 === 0 ? r1 : r2, i % 2 === 0 ? hubTok : liaisonTok, CONFIRM, { i: { bookingId: gid('HubBooking', id) } })));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const won = results.filter((r) => r.data.confirmHubBooking.userErrors.length === 0);
    const lost = results.filter((r) => r.data.confirmHubBooking.userErrors.length > 0);
    expect(won.map((r) => r.data.confirmHubBooking.booking.status)).toEqual(['CONFIRMED']);
    expect(lost.map((r) => r.data.confirmHubBooking.userErrors.map((e: { code: string }) => e.code).join())).toEqual(Array(11).fill('OVERLAP'));
    const stored = await db.query(`select status, count(*)::int as n from hub_booking where id = any($1::uuid[]) group by status order by status`, [ids]);
    expect(Object.fromEntries(stored.rows.map((r) => [r.status, r.n]))).toEqual({ CONFIRMED: 1, REQUESTED: 11 });
    const clash = await db.query(
      `select count(*)::int as n from hub_booking a join hub_booking b on a.id < b.id and a.constellation_id = b.constellation_id and a.period && b.period
        where a.status = 'CONFIRMED' and b.status = 'CONFIRMED'`,
    );
    expect(clash.rows[0].n).toBe(0);
    const byDatabase = lost.filter((r) => r.data.confirmHubBooking.userErrors[0].subjectIds.length === 0).length;
    console.log(`hub booking race across 2 replicas: 1 confirmed, 11 OVERLAP (${byDatabase} refused by the exclusion constraint, ${11 - byDatabase} by the check before it), 0 errors`);
  });

  test('(c) a subscriber on replica 1 hears a sleepover confirmed on replica 2', async () => {
    const redis = new Redis(REDIS_URL);
    const events: any[] = [];
    let connected = false;
    const client = createClient({
      url: r1.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await token(w.liaison)}` },
      retryAttempts: 0,
      on: { connected: () => void (connected = true) },
    });
    try {
      const numsub = async () => ((await redis.pubsub('NUMSUB', SLEEPOVER_TOPIC)) as [string, number])[1];
      const before = await numsub();
      client.subscribe(
        { query: `subscription($k: ID) { sleepoverChanged(constellationId: $k) { kind sleepoverId sleepover { status } } }`, variables: { k: gid('Constellation', w.k) } },
        {
          next: (v) => void events.push(v.data?.sleepoverChanged ?? { errors: v.errors }),
          error: (e) => void events.push({ error: String(e) }),
          complete: () => undefined,
        },
      );
      const until = async (cond: () => boolean | Promise<boolean>, ms: number) => {
        const deadline = Date.now() + ms;
        while (!(await cond()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        return cond();
      };
      expect(await until(() => connected, 10_000)).toBe(true);
      // Other test files may share this Redis: wait for our subscription to be counted, not for zero.
      await until(async () => (await numsub()) > before, 10_000);

      // The hub carer books on replica 2 (confirmed at once): a child of satellite 9 on a free week.
      const child = w.children[29];
      const r = await gql(r2, await token(w.hubCarer), `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { id status } userErrors { code message } } }`, {
        i: { constellationId: gid('Constellation', w.k), childIds: [gid('Child', child.id)], startDate: day(20), endDate: day(21) },
      });
      expect(r.errors).toBeUndefined();
      expect(r.data.requestSleepover.userErrors).toEqual([]);
      const id = r.data.requestSleepover.sleepover.id;
      const started = Date.now();
      expect(await until(() => events.some((e) => e.sleepoverId === id), 10_000)).toBe(true);
      expect(events.find((e) => e.sleepoverId === id)).toEqual({ kind: 'CONFIRMED', sleepoverId: id, sleepover: { status: 'CONFIRMED' } });
      console.log(`subscription across replicas: CONFIRMED on replica 2 reached the subscriber on replica 1 in ${Date.now() - started} ms`);
    } finally {
      await client.dispose();
      redis.disconnect();
    }
  });
  test('(e) a satellite carer subscribed on replica 1 hears, as busy time only, a hub booking confirmed on replica 2', async () => {
    const redis = new Redis(REDIS_URL);
    const events: any[] = [];
    let connected = false;
    // A carer of satellite 0 (no child of theirs in the booking).
    const carer = w.sessionCarers[0].userId;
    const client = createClient({
      url: r1.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${await token(carer)}` },
      retryAttempts: 0,
      on: { connected: () => void (connected = true) },
    });
    try {
      const numsub = async () => ((await redis.pubsub('NUMSUB', HUB_BOOKING_TOPIC)) as [string, number])[1];
      const before = await numsub();
      client.subscribe(
        { query: `subscription { hubBookingChanged { kind booking { id status purpose children { firstName } } } }` },
        {
          next: (v) => void events.push(v.data?.hubBookingChanged ?? { errors: v.errors }),
          error: (e) => void events.push({ error: String(e) }),
          complete: () => undefined,
        },
      );
      const until = async (cond: () => boolean | Promise<boolean>, ms: number) => {
        const deadline = Date.now() + ms;
        while (!(await cond()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
        return cond();
      };
      expect(await until(() => connected, 10_000)).toBe(true);
      await until(async () => (await numsub()) > before, 10_000);
      // The hub carer books day care for a child of satellite 9 on replica 2: confirmed at once.
      const london = async (hhmm: string) => (await one(`select (($1::date + $2::time) at time zone 'Europe/London') as t`, [day(9), hhmm])).t;
      const r = await gql(r2, await token(w.hubCarer), `mutation($i: RequestHubBookingInput!) { requestHubBooking(input: $i) { booking { id status } userErrors { code message } } }`, {
        i: {
          constellationId: gid('Constellation', w.k),
          purpose: 'DAY_CARE',
          childIds: [gid('Child', w.children[29].id)],
          startsAt: new Date(await london('15:00')).toISOString(),
          endsAt: new Date(await london('17:00')).toISOString(),
        },
      });
      expect(r.errors).toBeUndefined();
      expect(r.data.requestHubBooking.userErrors).toEqual([]);
      const id = r.data.requestHubBooking.booking.id;
      expect(await until(() => events.some((e) => e.booking?.id === id), 10_000)).toBe(true);
      expect(events.find((e) => e.booking?.id === id)).toEqual({ kind: 'CONFIRMED', booking: { id, status: 'CONFIRMED', purpose: null, children: null } });
    } finally {
      await client.dispose();
      redis.disconnect();
    }
  });

  /**
   * The night rules across replicas: a new hub in the same organisation, 8 waiting sleepovers of
   * unrelated children for one night, each confirmed by the hub carer on replica 1 and the liaison
   * worker on replica 2 at once. Rooms: children who may not share, one two-bed room. Limit: a hub
   * with two children of its own and four beds.
   */
  async function rulesRace(consent: string, beds: number, ownChildren: number) {
    const household = async (name: string) =>
      (
        await one(
          `insert into household (organisation_id, name, postcode_district, is_kinship, status, approval_min_age, approval_max_age, approval_max_children, approval_kinds, approved_on)
         values ($1, $2, 'LS6', false, 'APPROVED', 0, 17, 20, $3, $4) returning id`,
          [w.org, name, ['SHORT_TERM', 'LONG_TERM', 'EMERGENCY', 'RESPITE'], day(-1000)],
        )
      ).id as string;
    const child = async (name: string, h: string) => {
      const c = (await one(`insert into child (organisation_id, reference, first_name, date_of_birth) values ($1, $2, $3, $4) returning id`, [w.org, `${name}-${Date.now()}`, name, day(-9 * 365)]))
        .id as string;
      await db.query(`insert into placement (organisation_id, child_id, household_id, setting, kind, start_date) values ($1, $2, $3, 'FOSTER_HOUSEHOLD', 'LONG_TERM', $4)`, [w.org, c, h, day(-200)]);
      await db.query(`insert into sleepover_consent (organisation_id, child_id, given_by, given_on, room_sharing) values ($1, $2, 'Replica CSC', $3, $4)`, [w.org, c, day(-300), consent]);
      return c;
    };
    const hub = await household(`Rules Hub ${consent}`);
    const k = (
      await one(`insert into constellation (organisation_id, name, status, liaison_worker_id, sleepover_beds) values ($1, $2, 'ACTIVE', $3, $4) returning id`, [
        w.org,
        `Rules ${consent}`,
        w.liaison,
        beds,
      ])
    ).id as string;
    await db.query(`insert into hub_bed (constellation_id, bed, organisation_id) select $1, b, $2 from generate_series(1, $3::int) b`, [k, w.org, beds]);
    await db.query(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'HUB', $4)`, [w.org, k, hub, day(-500)]);
    const hubUser = (
      await one(`insert into app_user (organisation_id, email, name, role, password_hash, active) values ($1, $2, 'Rules Hub Carer', 'CARER', 'not-a-login', true) returning id`, [
        w.org,
        `rules-hub-${consent.toLowerCase()}@replicas.test`,
      ])
    ).id as string;
    await db.query(`insert into carer (organisation_id, household_id, name, user_id) values ($1, $2, 'Rules Hub Carer', $3)`, [w.org, hub, hubUser]);
    for (let i = 0; i < ownChildren; i++) await child(`Own${i}`, hub);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const sat = await household(`Rules Sat ${consent} ${i}`);
      await db.query(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'SATELLITE', $4)`, [w.org, k, sat, day(-400)]);
      const c = await child(`Racer${i}`, sat);
      const s = await one(
        `insert into sleepover (organisation_id, constellation_id, household_id, kind, status, start_date, end_date) values ($1, $2, $3, 'PLANNED', 'REQUESTED', $4, $5) returning id`,
        [w.org, k, sat, day(20), day(22)],
      );
      await db.query(`insert into sleepover_child (sleepover_id, child_id, organisation_id) values ($1, $2, $3)`, [s.id, c, w.org]);
      ids.push(s.id);
    }
    const hubTok = await token(hubUser);
    const liaisonTok = await token(w.liaison);
    const CONFIRM = `mutation($i: SleepoverDecisionInput!) { confirmSleepover(input: $i) { sleepover { id status } userErrors { code } } }`;
    const results = await Promise.all(
      ids.flatMap((id) => [gql(r1, hubTok, CONFIRM, { i: { sleepoverId: gid('Sleepover', id) } }), gql(r2, liaisonTok, CONFIRM, { i: { sleepoverId: gid('Sleepover', id) } })]),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const losers = results.map((r) => r.data.confirmSleepover.userErrors.map((e: { code: string }) => e.code).join()).filter((c) => c);
    const confirmed = (await one(`select count(*)::int as n from sleepover where constellation_id = $1 and status = 'CONFIRMED'`, [k])).n;
    return { confirmed, losers };
  }

  test('(d) 16 confirmations of children who may not share into one two-bed room, across both replicas: one confirmed, the rest NO_BED_AVAILABLE', async () => {
    const r = await rulesRace('OWN_ROOM', 2, 0);
    expect(r.confirmed).toBe(1);
    expect(r.losers.length).toBeGreaterThanOrEqual(14);
    expect(new Set(r.losers)).toEqual(new Set(['NO_BED_AVAILABLE']));
    console.log(`room race across 2 replicas: 1 confirmed, ${r.losers.length} NO_BED_AVAILABLE, 0 errors`);
  });

  test('(e) 16 confirmations at a hub with two children of its own, across both replicas: one more fits the fostering limit, the rest FOSTERING_LIMIT', async () => {
    const r = await rulesRace('OTHER_CHILDREN', 4, 2);
    expect(r.confirmed).toBe(1);
    expect(r.losers.length).toBeGreaterThanOrEqual(14);
    expect(new Set(r.losers)).toEqual(new Set(['FOSTERING_LIMIT']));
    console.log(`fostering-limit race across 2 replicas: 1 confirmed, ${r.losers.length} FOSTERING_LIMIT, 0 errors`);
  });
});
