import type { EntityManager } from '@mikro-orm/postgresql';
import { DeregistrationReason } from '../households/enums';
import { sql, type SqlOptions } from '../platform/db/sql';
import { ZONE } from '../platform/time';
import { constellationStabilityReports, stabilityReport, type StabilityReport } from '../stability/stability.service';

/**
 * The constellation return (docs/returns.md has every definition and the choices made where the
 * contract leaves room). Each figure group is one set-based statement over every constellation
 * asked (and the comparison group), so a return for a whole organisation costs the same number of
 * statements as one for a single constellation. The stability figures are today's stability report:
 * one statement for every constellation asked, and one for the comparison group.
 */

/** Every statement of a return is planned for its own values: see SqlOptions.planEachTime. */
const REPORT: SqlOptions = { planEachTime: true };

export interface SleepoverFigures {
  requested: number;
  emergencyRequested: number;
  confirmed: number;
  declined: number;
  nightsUsed: number;
  bedNightsAvailable: number;
  occupancyRate: number | null;
  householdsUsing: number;
  childrenUsing: number;
}

export interface SessionFigures {
  held: number;
  cancelled: number;
  attendances: number;
  householdsAttending: number;
}

export interface SupportFigures {
  contacts: number;
  outOfHours: number;
  householdsSupported: number;
  placementsAtRisk: number;
  atRiskAssessed: number;
  atRiskPlacementsHeld: number;
  wouldHaveEnded: number;
  wouldHaveResigned: number;
  safeguardingConcerns: number;
}

export interface ContactFigures {
  familyTimeBooked: number | null;
  familyTimeTookPlace: number | null;
  siblingContactBooked: number | null;
  siblingContactTookPlace: number | null;
  separatedSiblings: number;
  separatedSiblingsWithContact: number;
}

export interface ReasonCount {
  reason: DeregistrationReason;
  count: number;
}

export interface RetentionFigures {
  householdsAtStart: number;
  /** Every reason's count; the resolver hides it from those who may not see it. */
  deregistered: ReasonCount[];
  retentionRate: number | null;
}

export interface ReturnFigures {
  /** Null for the comparison group. */
  constellationId: string | null;
  from: string;
  to: string;
  stability: StabilityReport;
  sleepovers: SleepoverFigures | null;
  sessions: SessionFigures | null;
  support: SupportFigures | null;
  contact: ContactFigures;
  retention: RetentionFigures;
}

export interface ReturnsInput {
  organisationId: string;
  /** Constellations of the organisation, in the order wanted (ids of other organisations give zeros). */
  constellationIds: string[];
  /** Add the comparison group (households in no constellation) after them. */
  comparison: boolean;
  from: string;
  to: string;
  /** Now: decides which sessions have been held and which at-risk episodes have had their 90 days. */
  now: Date;
  today: string;
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);

/** [from, to] as London days, as instants: index-friendly bounds for timestamptz columns. */
const LO = (from: string) => `(${from}::date::timestamp at time zone '${ZONE}')`;
const HI = (to: string) => `((${to}::date + 1)::timestamp at time zone '${ZONE}')`;
const LONDON_DAY = (col: string) => `(${col} at time zone '${ZONE}')::date`;

// ---------- sleepovers ($1 organisation, $2 from, $3 to, $4 constellations) ----------

