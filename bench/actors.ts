import pg from 'pg';
import { addDays, todayLondon } from '../src/platform/time';
import { DEFAULT_AS_OF } from './seed/national';

export interface BenchActors {
  organisationId: string;
  constellationId: string;
  hubCarerUserId: string;
  carerUserId: string;
  managerUserId: string;
  rsvpCarers: { carerId: string; userId: string }[];
  sessionId: string;
  sleepoverChildren: string[];
  /** A child without needs, and one as like it as the data set has but with needs (one essential at least): placementMatches for each. */
  matchChildId: string;
  matchChildWithNeedsId: string;
  /** The organisation with the most constellations, a manager of it, and its constellation with the most support entries in the year to `to` (the data set's asOf date). */
  returns: { organisationId: string; managerUserId: string; constellationId: string; to: string };
}

/**
 * What the national generator leaves out and the benchmarks need: logins for the people whose
 * screens are measured (on a busy, active constellation of the largest organisation), the data
 * set's peer-support sessions (50 per constellation, 50,000 in all), standing sleepover consents
 * for the children the hub books, the hub's bookings for today and the week ahead (the data set's
 * bookings end a month after its asOf date), and a manager of the organisation with the most
 * constellations, for its returns. Idempotent.
 */
export async function seedBenchExtras(url: string): Promise<BenchActors> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const q: Query = async (text, params = []) => (await db.query(text, params)).rows;
    const k = await busiestConstellation(q);
    const logins = await benchLogins(q, k);
    await writeBedClaims(q);
    const sessionId = await benchSessions(q, k);
    const sleepoverChildren = await hubChildren(q, k);
    await benchConsents(q, k, sleepoverChildren);
    await benchBookings(q, k, logins.managerUserId, sleepoverChildren);
    const { match, matchWithNeeds } = await matchChildren(q, k);
    const returns = await returnsActors(q);
    return {
      organisationId: k.organisation_id,
      constellationId: k.id,
      ...logins,
      sessionId,
      sleepoverChildren,
      matchChildId: match.id,
      matchChildWithNeedsId: matchWithNeeds.id,
      returns,
    };
  } finally {
    await db.end();
  }
}

type Query = (text: string, params?: unknown[]) => Promise<pg.QueryResultRow[]>;

/** The active constellation with an approved hub that has the most satellites today. */
async function busiestConstellation(q: Query): Promise<pg.QueryResultRow> {
  const [k] = await q(`
      select k.id, k.organisation_id, hm.household_id as hub_id, count(sm.id) as satellites
        from constellation k
        join constellation_membership hm on hm.constellation_id = k.id and hm.role = 'HUB' and hm.period @> current_date
        join household h on h.id = hm.household_id and h.status = 'APPROVED'
        join constellation_membership sm on sm.constellation_id = k.id and sm.role = 'SATELLITE' and sm.period @> current_date
       where k.status = 'ACTIVE' and exists (select 1 from carer c where c.household_id = hm.household_id)
       group by k.id, hm.household_id
       order by count(sm.id) desc, k.id limit 1`);
  if (!k) throw new Error('no active constellation with an approved hub in the data set');
  return k;
}

/** Logins for the hub carer, every satellite carer (for RSVPs) and a manager; the carer is one with a child placed today. */
async function benchLogins(q: Query, k: pg.QueryResultRow): Promise<Pick<BenchActors, 'hubCarerUserId' | 'carerUserId' | 'managerUserId' | 'rsvpCarers'>> {
  const login = (email: string, role: string, carerId: string | null) => loginOf(q, k.organisation_id as string, email, role, carerId);
  const [hubCarer] = await q(`select id, user_id from carer where household_id = $1 order by name, id limit 1`, [k.hub_id]);
  const hubCarerUserId = hubCarer.user_id ?? (await login('bench-hub@bench.test', 'CARER', hubCarer.id));
  const satelliteCarers = await q(
    `select c.id, c.user_id, c.household_id from carer c join constellation_membership m on m.household_id = c.household_id
        where m.constellation_id = $1 and m.role = 'SATELLITE' and m.period @> current_date order by c.household_id, c.name, c.id`,
    [k.id],
  );
  const rsvpCarers: { carerId: string; userId: string }[] = [];
  for (const [i, c] of satelliteCarers.entries()) {
    rsvpCarers.push({ carerId: c.id, userId: c.user_id ?? (await login(`bench-carer-${i}@bench.test`, 'CARER', c.id)) });
  }
  const [placed] = await q(
    `select c.user_id from carer c join placement p on p.household_id = c.household_id and p.period @> current_date
        where c.id = any($1::uuid[]) limit 1`,
    [satelliteCarers.map((c) => c.id)],
  );
  const managerUserId = await login('bench-manager@bench.test', 'FOSTERING_MANAGER', null);
  return { hubCarerUserId, carerUserId: placed?.user_id ?? rsvpCarers[0].userId, managerUserId, rsvpCarers };
}

