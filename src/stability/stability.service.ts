import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../platform/db/sql';
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
 * - RESPITE-kind rows are removed before anything else. A day spent only in a RESPITE placement
 *   is therefore a day without a placement: it breaks continuity, and the records either side of
 *   it are not "consecutive" (A, RESPITE, A is two placements with A).
 * - Merging: consecutive records of a child (the next starts on the previous one's end date) are
 *   one placement when they are with the same household; for records without a household, when
 *   setting and provider name are equal (exact text; no name equals no name). The end reason does
 *   not matter: same carer with no gap is the same placement whatever the code says.
 * - The period [from, to] includes both days; a placement [start, end) overlaps it when
 *   start <= to and (end is null or end > from).
 * - An ending is the end date of a merged placement, i.e. the day the child moved on (SSDA903's
 *   DEC). It falls inside the period when from <= end_date <= to. So a placement whose last night
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
 *   rules for overlap and endings; days in the current placement are today - its first day (0 on
 *   the day the child arrived).
 */

export type StabilityScope =
  | { kind: 'ORGANISATION' }
  | { kind: 'CONSTELLATION'; constellationId: string }
  | { kind: 'NO_CONSTELLATION' };

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

// $1 organisation, $2 from, $3 to, $4 constellation (only referenced by the constellation scope).

/** A satellite membership of the constellation covering `day` for household `household`. */
function satelliteOn(household: string, day: string): string {
  return `exists (
      select 1 from constellation_membership m
      where m.household_id = ${household} and m.organisation_id = $1::uuid
        and m.constellation_id = $4::uuid and m.role = 'SATELLITE' and m.period @> ${day})`;
}

/** The household is one of the organisation's and in no constellation, as hub or satellite, on `day`. */
function inNoConstellationOn(household: string, day: string): string {
  return `${household} is not null and not exists (
      select 1 from constellation_membership m
      where m.household_id = ${household} and m.organisation_id = $1::uuid and m.period @> ${day})`;
}

/**
 * The scope's children (looked after on `to`), their history, and the ending records, for the
 * organisation and the no-constellation scope: one window pass over the organisation's records,
 * which these scopes read most of anyway.
 */
function wideScopeRecords(scope: 'ORGANISATION' | 'NO_CONSTELLATION'): string {
  const key = placementKey('p');
  const none = scope === 'NO_CONSTELLATION';
  return `
-- Each non-RESPITE record up to \`to\`, flagged with whether it carries on the previous one with
-- no gap (same spell of care), and also with the same carer (same placement); and whether the
-- next one carries it on (then it is not an ending).
records as (
  select p.child_id, p.household_id, p.start_date, p.end_date, p.unplanned,
    coalesce(lag(p.end_date) over w = p.start_date, false) as continues_spell,
    coalesce(lag(p.end_date) over w = p.start_date and lag(${key}) over w = ${key}, false) as continues_placement,
    coalesce(lead(p.start_date) over w = p.end_date and lead(${key}) over w = ${key}, false) as continued
  from placement p
  where p.organisation_id = $1::uuid and p.kind <> 'RESPITE' and p.start_date <= $3::date
  window w as (partition by p.child_id order by p.start_date)
),
-- Children in scope: a record covering \`to\` (at most one per child: placements never overlap).
looked_after as (
  select r.child_id from records r
  where (r.end_date is null or r.end_date > $3::date)
    ${none ? `and ${inNoConstellationOn('r.household_id', '$3::date')}` : ''}
),
history as (
  select r.* from records r join looked_after la on la.child_id = r.child_id
),
ending_records as (
  select r.child_id, r.unplanned from records r
  where not r.continued and r.end_date >= $2::date and r.end_date <= $3::date
    ${none ? `and ${inNoConstellationOn('r.household_id', '(r.end_date - 1)')}` : ''}
)`;
}

/**
 * The same for one constellation: a few households, so their placements are found through the
 * memberships and the (household, period) index rather than by reading the whole organisation.
 */
function constellationRecords(): string {
  const key = placementKey('p');
  // looked_after is a handful of children; materialising it spares the planner a join search
  // over the whole statement (a third of its planning time on the national data set).
  return `
looked_after as materialized (
  select p.child_id
  from placement p
  where p.organisation_id = $1::uuid and p.kind <> 'RESPITE' and p.period @> $3::date
    and p.household_id in (
      select m.household_id from constellation_membership m
      where m.organisation_id = $1::uuid and m.constellation_id = $4::uuid and m.role = 'SATELLITE'
        and m.period @> $3::date)
),
history as (
  select p.child_id, p.start_date, p.end_date,
    coalesce(lag(p.end_date) over w = p.start_date, false) as continues_spell,
    coalesce(lag(p.end_date) over w = p.start_date and lag(${key}) over w = ${key}, false) as continues_placement
  from placement p
  join looked_after la on la.child_id = p.child_id
  where p.organisation_id = $1::uuid and p.kind <> 'RESPITE' and p.start_date <= $3::date
  window w as (partition by p.child_id order by p.start_date)
),
-- Records of its satellites ending inside the period while a satellite, that are the last record
-- of their merged placement (no record with the same key starts on their end date).
ending_records as (
  select p.child_id, p.unplanned
  from placement p
  where p.organisation_id = $1::uuid and p.kind <> 'RESPITE'
    and p.end_date >= $2::date and p.end_date <= $3::date
    and p.household_id in (
      select m.household_id from constellation_membership m
      where m.organisation_id = $1::uuid and m.constellation_id = $4::uuid and m.role = 'SATELLITE'
        and m.period && daterange($2::date - 1, $3::date))
    and ${satelliteOn('p.household_id', '(p.end_date - 1)')}
    and not exists (
      select 1 from placement q
      where q.child_id = p.child_id and q.organisation_id = $1::uuid and q.kind <> 'RESPITE'
        and q.start_date = p.end_date and ${placementKey('q')} = ${key})
)`;
}

function householdScope(scope: StabilityScope): string {
  switch (scope.kind) {
    case 'ORGANISATION':
      return '';
    case 'CONSTELLATION':
      return `and ${satelliteOn('h.id', '$2::date')}`;
    case 'NO_CONSTELLATION':
      return `and ${inNoConstellationOn('h.id', '$2::date')}`;
  }
}

function sleepoverNights(scope: StabilityScope): string {
  // A sleepover always belongs to a constellation: households in none have no sleepover nights.
  if (scope.kind === 'NO_CONSTELLATION') return `select 0 as used`;
  const filter =
    scope.kind === 'CONSTELLATION'
      ? // The (constellation_id, nights) index finds them; a constellation has few children.
        `and s.constellation_id = $4::uuid and s.nights && daterange($2::date, $3::date + 1)`
      : // Across the organisation both sides are read by index and hash-joined: the children by
        // (organisation_id, nights); the sleepovers by (organisation_id, start_date), since one
        // lasts at most 28 nights (sleepover_dates_rule) and so started after from - 28.
        `and s.start_date > $2::date - 28 and s.start_date <= $3::date
      and sc.organisation_id = $1::uuid and sc.nights && daterange($2::date, $3::date + 1)`;
  // Nights are counted inside the child's nights, the sleepover's and the period at once; a
  // sleepover outside the period intersects to an empty range, which counts nothing.
  return `select coalesce(sum(upper(n) - lower(n)), 0)::int as used
  from (
    select sc.nights * s.nights * daterange($2::date, $3::date + 1) as n
    from sleepover s
    join sleepover_child sc on sc.sleepover_id = s.id
    where s.organisation_id = $1::uuid and s.status = 'CONFIRMED' and sc.active
      ${filter}
  ) x`;
}

function reportSql(scope: StabilityScope): string {
  return `
with
${scope.kind === 'CONSTELLATION' ? constellationRecords() : wideScopeRecords(scope.kind)},
-- Per child: merged placements overlapping [from, to] are counted by their first overlapping
-- record, which either starts a merged placement or is the record open on \`from\`. The current
-- (last) merged placement and spell start at the latest record that starts one.
per_child as (
  select h.child_id,
    count(*) filter (where (h.end_date is null or h.end_date > $2::date)
                       and (not h.continues_placement or h.start_date <= $2::date)) as placements,
    max(h.start_date) filter (where not h.continues_placement) as placement_start,
    max(h.start_date) filter (where not h.continues_spell) as spell_start
  from history h
  group by h.child_id
),
children as (
  select
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
),
endings as (
  select
    count(*)::int as endings,
    count(*) filter (where e.unplanned)::int as unplanned,
    coalesce(array_agg(distinct e.child_id order by e.child_id) filter (where e.unplanned), '{}') as unplanned_ids
  from ending_records e
),
households as (
  select
    count(*)::int as at_start,
    count(*) filter (where h.deregistered_on <= $3::date)::int as deregistered
  from household h
  where h.organisation_id = $1::uuid
    and h.approved_on <= $2::date and (h.deregistered_on is null or h.deregistered_on > $2::date)
    ${householdScope(scope)}
),
nights as (
  ${sleepoverNights(scope)}
)
select * from children, endings, households, nights`;
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function checkPeriod(from: string, to: string): void {
  if (!isValidDate(from)) refuse(UserErrorCode.INVALID_INPUT, 'from is not a valid date', ['from']);
  if (!isValidDate(to)) refuse(UserErrorCode.INVALID_INPUT, 'to is not a valid date', ['to']);
  if (from > to) refuse(UserErrorCode.INVALID_INPUT, 'from must not be after to', ['from']);
}

/** Every StabilityReport figure for one scope and period, in one SQL statement. */
export async function stabilityReport(em: EntityManager, input: StabilityReportInput): Promise<StabilityReport> {
  const { organisationId, scope, from, to } = input;
  checkPeriod(from, to);
  if (!UUID_RE.test(organisationId)) refuse(UserErrorCode.INVALID_INPUT, 'unknown organisation', []);
  const params: unknown[] = [organisationId, from, to];
  if (scope.kind === 'CONSTELLATION') {
    if (!UUID_RE.test(scope.constellationId)) refuse(UserErrorCode.NOT_FOUND, 'unknown constellation', ['constellationId']);
    params.push(scope.constellationId);
  }
  const [row] = await sql<{
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
  }>(em, reportSql(scope), params);
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

const CHILD_STABILITY_SQL = `
with
history as (
  select p.child_id, p.start_date, p.end_date, p.unplanned,
    coalesce(lag(p.end_date) over w = p.start_date and lag(${placementKey('p')}) over w = ${placementKey('p')}, false) as continues_placement,
    coalesce(lead(p.start_date) over w = p.end_date and lead(${placementKey('p')}) over w = ${placementKey('p')}, false) as continued
  from placement p
  where p.organisation_id = $1::uuid and p.child_id = any($2::uuid[]) and p.kind <> 'RESPITE'
    and p.start_date <= $3::date
  window w as (partition by p.child_id order by p.start_date)
)
select c.id,
  count(h.child_id) filter (where (h.end_date is null or h.end_date > $4::date)
                              and (not h.continues_placement or h.start_date <= $4::date))::int as placements,
  case when bool_or(h.child_id is not null and (h.end_date is null or h.end_date > $3::date))
       then $3::date - max(h.start_date) filter (where not h.continues_placement) end as days,
  count(h.child_id) filter (where not h.continued and h.unplanned
                              and h.end_date >= $4::date and h.end_date <= $3::date)::int as unplanned
from child c
left join history h on h.child_id = c.id
where c.organisation_id = $1::uuid and c.id = any($2::uuid[])
group by c.id`;

/**
 * Stability of many children in one statement (it backs a DataLoader). "The last 12 months" is the
 * 365 days ending today: [today - 364, today], with the report's rules for overlap and endings.
 * Returns one entry per id, in order; null for ids that are not children of the organisation.
 */
export async function childStability(
  em: EntityManager,
  organisationId: string,
  childIds: readonly string[],
  today: string,
): Promise<(ChildStability | null)[]> {
  if (!isValidDate(today)) throw new Error(`childStability: invalid date ${today}`);
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
    return r
      ? { placementsInLast12Months: r.placements, daysInCurrentPlacement: r.days, unplannedEndingsInLast12Months: r.unplanned }
      : null;
  });
}