const SLEEPOVERS_SQL = `
with ks as (
  select k.id, k.sleepover_beds,
         coalesce(k.launched_on, (select min(m.joined_on) from constellation_membership m where m.constellation_id = k.id)) as launched
    from constellation k where k.organisation_id = $1 and k.id = any($4::uuid[])
),
asked as (
  select s.constellation_id,
         count(*)::int as requested,
         (count(*) filter (where s.kind = 'EMERGENCY'))::int as emergency,
         (count(*) filter (where s.status = 'CONFIRMED'))::int as confirmed,
         (count(*) filter (where s.status = 'DECLINED'))::int as declined
    from sleepover s
   where s.organisation_id = $1 and s.constellation_id = any($4::uuid[])
     and s.created_at >= ${LO('$2')} and s.created_at < ${HI('$3')}
   group by s.constellation_id
),
used as (
  select s.constellation_id, s.household_id, sc.child_id, sc.nights * s.nights * daterange($2::date, $3::date + 1) as n
    from sleepover s join sleepover_child sc on sc.sleepover_id = s.id
   where s.organisation_id = $1 and s.constellation_id = any($4::uuid[]) and s.status = 'CONFIRMED' and sc.active
     and s.nights && daterange($2::date, $3::date + 1)
),
use_sum as (
  select constellation_id, coalesce(sum(upper(n) - lower(n)), 0)::int as nights,
         count(distinct household_id)::int as households, count(distinct child_id)::int as children
    from used where not isempty(n) group by constellation_id
),
avail as (
  select ks.id,
         case when w.r is null then 0
              else ks.sleepover_beds * ((upper(w.r) - lower(w.r)) - coalesce((
                select sum(upper(b) - lower(b))::int
                  from unnest((select range_agg(c.nights * w.r) from bed_claim c
                                where c.constellation_id = ks.id and c.is_block and c.nights && w.r)) as b), 0))
         end as beds
    from ks
    cross join lateral (
      select case when ks.launched is not null and greatest($2::date, ks.launched) <= $3::date
                  then daterange(greatest($2::date, ks.launched), $3::date + 1) end as r) w
)
select ks.id as constellation_id,
       coalesce(a.requested, 0) as requested, coalesce(a.emergency, 0) as emergency,
       coalesce(a.confirmed, 0) as confirmed, coalesce(a.declined, 0) as declined,
       coalesce(u.nights, 0) as nights, coalesce(u.households, 0) as households, coalesce(u.children, 0) as children,
       av.beds::int as beds
  from ks
  left join asked a on a.constellation_id = ks.id
  left join use_sum u on u.constellation_id = ks.id
  join avail av on av.id = ks.id`;

async function sleepoverFigures(em: EntityManager, i: ReturnsInput): Promise<Map<string, SleepoverFigures>> {
  const rows = await sql(em, SLEEPOVERS_SQL, [i.organisationId, i.from, i.to, i.constellationIds], REPORT);
  return new Map(
    rows.map((r) => [
      r.constellation_id,
      {
        requested: r.requested,
        emergencyRequested: r.emergency,
        confirmed: r.confirmed,
        declined: r.declined,
        nightsUsed: r.nights,
        bedNightsAvailable: r.beds,
        occupancyRate: rate(r.nights, r.beds),
        householdsUsing: r.households,
        childrenUsing: r.children,
      },
    ]),
  );
}

// ---------- sessions ($1 organisation, $2 from, $3 to, $4 constellations, $5 now) ----------

const SESSIONS_SQL = `
select s.constellation_id,
       (count(distinct s.id) filter (where s.status = 'SCHEDULED' and s.starts_at <= $5::timestamptz))::int as held,
       (count(distinct s.id) filter (where s.status = 'CANCELLED'))::int as cancelled,
       (count(r.carer_id) filter (where r.status = 'ATTENDED' and s.status = 'SCHEDULED'))::int as attendances,
       (count(distinct c.household_id) filter (
          where r.status = 'ATTENDED' and s.status = 'SCHEDULED'
            and exists (select 1 from constellation_membership m
                         where m.household_id = c.household_id and m.constellation_id = s.constellation_id
                           and m.role = 'SATELLITE' and m.period @> ${LONDON_DAY('s.starts_at')})))::int as households
  from peer_support_session s
  left join session_rsvp r on r.session_id = s.id
  left join carer c on c.id = r.carer_id
 where s.organisation_id = $1 and s.constellation_id = any($4::uuid[])
   and s.starts_at >= ${LO('$2')} and s.starts_at < ${HI('$3')}
 group by s.constellation_id`;

