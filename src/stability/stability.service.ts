import type { EntityManager } from '@mikro-orm/postgresql';
import { sql, type SqlOptions } from '../platform/db/sql';
import { refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { addDays, isValidDate } from '../platform/time';

/**
 * Placement-stability figures (DESIGN.md, "Placement stability: the definitions the API computes").
 *
 * Everything is computed in PostgreSQL by one set-based statement per call, whatever the number of
 * children, so a report costs the same round trips for ten children as for ten thousand.
 *
 * Semantics fixed here, where the design leaves room (tests in test/stability pin each one):
 *
 * - Temporary stays (RESPITE records, as SSDA903's temporary placements) are never a placement of
 *   their own and never an ending. A stay that starts on the day a placement record (or a stay
 *   after one) ends continues that placement: its days keep the child looked after (on `to`, and
 *   continuously), and when the next record is with the same carer straight after the stays, it is
 *   the same placement (A, stay, A is one placement with A; A, stay, stay, A too). When the next
 *   record is with someone else, or there is a gap, the placement before the stays ended on its own
 *   end date (the day the first stay began), unplanned when its last record or one of those stays
 *   is marked unplanned (a breakdown is often recorded at the end of the stay). A stay still open
 *   (no end, or ending after `to`) keeps the placement before it going: on `to` the child is
 *   looked after in that placement, with its household's scope. A stay with no placement straight
 *   before it (care begins with it, or after a gap) counts for nothing: a child with temporary
 *   stays only is not looked after.
 *   So a stay that runs across `to` after which the child goes elsewhere makes both true: looked
 *   after on `to` in A, and A's ending dated on its own end date (inside the period when that is).
 * - Merging: consecutive records of a child (the next starts on the previous one's end date, or on
 *   the end date of the stays after it) are one placement when they are with the same household;
 *   for records without a household, when setting and provider name are equal (exact text; no name
 *   equals no name). The end reason does not matter: same carer with no gap is the same placement
 *   whatever the code says (a status change, PLACE, is not a move).
 * - The period [from, to] includes both days; a placement [start, end) overlaps it when
 *   start <= to and (end is null or end > from), its end being the end of the stays after it.
 * - An ending is the end date of a merged placement's last record, i.e. the day the child moved on
 *   (SSDA903's DEC). It falls inside the period when from <= end_date <= to. So a placement whose last night
 *   is `to` ends in the next period, and one that ended on `from` (last night the day before)
 *   ends in this one. Consecutive periods split endings without gaps or double counts.
 * - Long-term: "to minus 30 months" and "to minus 2 years" are PostgreSQL date - interval, which
 *   clamps to the last day of the month when the day does not exist (31 Aug 2026 - 30 months =
 *   29 Feb 2024; 29 Feb 2028 - 2 years = 28 Feb 2026).
 * - Under 16 on `to`: `to` is before the 16th birthday, a 29 February birthday falling on
 *   1 March in common years (the rule of ageOn in platform/time.ts).
 * - Sleepover nights: night n is the night starting on date n; it is inside the period when
 *   from <= n <= to. Counted from sleepover_child rows that are active, of sleepovers CONFIRMED
 *   (COMPLETED is CONFIRMED in the past), over the child's own nights within the sleepover's.
 *   The exclusion constraint on active rows makes the sum of nights "one per child per night".
 * - Scopes:
 *   ORGANISATION: every child and household of the organisation.
 *   CONSTELLATION: children whose placement covering `to` is with a household that is a SATELLITE
 *   of the constellation on `to` (all their history counts, wherever it was); endings of
 *   placements with a household that was a SATELLITE of it on the placement's last day
 *   (end_date - 1), whoever the child; households that were its SATELLITEs on `from`; its
 *   sleepovers.
 *   NO_CONSTELLATION: the same with "a household of the organisation that is in no constellation
 *   (neither hub nor satellite) on that date". Children placed with a hub household, or living
 *   somewhere other than one of the organisation's households, are in neither of the two. A
 *   sleepover always belongs to a constellation, so this scope has no sleepover nights.
 *   Every table is read within the organisation: another organisation's constellation id gives
 *   zeros, not its figures.
 * - Child stability: "the last 12 months" is the 365 days [today - 364, today], with the report's
 *   rules for overlap, stays and endings; days in the current placement are today - its merged
 *   first day (0 on the day the child arrived; a stay and the return do not restart it).
 */

export type StabilityScope = { kind: 'ORGANISATION' } | { kind: 'CONSTELLATION'; constellationId: string } | { kind: 'NO_CONSTELLATION' };

export interface StabilityReportInput {
  organisationId: string;
  scope: StabilityScope;
  /** First day of the period, YYYY-MM-DD, included. */
  from: string;
  /** Last day of the period, YYYY-MM-DD, included. */
  to: string;
}

export interface StabilityReport {
  from: string;
  to: string;
  childrenLookedAfter: number;
  childrenWithThreeOrMorePlacements: number;
  threeOrMorePlacementsRate: number | null;
  longTermEligible: number;
  longTermStable: number;
  longTermStabilityRate: number | null;
  placementEndings: number;
  unplannedEndings: number;
  sleepoverNightsUsed: number;
  householdsAtStart: number;
  householdsDeregistered: number;
  carerRetentionRate: number | null;
  /** Staff only: the children behind childrenWithThreeOrMorePlacements, by id. */
  childIdsWithThreeOrMorePlacements: string[];
  /** Staff only: the children with at least one of the unplanned endings, by id. */
  childIdsWithUnplannedEndings: string[];
}

export interface ChildStability {
  placementsInLast12Months: number;
  /** Days since the current merged placement started (0 on its first day); null when not placed. */
  daysInCurrentPlacement: number | null;
  unplannedEndingsInLast12Months: number;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What makes two consecutive records "the same placement": the household, or for placements
 * elsewhere the setting and the provider's name.
 */
function placementKey(alias: string): string {
  return `coalesce(${alias}.household_id::text, ${alias}.setting || '|' || coalesce(${alias}.provider_name, ''))`;
}

/**
 * The 16th birthday of a child born on `dob`, by UK law: a 29 February birthday falls on
 * 1 March in common years (make_date(y, 2, 28) + 1 is 29 February in a leap year, 1 March
 * otherwise). PostgreSQL's `+ interval '16 years'` would clamp to 28 February instead.
 */
function sixteenthBirthday(dob: string): string {
  return `(case when extract(month from ${dob}) = 2 and extract(day from ${dob}) = 29
            then make_date(extract(year from ${dob})::int + 16, 2, 28) + 1
            else (${dob} + interval '16 years')::date end)`;
}

// $1 organisation, $2 from, $3 to; for constellation reports $4 the constellations (uuid[]).

/** The household is one of the organisation's and in no constellation, as hub or satellite, on `day`. */
function inNoConstellationOn(household: string, day: string): string {
  return `${household} is not null and not exists (
      select 1 from constellation_membership m
      where m.household_id = ${household} and m.organisation_id = $1::uuid and m.period @> ${day})`;
}

/**
 * Every placement record of the children chosen by `childFilter` (SQL over `p`), as the report sees
 * it: temporary stays (RESPITE records) are folded into the placement before them and never appear
 * as rows of their own. Three window passes, each over one organisation's (or a few children's)
 * records:
 *
 * - `care_runs`: every record (stays included) with its run of care (`run`: records with no day
 *   between them) and the number of placement records up to it (`seq`), so a stay shares `seq`
 *   with the placement it follows;
 * - `with_stays`: each placement record with the stays straight after it (same run and `seq`):
 *   where its days end (`occupied_end`, the last of those stays' end; null while open) and whether
 *   one of those stays was marked unplanned. Stays with no placement before them in their run are
 *   dropped: a child with temporary stays only is not looked after;
 * - `timeline`: the placement records alone, flagged with whether each continues the spell of care
 *   (same run as the one before) and the placement (same run and same carer: A, stay, A is one
 *   placement), and whether the next one continues it (then it is not an ending).
 */
function timeline(childFilter: string): string {
  const key = placementKey('p');
  return `
care_runs as (
  select p.child_id, p.household_id, p.start_date, p.end_date, p.unplanned, p.kind = 'RESPITE' as stay, ${key} as key,
    sum(case when lag_end = p.start_date then 0 else 1 end) over w as run,
    count(*) filter (where p.kind <> 'RESPITE') over w as seq
  from (select p.*, lag(p.end_date) over (partition by p.child_id order by p.start_date) as lag_end
        from placement p where p.organisation_id = $1::uuid ${childFilter}) p
  window w as (partition by p.child_id order by p.start_date rows unbounded preceding)
),
with_stays as (
  select r.*,
    last_value(r.end_date) over g as occupied_end,
    coalesce(bool_or(r.stay and r.unplanned) over g, false) as stay_unplanned
  from care_runs r
  window g as (partition by r.child_id, r.run, r.seq order by r.start_date rows between unbounded preceding and unbounded following)
),
timeline as (
  select t.child_id, t.household_id, t.start_date, t.end_date, t.occupied_end,
    coalesce(t.unplanned, false) or t.stay_unplanned as ends_unplanned,
    coalesce(lag(t.run) over w = t.run, false) as continues_spell,
    coalesce(lag(t.run) over w = t.run and lag(t.key) over w = t.key, false) as continues_placement,
    coalesce(lead(t.run) over w = t.run and lead(t.key) over w = t.key, false) as continued
  from with_stays t
  where not t.stay
  window w as (partition by t.child_id order by t.start_date)
)`;
}

/**
 * The scope's children (looked after on `to`: a placement record whose days, stays after it
 * included, cover `to`), their history, and the ending records, for the organisation and the
 * no-constellation scope: one timeline over the organisation's records, which these scopes read
 * most of anyway.
 */
function wideScopeRecords(scope: 'ORGANISATION' | 'NO_CONSTELLATION'): string {
  const none = scope === 'NO_CONSTELLATION';
  return `${timeline('')},
looked_after as (
  select null::uuid as scope, t.child_id from timeline t
  where t.start_date <= $3::date and (t.occupied_end is null or t.occupied_end > $3::date)
    ${none ? `and ${inNoConstellationOn('t.household_id', '$3::date')}` : ''}
),
history as (
  select la.scope, t.* from timeline t join looked_after la on la.child_id = t.child_id
  where t.start_date <= $3::date
),
${endingRecords('null::uuid', '', none ? inNoConstellationOn('t.household_id', '(t.end_date - 1)') : 'true')}`;
}

/**
 * An ending is the last record of a merged placement that is not still open (through a stay open
 * after it), dated on its own end date: when the child went elsewhere after a temporary stay, the
 * placement ended on the day the stay began. `scope` names the report it counts in, `join` and
 * `inScope` say which endings the scope owns.
 */
function endingRecords(scope: string, join: string, inScope: string): string {
  return `ending_records as (
  select ${scope} as scope, t.child_id, t.ends_unplanned as unplanned from timeline t
  ${join}
  where not t.continued and t.occupied_end is not null
    and t.end_date >= $2::date and t.end_date <= $3::date and ${inScope}
)`;
}

/** The satellite memberships on `day` of the constellations asked, with the constellation as `scope`. */
function satellitesOn(day: string): string {
  return `select m.constellation_id as scope, m.household_id from constellation_membership m
      where m.organisation_id = $1::uuid and m.constellation_id = any($4::uuid[]) and m.role = 'SATELLITE'
        and m.period @> ${day}`;
}

/**
 * The same for a list of constellations: a few households each, so their children are found first
 * through the memberships and the (household, period) index, and only those children's timelines
 * are built rather than the whole organisation's. Every row below `timeline` carries its
 * constellation as `scope`, so one statement answers every constellation asked. A household is in
 * at most one constellation on a day (membership_household_no_overlap), so joining memberships
 * never counts a child or an ending twice within one constellation.
 */
function constellationRecords(): string {
  // candidates is a few children per constellation; materialising it spares the planner a join
  // search over the whole statement (a third of its planning time on the national data set).
  return `
satellites_on_to as materialized (
  ${satellitesOn('$3::date')}
),
candidates as materialized (
  select p.child_id from placement p
  where p.organisation_id = $1::uuid and p.kind <> 'RESPITE' and p.period @> $3::date
    and p.household_id in (select household_id from satellites_on_to)
  union
  -- On a temporary stay on \`to\` after a placement with one of the satellites: whether the stay
  -- continues that placement is for the timeline to say. Found from the satellites' placements
  -- (a few per household), not from the stays on \`to\` (the period index would read every
  -- organisation's placements covering that day).
  select q.child_id from placement q
  where q.organisation_id = $1::uuid and q.kind <> 'RESPITE' and q.end_date <= $3::date
    and q.household_id in (select household_id from satellites_on_to)
    and exists (
      select 1 from placement p
      where p.child_id = q.child_id and p.organisation_id = $1::uuid and p.kind = 'RESPITE'
        and p.start_date >= q.end_date and p.start_date <= $3::date and (p.end_date is null or p.end_date > $3::date))
  union
  -- A placement with one of the satellites ending inside the period while a satellite.
  select p.child_id from placement p
  join constellation_membership m
    on m.household_id = p.household_id and m.organisation_id = $1::uuid and m.constellation_id = any($4::uuid[])
   and m.role = 'SATELLITE' and m.period @> (p.end_date - 1)
  where p.organisation_id = $1::uuid and p.kind <> 'RESPITE'
    and p.end_date >= $2::date and p.end_date <= $3::date
),
${timeline('and p.child_id in (select child_id from candidates)')},
looked_after as (
  select s.scope, t.child_id from timeline t
  join satellites_on_to s on s.household_id = t.household_id
  where t.start_date <= $3::date and (t.occupied_end is null or t.occupied_end > $3::date)
),
history as (
  select la.scope, t.* from timeline t join looked_after la on la.child_id = t.child_id
  where t.start_date <= $3::date
),
${endingRecords(
  'm.constellation_id',
  `join constellation_membership m
    on m.household_id = t.household_id and m.organisation_id = $1::uuid and m.constellation_id = any($4::uuid[])
   and m.role = 'SATELLITE' and m.period @> (t.end_date - 1)`,
  'true',
)}`;
}

type ScopeKind = StabilityScope['kind'];

/** Households approved and not deregistered on `from`, per scope. */
function householdsAtStart(kind: ScopeKind): string {
  const common = `h.organisation_id = $1::uuid
    and h.approved_on <= $2::date and (h.deregistered_on is null or h.deregistered_on > $2::date)`;
  const figures = `count(*)::int as at_start, count(*) filter (where h.deregistered_on <= $3::date)::int as deregistered`;
  switch (kind) {
    case 'ORGANISATION':
      return `select null::uuid as scope, ${figures} from household h where ${common}`;
    case 'NO_CONSTELLATION':
      return `select null::uuid as scope, ${figures} from household h where ${common} and ${inNoConstellationOn('h.id', '$2::date')}`;
    case 'CONSTELLATION':
      return `select m.constellation_id as scope, ${figures}
  from household h
  join constellation_membership m
    on m.household_id = h.id and m.organisation_id = $1::uuid and m.constellation_id = any($4::uuid[])
   and m.role = 'SATELLITE' and m.period @> $2::date
  where ${common}
  group by m.constellation_id`;
  }
}

function sleepoverNights(kind: ScopeKind): string {
  // A sleepover always belongs to a constellation: households in none have no sleepover nights.
  if (kind === 'NO_CONSTELLATION') return `select null::uuid as scope, 0 as used`;
  const perConstellation = kind === 'CONSTELLATION';
  const filter = perConstellation
    ? // The (constellation_id, nights) index finds them; a constellation has few children.
      `and s.constellation_id = any($4::uuid[]) and s.nights && daterange($2::date, $3::date + 1)`
    : // Across the organisation both sides are read by index and hash-joined: the children by
      // (organisation_id, nights); the sleepovers by (organisation_id, start_date), since one
      // lasts at most 28 nights (sleepover_dates_rule) and so started after from - 28.
      `and s.start_date > $2::date - 28 and s.start_date <= $3::date
      and sc.organisation_id = $1::uuid and sc.nights && daterange($2::date, $3::date + 1)`;
  // Nights are counted inside the child's nights, the sleepover's and the period at once; a
  // sleepover outside the period intersects to an empty range, which counts nothing.
  return `select ${perConstellation ? 's.constellation_id' : 'null::uuid'} as scope,
    coalesce(sum(upper(sc.nights * s.nights * daterange($2::date, $3::date + 1)) - lower(sc.nights * s.nights * daterange($2::date, $3::date + 1))), 0)::int as used
  from sleepover s
  join sleepover_child sc on sc.sleepover_id = s.id
  where s.organisation_id = $1::uuid and s.status = 'CONFIRMED' and sc.active
    ${filter}
  ${perConstellation ? 'group by s.constellation_id' : ''}`;
}

/**
 * One statement for a scope kind. Every part carries a `scope` column (the constellation, or null
 * for the wide scopes) and the final select returns one row per scope asked, with zeros where a
 * part has no rows: for constellations, one row per element of $4 in its order.
 */
function reportSql(kind: ScopeKind): string {
  return `
with
${kind === 'CONSTELLATION' ? constellationRecords() : wideScopeRecords(kind)},
-- Per child: merged placements overlapping [from, to] are counted by their first overlapping
-- record, which either starts a merged placement or is the record open on \`from\`. The current
-- (last) merged placement and spell start at the latest record that starts one.
per_child as (
  select h.scope, h.child_id,
    count(*) filter (where (h.occupied_end is null or h.occupied_end > $2::date)
                       and (not h.continues_placement or h.start_date <= $2::date)) as placements,
    max(h.start_date) filter (where not h.continues_placement) as placement_start,
    max(h.start_date) filter (where not h.continues_spell) as spell_start
  from history h
  group by h.scope, h.child_id
),
children as (
  select pc.scope,
    count(*)::int as looked_after,
    count(*) filter (where pc.placements >= 3)::int as three_plus,
    coalesce(array_agg(pc.child_id order by pc.child_id) filter (where pc.placements >= 3), '{}') as three_plus_ids,
    count(*) filter (where lt.eligible)::int as eligible,
    count(*) filter (where lt.eligible and pc.placement_start <= ($3::date - interval '2 years')::date)::int as stable
  from per_child pc
  join child c on c.id = pc.child_id and c.organisation_id = $1::uuid
  cross join lateral (
    select $3::date < ${sixteenthBirthday('c.date_of_birth')}
       and pc.spell_start <= ($3::date - interval '30 months')::date as eligible
  ) lt
  group by pc.scope
),
endings as (
  select e.scope,
    count(*)::int as endings,
    count(*) filter (where e.unplanned)::int as unplanned,
    coalesce(array_agg(distinct e.child_id order by e.child_id) filter (where e.unplanned), '{}') as unplanned_ids
  from ending_records e
  group by e.scope
),
households as (
  ${householdsAtStart(kind)}
),
nights as (
  ${sleepoverNights(kind)}
)
select k.scope,
  coalesce(c.looked_after, 0) as looked_after, coalesce(c.three_plus, 0) as three_plus, coalesce(c.three_plus_ids, '{}') as three_plus_ids,
  coalesce(c.eligible, 0) as eligible, coalesce(c.stable, 0) as stable,
  coalesce(e.endings, 0) as endings, coalesce(e.unplanned, 0) as unplanned, coalesce(e.unplanned_ids, '{}') as unplanned_ids,
  coalesce(h.at_start, 0) as at_start, coalesce(h.deregistered, 0) as deregistered, coalesce(n.used, 0) as used
from ${kind === 'CONSTELLATION' ? 'unnest($4::uuid[]) with ordinality k(scope, ord)' : '(select null::uuid as scope, 1 as ord) k'}
left join children c on c.scope is not distinct from k.scope
left join endings e on e.scope is not distinct from k.scope
left join households h on h.scope is not distinct from k.scope
left join nights n on n.scope is not distinct from k.scope
order by k.ord`;
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function checkPeriod(from: string, to: string): void {
  if (!isValidDate(from)) refuse(UserErrorCode.INVALID_INPUT, 'from is not a valid date', ['from']);
  if (!isValidDate(to)) refuse(UserErrorCode.INVALID_INPUT, 'to is not a valid date', ['to']);
  if (from > to) refuse(UserErrorCode.INVALID_INPUT, 'from must not be after to', ['from']);
}

/**
 * A report's plan depends on its values (one constellation or many, a year or a decade): each call
 * is planned for its own (SqlOptions.planEachTime) rather than falling back to a generic plan.
 */
const REPORT: SqlOptions = { planEachTime: true };

interface ReportRow {
  scope: string | null;
  looked_after: number;
  three_plus: number;
  three_plus_ids: string[];
  eligible: number;
  stable: number;
  endings: number;
  unplanned: number;
  unplanned_ids: string[];
  at_start: number;
  deregistered: number;
  used: number;
}

function toReport(from: string, to: string, row: ReportRow): StabilityReport {
  return {
    from,
    to,
    childrenLookedAfter: row.looked_after,
    childrenWithThreeOrMorePlacements: row.three_plus,
    threeOrMorePlacementsRate: rate(row.three_plus, row.looked_after),
    longTermEligible: row.eligible,
    longTermStable: row.stable,
    longTermStabilityRate: rate(row.stable, row.eligible),
    placementEndings: row.endings,
    unplannedEndings: row.unplanned,
    sleepoverNightsUsed: row.used,
    householdsAtStart: row.at_start,
    householdsDeregistered: row.deregistered,
    carerRetentionRate: row.at_start === 0 ? null : 1 - row.deregistered / row.at_start,
    childIdsWithThreeOrMorePlacements: row.three_plus_ids,
    childIdsWithUnplannedEndings: row.unplanned_ids,
  };
}

function checkOrganisation(organisationId: string): void {
  if (!UUID_RE.test(organisationId)) refuse(UserErrorCode.INVALID_INPUT, 'unknown organisation', []);
}

/** Every StabilityReport figure for one scope and period, in one SQL statement. */
export async function stabilityReport(em: EntityManager, input: StabilityReportInput): Promise<StabilityReport> {
  const { organisationId, scope, from, to } = input;
  if (scope.kind === 'CONSTELLATION') {
    const [report] = await constellationStabilityReports(em, { organisationId, constellationIds: [scope.constellationId], from, to });
    return report;
  }
  checkPeriod(from, to);
  checkOrganisation(organisationId);
  const [row] = await sql<ReportRow>(em, reportSql(scope.kind), [organisationId, from, to], REPORT);
  return toReport(from, to, row);
}

export interface ConstellationStabilityReportsInput {
  organisationId: string;
  /** The constellations, each reported as the CONSTELLATION scope; another organisation's give zeros. */
  constellationIds: readonly string[];
  from: string;
  to: string;
}

/**
 * The CONSTELLATION report of many constellations in one statement, in the order asked: what a
 * report of one constellation computes, for each of them (the single report is this with one id).
 * Its cost grows with the children and memberships of the constellations asked, not the number
 * of round trips.
 */
export async function constellationStabilityReports(em: EntityManager, input: ConstellationStabilityReportsInput): Promise<StabilityReport[]> {
  const { organisationId, constellationIds, from, to } = input;
  checkPeriod(from, to);
  checkOrganisation(organisationId);
  for (const id of constellationIds) {
    if (!UUID_RE.test(id)) refuse(UserErrorCode.NOT_FOUND, 'unknown constellation', ['constellationId']);
  }
  if (constellationIds.length === 0) return [];
  const rows = await sql<ReportRow>(em, reportSql('CONSTELLATION'), [organisationId, from, to, `{${constellationIds.join(',')}}`], REPORT);
  return rows.map((row) => toReport(from, to, row));
}

const CHILD_STABILITY_SQL = `
with
${timeline('and p.child_id = any($2::uuid[])')}
select c.id,
  count(h.child_id) filter (where h.start_date <= $3::date and (h.occupied_end is null or h.occupied_end > $4::date)
                              and (not h.continues_placement or h.start_date <= $4::date))::int as placements,
  case when bool_or(h.start_date <= $3::date and (h.occupied_end is null or h.occupied_end > $3::date))
       then $3::date - max(h.start_date) filter (where not h.continues_placement and h.start_date <= $3::date) end as days,
  count(h.child_id) filter (where not h.continued and h.occupied_end is not null and h.ends_unplanned
                              and h.end_date >= $4::date and h.end_date <= $3::date)::int as unplanned
from child c
left join timeline h on h.child_id = c.id
where c.organisation_id = $1::uuid and c.id = any($2::uuid[])
group by c.id`;

/**
 * Stability of many children in one statement (it backs a DataLoader). "The last 12 months" is the
 * 365 days ending today: [today - 364, today], with the report's rules for overlap and endings.
 * Returns one entry per id, in order; null for ids that are not children of the organisation.
 */
export async function childStability(em: EntityManager, organisationId: string, childIds: readonly string[], today: string): Promise<(ChildStability | null)[]> {
  if (!isValidDate(today)) throw new Error(`childStability: invalid date ${JSON.stringify(today)}`);
  const ids = [...new Set(childIds.filter((id) => UUID_RE.test(id)).map((id) => id.toLowerCase()))];
  if (ids.length === 0 || !UUID_RE.test(organisationId)) return childIds.map(() => null);
  const windowStart = addDays(today, -364);
  const rows = await sql<{ id: string; placements: number; days: number | null; unplanned: number }>(
    em,
    CHILD_STABILITY_SQL,
    // Bound as an array literal: MikroORM inlines parameters and would spread a JavaScript array.
    [organisationId, `{${ids.join(',')}}`, today, windowStart],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return childIds.map((id) => {
    const r = byId.get(id.toLowerCase());
    return r ? { placementsInLast12Months: r.placements, daysInCurrentPlacement: r.days, unplannedEndingsInLast12Months: r.unplanned } : null;
  });
}