/**
 * The generator assigns beds to confirmed sleepovers but writes no claims; the availability the
 * dashboard shows reads the claims.
 */
async function writeBedClaims(q: Query): Promise<void> {
  const [{ claims }] = await q(`select count(*)::int as claims from bed_claim`);
  if (claims === 0) {
    await q(`insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id)
               select s.organisation_id, s.constellation_id, sc.bed, sc.start_date, sc.end_date, s.id, sc.child_id
                 from sleepover s join sleepover_child sc on sc.sleepover_id = s.id
                where s.status = 'CONFIRMED' and sc.active and sc.bed is not null`);
  }
}

/** Every constellation's sessions, once, and a session ahead for the RSVP scenario; its id ('' without the sessions table). */
async function benchSessions(q: Query, k: pg.QueryResultRow): Promise<string> {
  const hasSessions = (await q(`select to_regclass('peer_support_session') is not null as ok`))[0].ok;
  if (!hasSessions) return '';
  const [{ n }] = await q(`select count(*)::int n from peer_support_session`);
  if (n === 0) {
    // Fortnightly through the six years of history up to a few months ahead, for every constellation.
    await q(`
          insert into peer_support_session (organisation_id, constellation_id, kind, title, starts_at, ends_at, capacity, status)
          select k.organisation_id, k.id,
                 (array['CONSTELLATION_MEETING','SUPPORT_GROUP','TRAINING','SOCIAL_ACTIVITY','CHILDREN_ACTIVITY'])[1 + (i % 5)],
                 'Session ' || i, t, t + interval '90 minutes', case when i % 3 = 0 then null else 12 end, 'SCHEDULED'
            from constellation k, generate_series(0, 49) i,
                 lateral (select (current_date - 680 + i * 14 + 0)::timestamp at time zone 'Europe/London' + interval '19 hours' as t) s`);
  }
  const [s] = await q(
    `insert into peer_support_session (organisation_id, constellation_id, kind, title, starts_at, ends_at, capacity, status)
         select $1, $2, 'SUPPORT_GROUP', 'Bench RSVP session', now() + interval '30 days', now() + interval '30 days 90 minutes', 10, 'SCHEDULED'
         where not exists (select 1 from peer_support_session where constellation_id = $2 and title = 'Bench RSVP session')
         returning id`,
    [k.organisation_id, k.id],
  );
  return s?.id ?? (await q(`select id from peer_support_session where constellation_id = $1 and title = 'Bench RSVP session'`, [k.id]))[0].id;
}

/** The children placed today with the constellation's satellites: the ones the hub books sleepovers for. */
async function hubChildren(q: Query, k: pg.QueryResultRow): Promise<string[]> {
  const children = await q(
    `select p.child_id from placement p join constellation_membership m on m.household_id = p.household_id
      where m.constellation_id = $1 and m.role = 'SATELLITE' and m.period @> current_date and p.period @> current_date`,
    [k.id],
  );
  return children.map((c) => c.child_id as string);
}

/**
 * Without consent standing on a night no sleepover is confirmed (CONSENT_REQUIRED): every child
 * the hub books gets one, most allowing a shared bedroom and some not, so the bedroom rule
 * decides nights as in a real hub (its beds share one bedroom until its rooms are set).
 */
async function benchConsents(q: Query, k: pg.QueryResultRow, sleepoverChildren: string[]): Promise<void> {
  await q(
    `insert into sleepover_consent (organisation_id, child_id, given_by, given_on, room_sharing)
     select $1, c.id, 'Bench: the local authority', current_date - 200,
            (array['OTHER_CHILDREN','OTHER_CHILDREN','OTHER_CHILDREN','SIBLINGS','OWN_ROOM'])[1 + (row_number() over (order by c.id))::int % 5]
       from child c where c.id = any($2::uuid[]) and not exists (select 1 from sleepover_consent x where x.child_id = c.id)`,
    [k.organisation_id, sleepoverChildren],
  );
}

/**
 * The hub's day: a meeting, day care and family time on each day from today for a week (the data
 * set's bookings end a month after its asOf date), in slots that do not overlap.
 */