async function sessionFigures(em: EntityManager, i: ReturnsInput): Promise<Map<string, SessionFigures>> {
  const rows = await sql(em, SESSIONS_SQL, [i.organisationId, i.from, i.to, i.constellationIds, i.now.toISOString()], REPORT);
  return new Map(rows.map((r) => [r.constellation_id, { held: r.held, cancelled: r.cancelled, attendances: r.attendances, householdsAttending: r.households }]));
}

// ---------- support ($1 organisation, $2 from, $3 to, $4 constellations, $5 today) ----------

const NO_CHILD = `'00000000-0000-0000-0000-000000000000'::uuid`;

const SUPPORT_SQL = `
with recursive
-- Versions that have been corrected: few, so a hash anti-join beats a probe per entry.
amended as materialized (
  select a.amends_id from support_log_entry a
   where a.constellation_id = any($4::uuid[]) and a.amends_id is not null and a.organisation_id = $1
),
-- A chain counts as its latest version; a withdrawn chain counts nowhere.
latest as (
  select e.constellation_id, e.household_id, e.out_of_hours, e.would_have_ended, e.would_have_resigned, e.chain_safeguarding
    from support_log_entry e
   where e.organisation_id = $1 and e.constellation_id = any($4::uuid[]) and not e.recorded_in_error
     and e.at >= ${LO('$2')} and e.at < ${HI('$3')}
     and not exists (select 1 from amended a where a.amends_id = e.id)
),
basic as (
  select constellation_id,
         count(*)::int as contacts,
         (count(*) filter (where out_of_hours))::int as out_of_hours,
         count(distinct household_id)::int as households,
         (count(*) filter (where would_have_ended))::int as would_have_ended,
         (count(distinct household_id) filter (where would_have_resigned))::int as would_have_resigned,
         (count(*) filter (where chain_safeguarding))::int as safeguarding
    from latest group by constellation_id
),
-- At-risk entries (latest versions) in order per (constellation, household, child or none), from
-- the beginning: whether one opens an episode depends on the openings before it, however far back.
risk as materialized (
  select e.constellation_id, e.household_id, coalesce(e.child_id, ${NO_CHILD}) as pair_child, ${LONDON_DAY('e.at')} as d,
         row_number() over (partition by e.constellation_id, e.household_id, coalesce(e.child_id, ${NO_CHILD}) order by e.at, e.id) as rn
    from support_log_entry e
   where e.organisation_id = $1 and e.constellation_id = any($4::uuid[]) and e.placement_at_risk and not e.recorded_in_error
     and e.at < ${HI('$3')}
     and not exists (select 1 from amended a where a.amends_id = e.id)
),
walk as (
  select constellation_id, household_id, pair_child, rn, d, true as opens, d as last_open from risk where rn = 1
  union all
  select r.constellation_id, r.household_id, r.pair_child, r.rn, r.d, r.d - w.last_open > 30,
         case when r.d - w.last_open > 30 then r.d else w.last_open end
    from walk w join risk r on r.constellation_id = w.constellation_id and r.household_id = w.household_id
                           and r.pair_child = w.pair_child and r.rn = w.rn + 1
),
episodes as materialized (
  select w.*, w.d + 90 < $5::date as assessed from walk w where w.opens and w.d >= $2::date and w.d <= $3::date
),
-- Unplanned endings of placements with the episodes' households, up to 90 days after the period:
-- the last record of a merged placement (no record of the child with the same household starts
-- on its end date).
endings as materialized (
  select p.child_id, p.household_id, p.end_date
    from placement p
   where p.organisation_id = $1 and p.kind <> 'RESPITE' and p.unplanned
     and p.household_id in (select household_id from episodes where assessed)
     and p.end_date > $2::date and p.end_date <= $3::date + 90
     and not exists (select 1 from placement q
                      where q.child_id = p.child_id and q.organisation_id = $1 and q.household_id = p.household_id
                        and q.kind <> 'RESPITE' and q.start_date = p.end_date)
),
risk_sum as (
  select ep.constellation_id, count(*)::int as at_risk,
         (count(*) filter (where ep.assessed))::int as assessed,
         (count(*) filter (where ep.assessed and not exists (
            -- an unplanned ending, within the 90 days, of a placement with the household that
            -- covered the entry's date (the named child's, or any child's)
            select 1 from endings x
             where x.household_id = ep.household_id and x.end_date > ep.d and x.end_date <= ep.d + 90
               and (ep.pair_child = ${NO_CHILD} or x.child_id = ep.pair_child)
               and exists (select 1 from placement q
                            where q.child_id = x.child_id and q.organisation_id = $1 and q.household_id = ep.household_id
                              and q.kind <> 'RESPITE' and q.period @> ep.d))))::int as held
    from episodes ep group by ep.constellation_id
)
select k.id as constellation_id, b.contacts, b.out_of_hours, b.households, b.would_have_ended, b.would_have_resigned, b.safeguarding,
       rs.at_risk, rs.assessed, rs.held
  from unnest($4::uuid[]) as k(id)
  left join basic b on b.constellation_id = k.id
  left join risk_sum rs on rs.constellation_id = k.id`;

