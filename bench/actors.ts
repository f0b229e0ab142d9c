import pg from 'pg';

export interface BenchActors {
  organisationId: string;
  constellationId: string;
  hubCarerUserId: string;
  carerUserId: string;
  managerUserId: string;
  rsvpCarers: { carerId: string; userId: string }[];
  sessionId: string;
  sleepoverChildren: string[];
  matchChildId: string;
}

/**
 * What the national generator leaves out and the benchmarks need: logins for the people whose
 * screens are measured (on a busy, active constellation of the largest organisation), and the
 * data set's peer-support sessions (50 per constellation, 50,000 in all). Idempotent.
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
    const children = await q(
      `select p.child_id from placement p join constellation_membership m on m.household_id = p.household_id
        where m.constellation_id = $1 and m.role = 'SATELLITE' and m.period @> current_date and p.period @> current_date`,
      [k.id],
    );
    const [match] = await q(
      `select c.id from child c join placement p on p.child_id = c.id and p.period @> current_date
        where c.organisation_id = $1 and c.date_of_birth between current_date - 3650 and current_date - 2500 order by c.id limit 1`,
      [k.organisation_id],
    );
    return {
      organisationId: k.organisation_id,
      constellationId: k.id,
      ...logins,
      sessionId,
      sleepoverChildren: children.map((c) => c.child_id),
      matchChildId: match.id,
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
  const login = async (email: string, role: string, carerId: string | null) => {
    const [u] = await q(
      `insert into app_user (organisation_id, email, name, role, password_hash) values ($1, $2, $3, $4, 'bench: tokens are signed directly')
         on conflict (email) do update set active = true returning id`,
      [k.organisation_id, email, email.split('@')[0], role],
    );
    if (carerId) await q(`update carer set user_id = $1 where id = $2 and (user_id is null or user_id = $1)`, [u.id, carerId]);
    return u.id as string;
  };
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