async function benchBookings(q: Query, k: pg.QueryResultRow, managerUserId: string, sleepoverChildren: string[]): Promise<void> {
  await q(
    `with days as (
       select d::date as day from generate_series($5::date, $5::date + 6, interval '1 day') d
        where not exists (select 1 from hub_booking b where b.constellation_id = $2 and b.london_day = d::date)
     ), slots(purpose, start_hour, end_hour, supervisor) as (
       values ('MEETING', 10, 11.5, null), ('DAY_CARE', 12, 15, null), ('FAMILY_TIME', 16, 17.5, 'Family support worker')
     ), made as (
       insert into hub_booking (organisation_id, constellation_id, purpose, status, starts_at, ends_at, london_day, supervisor, requested_by_id, notes)
       select $1, $2, s.purpose, 'CONFIRMED',
              (d.day + make_interval(secs => s.start_hour * 3600))::timestamp at time zone 'Europe/London',
              (d.day + make_interval(secs => s.end_hour * 3600))::timestamp at time zone 'Europe/London',
              d.day, s.supervisor, $3, 'Bench booking'
         from days d, slots s
       returning id, purpose, london_day
     )
     insert into hub_booking_child (booking_id, child_id, organisation_id)
     select m.id, ($4::uuid[])[1 + ((m.london_day - $5::date) * 2 + case m.purpose when 'DAY_CARE' then 0 else 1 end) % cardinality($4::uuid[])], $1
       from made m where m.purpose <> 'MEETING' and cardinality($4::uuid[]) > 0`,
    [k.organisation_id, k.id, managerUserId, sleepoverChildren, todayLondon()],
  );
}

/** A child without needs for placementMatches, and one as like it as the data set has but with needs. */
async function matchChildren(q: Query, k: pg.QueryResultRow): Promise<{ match: pg.QueryResultRow; matchWithNeeds: pg.QueryResultRow }> {
  const [match] = await q(
    `select c.id from child c join placement p on p.child_id = c.id and p.period @> current_date
      where c.organisation_id = $1 and not exists (select 1 from child_need n where n.child_id = c.id)
      order by c.date_of_birth between current_date - 3650 and current_date - 2500 desc, c.id limit 1`,
    [k.organisation_id],
  );
  // A child of seven to ten where there is one; the data set ages with the calendar, and on some
  // days every such child of the organisation has needs.
  if (!match) throw new Error('no child without needs is placed today in the organisation of the busiest constellation');
  // The child with needs is as like that child as the data set has: an essential need at least,
  // and, where such a child exists, the same age (so the same households' approvals), then the
  // same number of siblings, then two needs, then placements as near in number as can be.
  const [matchWithNeeds] = await q(
    `with m as (select c.organisation_id, c.date_of_birth, (select count(*) from placement x where x.child_id = c.id) as placements,
                       (select count(*) from child_sibling s where s.child_id = c.id) as siblings
                  from child c where c.id = $1)
     select c.id from m, child c join placement p on p.child_id = c.id and p.period @> current_date
      where c.organisation_id = m.organisation_id
        and exists (select 1 from child_need n where n.child_id = c.id and n.essential)
      order by date_part('year', age(current_date, c.date_of_birth)) = date_part('year', age(current_date, m.date_of_birth)) desc,
               (select count(*) from child_sibling s where s.child_id = c.id) = m.siblings desc,
               (select count(*) from child_need n where n.child_id = c.id) >= 2 desc,
               abs((select count(*) from placement x where x.child_id = c.id) - m.placements), c.id
      limit 1`,
    [match.id],
  );
  if (!matchWithNeeds) throw new Error('no child with an essential need is placed today in the organisation of the busiest constellation');

  return { match, matchWithNeeds };
}

/**
 * The returns: the organisation with the most constellations, a manager of it, and its busiest
 * constellation (most support entries) in the year to the data set's asOf date.
 */
async function returnsActors(q: Query): Promise<BenchActors['returns']> {
  const returnsTo = DEFAULT_AS_OF;
  const [returnsOrg] = await q(`select organisation_id as id from constellation group by 1 order by count(*) desc, 1 limit 1`);
  const [busiest] = await q(
    `select constellation_id as id from support_log_entry where organisation_id = $1 and at >= $2::date and at < $3::date + 1
      group by 1 order by count(*) desc, 1 limit 1`,
    [returnsOrg.id, addDays(returnsTo, -364), returnsTo],
  );
  const managerUserId = await loginOf(q, returnsOrg.id, 'bench-returns-manager@bench.test', 'FOSTERING_MANAGER', null);
  return { organisationId: returnsOrg.id, managerUserId, constellationId: busiest.id, to: returnsTo };
}

/** A login for the bench (tokens are signed directly), tied to a carer record when one is given. */
async function loginOf(q: Query, organisationId: string, email: string, role: string, carerId: string | null): Promise<string> {
  const [u] = await q(
    `insert into app_user (organisation_id, email, name, role, password_hash) values ($1, $2, $3, $4, 'bench: tokens are signed directly')
       on conflict (email) do update set active = true returning id`,
    [organisationId, email, email.split('@')[0], role],
  );
  if (carerId) await q(`update carer set user_id = $1 where id = $2 and (user_id is null or user_id = $1)`, [u.id, carerId]);
  return u.id as string;
}