async function supportFigures(em: EntityManager, i: ReturnsInput): Promise<Map<string, SupportFigures>> {
  const rows = await sql(em, SUPPORT_SQL, [i.organisationId, i.from, i.to, i.constellationIds, i.today], REPORT);
  return new Map(
    rows.map((r) => [
      r.constellation_id,
      {
        contacts: r.contacts ?? 0,
        outOfHours: r.out_of_hours ?? 0,
        householdsSupported: r.households ?? 0,
        placementsAtRisk: r.at_risk ?? 0,
        atRiskAssessed: r.assessed ?? 0,
        atRiskPlacementsHeld: r.held ?? 0,
        wouldHaveEnded: r.would_have_ended ?? 0,
        wouldHaveResigned: r.would_have_resigned ?? 0,
        safeguardingConcerns: r.safeguarding ?? 0,
      },
    ]),
  );
}

// ---------- scopes shared by contact and retention ($1 organisation, $2 from, $3 to, $4 constellations, $5 comparison) ----------

/** A key for the comparison group in result rows (constellation ids are never this). */
const NONE_KEY = 'none';

// ---------- contact ----------

// Family time and sibling contact booked at each hub ($1 organisation, $2 from, $3 to, $4
// constellations): requests, declined and cancelled bookings are not booked.
const HUB_BOOKINGS_SQL = `
select 'bookings', b.constellation_id::text,
       (count(*) filter (where b.purpose = 'FAMILY_TIME'))::int,
       (count(*) filter (where b.purpose = 'FAMILY_TIME' and b.outcome in ('TOOK_PLACE', 'CUT_SHORT')))::int,
       (count(*) filter (where b.purpose = 'SIBLING_CONTACT'))::int,
       (count(*) filter (where b.purpose = 'SIBLING_CONTACT' and b.outcome in ('TOOK_PLACE', 'CUT_SHORT')))::int
  from hub_booking b
 where b.organisation_id = $1 and b.london_day between $2::date and $3::date and b.constellation_id = any($4::uuid[])
   and b.status = 'CONFIRMED' and b.purpose in ('FAMILY_TIME', 'SIBLING_CONTACT')
 group by b.constellation_id`;

const CONTACT_SQL = `
with scope_children as (
  select m.constellation_id::text as scope, p.child_id, p.household_id
    from placement p
    join constellation_membership m on m.household_id = p.household_id and m.organisation_id = $1 and m.role = 'SATELLITE'
                                   and m.period @> $3::date and m.constellation_id = any($4::uuid[])
   where p.organisation_id = $1 and p.kind <> 'RESPITE' and p.period @> $3::date
  union all
  select '${NONE_KEY}', p.child_id, p.household_id
    from placement p
   where $5::boolean and p.organisation_id = $1 and p.kind <> 'RESPITE' and p.period @> $3::date and p.household_id is not null
     and not exists (select 1 from constellation_membership m where m.household_id = p.household_id and m.organisation_id = $1 and m.period @> $3::date)
),
-- Siblings looked after on \`to\` with another of the organisation's households.
apart as (
  select sc.scope, sc.child_id, sib.sibling_id
    from scope_children sc
    join child_sibling sib on sib.child_id = sc.child_id and sib.organisation_id = $1
    join placement q on q.child_id = sib.sibling_id and q.organisation_id = $1 and q.kind <> 'RESPITE'
                    and q.period @> $3::date and q.household_id is not null and q.household_id <> sc.household_id
),
-- A night at the same hub in [to - 91, to], in confirmed sleepovers (each child's own nights).
together as (
  select distinct a.scope, a.child_id
    from apart a
   where exists (
     select 1
       from sleepover_child x join sleepover s1 on s1.id = x.sleepover_id
       join sleepover_child y on y.child_id = a.sibling_id and y.active
       join sleepover s2 on s2.id = y.sleepover_id and s2.constellation_id = s1.constellation_id and s2.status = 'CONFIRMED'
      where x.child_id = a.child_id and x.active and s1.status = 'CONFIRMED'
        and x.nights && daterange($3::date - 91, $3::date + 1)
        and not isempty(x.nights * s1.nights * y.nights * s2.nights * daterange($3::date - 91, $3::date + 1)))
      or exists (
     -- Or sibling contact at a hub that took place in [to - 91, to], both children at the booking.
     select 1
       from hub_booking_child x join hub_booking hb on hb.id = x.booking_id
       join hub_booking_child y on y.booking_id = hb.id and y.child_id = a.sibling_id
      where x.child_id = a.child_id and x.organisation_id = $1 and hb.organisation_id = $1
        and hb.purpose = 'SIBLING_CONTACT' and hb.status = 'CONFIRMED' and hb.outcome in ('TOOK_PLACE', 'CUT_SHORT')
        and hb.london_day between $3::date - 91 and $3::date)
)
select 'siblings' as part, s.scope, count(distinct s.child_id)::int as a,
       (select count(*)::int from together t where t.scope = s.scope) as b, null::int as c, null::int as d
  from apart s group by s.scope
union all
${HUB_BOOKINGS_SQL}`;

/** Separated siblings, and the hub-booking figures, in one statement (rows told apart by `part`). */
async function contactFigures(em: EntityManager, i: ReturnsInput): Promise<Map<string, ContactFigures>> {
  const rows = await sql(em, CONTACT_SQL, [i.organisationId, i.from, i.to, i.constellationIds, i.comparison], REPORT);
  const siblings = new Map(rows.filter((r) => r.part === 'siblings').map((r) => [r.scope as string, r]));
  const bookings = new Map(rows.filter((r) => r.part === 'bookings').map((r) => [r.scope as string, r]));
  const out = new Map<string, ContactFigures>();
  for (const key of [...i.constellationIds, ...(i.comparison ? [NONE_KEY] : [])]) {
    const r = siblings.get(key);
    const h = bookings.get(key);
    out.set(key, {
      // The comparison group has no hub to book.
      ...(key === NONE_KEY ? NO_HUB : { familyTimeBooked: h?.a ?? 0, familyTimeTookPlace: h?.b ?? 0, siblingContactBooked: h?.c ?? 0, siblingContactTookPlace: h?.d ?? 0 }),
      separatedSiblings: r?.a ?? 0,
      separatedSiblingsWithContact: r?.b ?? 0,
    });
  }
  return out;
}

const NO_HUB: Pick<ContactFigures, 'familyTimeBooked' | 'familyTimeTookPlace' | 'siblingContactBooked' | 'siblingContactTookPlace'> = {
  familyTimeBooked: null,
  familyTimeTookPlace: null,
  siblingContactBooked: null,
  siblingContactTookPlace: null,
};

// ---------- retention ----------

const RETENTION_SQL = `
with hh as (
  select m.constellation_id::text as scope, h.deregistered_on, h.deregistration_reason
    from constellation_membership m join household h on h.id = m.household_id
   where m.organisation_id = $1 and m.constellation_id = any($4::uuid[]) and m.role = 'SATELLITE' and m.period @> $2::date
     and h.organisation_id = $1 and h.approved_on <= $2::date and (h.deregistered_on is null or h.deregistered_on > $2::date)
  union all
  select '${NONE_KEY}', h.deregistered_on, h.deregistration_reason
    from household h
   where $5::boolean and h.organisation_id = $1 and h.approved_on <= $2::date and (h.deregistered_on is null or h.deregistered_on > $2::date)
     and not exists (select 1 from constellation_membership m where m.household_id = h.id and m.organisation_id = $1 and m.period @> $2::date)
)
select scope, case when deregistered_on <= $3::date then coalesce(deregistration_reason, 'OTHER') end as reason, count(*)::int as n
  from hh group by 1, 2`;

const REASON_ORDER = Object.values(DeregistrationReason);

async function retentionFigures(em: EntityManager, i: ReturnsInput): Promise<Map<string, RetentionFigures>> {
  const rows = await sql(em, RETENTION_SQL, [i.organisationId, i.from, i.to, i.constellationIds, i.comparison], REPORT);
  const out = new Map<string, RetentionFigures>();
  for (const key of [...i.constellationIds, ...(i.comparison ? [NONE_KEY] : [])]) {
    const mine = rows.filter((r) => r.scope === key);
    const atStart = mine.reduce((s: number, r) => s + r.n, 0);
    const deregistered = mine
      .filter((r) => r.reason)
      .map((r) => ({ reason: r.reason as DeregistrationReason, count: r.n as number }))
      .sort((a, b) => REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason));
    const lost = deregistered.filter((d) => d.reason !== DeregistrationReason.BECAME_ADOPTERS_OR_GUARDIANS).reduce((s, d) => s + d.count, 0);
    out.set(key, { householdsAtStart: atStart, deregistered, retentionRate: atStart === 0 ? null : 1 - lost / atStart });
  }
  return out;
}

// ---------- the whole return ----------

/** Returns for the constellations asked, in order, then the comparison group when asked. */
export async function constellationReturns(em: EntityManager, i: ReturnsInput): Promise<ReturnFigures[]> {
  const keys = [...i.constellationIds, ...(i.comparison ? [NONE_KEY] : [])];
  const some = i.constellationIds.length > 0;
  const period = { organisationId: i.organisationId, from: i.from, to: i.to };
  const [constellationStability, comparisonStability, sleepovers, sessions, support, contact, retention] = await Promise.all([
    some ? constellationStabilityReports(em, { ...period, constellationIds: i.constellationIds }) : ([] as StabilityReport[]),
    i.comparison ? stabilityReport(em, { ...period, scope: { kind: 'NO_CONSTELLATION' } }) : null,
    some ? sleepoverFigures(em, i) : new Map<string, SleepoverFigures>(),
    some ? sessionFigures(em, i) : new Map<string, SessionFigures>(),
    some ? supportFigures(em, i) : new Map<string, SupportFigures>(),
    contactFigures(em, i),
    retentionFigures(em, i),
  ]);
  const stability = [...constellationStability, ...(comparisonStability ? [comparisonStability] : [])];
  return keys.map((key, n) => {
    const none = key === NONE_KEY;
    return {
      constellationId: none ? null : key,
      from: i.from,
      to: i.to,
      stability: stability[n],
      sleepovers: none ? null : (sleepovers.get(key) ?? null),
      sessions: none ? null : (sessions.get(key) ?? { held: 0, cancelled: 0, attendances: 0, householdsAttending: 0 }),
      support: none ? null : (support.get(key) ?? null),
      contact: contact.get(key)!,
      retention: retention.get(key)!,
    };
  });
}
