import { addDays, ageOn } from '../../src/platform/time';
import type { ChildStability, StabilityReport, StabilityScope } from '../../src/stability/stability.service';

/**
 * A plain, deliberately naive in-memory computation of the stability definitions of DESIGN.md,
 * used as the oracle for the SQL. It walks records and days one by one where the SQL uses window
 * functions and range arithmetic, so a shared mistake is unlikely. Semantics are the ones
 * documented at the top of src/stability/stability.service.ts.
 */

export interface RefChild {
  id: string;
  dateOfBirth: string;
}
export interface RefPlacement {
  childId: string;
  householdId: string | null;
  setting: string;
  providerName: string | null;
  kind: string;
  start: string;
  end: string | null;
  unplanned: boolean | null;
}
export interface RefHousehold {
  id: string;
  approvedOn: string | null;
  deregisteredOn: string | null;
}
export interface RefMembership {
  constellationId: string;
  householdId: string;
  role: 'HUB' | 'SATELLITE';
  joinedOn: string;
  leftOn: string | null;
}
export interface RefSleepover {
  constellationId: string;
  status: 'REQUESTED' | 'CONFIRMED' | 'DECLINED' | 'CANCELLED';
  start: string;
  end: string;
  children: { childId: string; start: string; end: string; active: boolean }[];
}
export interface RefData {
  children: RefChild[];
  placements: RefPlacement[];
  households: RefHousehold[];
  memberships: RefMembership[];
  sleepovers: RefSleepover[];
}

interface Merged {
  childId: string;
  householdId: string | null;
  start: string;
  /** Where its days end: the end of its last record, or of the temporary stays straight after it. */
  end: string | null;
  /** The end date of its last record: the day of its ending. */
  ownEnd: string | null;
  /** The last record's flag, or any of the stays after it marked unplanned. */
  unplanned: boolean | null;
}

/** [start, end) contains day (dates compare as strings in YYYY-MM-DD form). */
function covers(start: string, end: string | null, day: string): boolean {
  return start <= day && (end === null || end > day);
}

function sameCarer(a: RefPlacement, b: RefPlacement): boolean {
  if (a.householdId !== null || b.householdId !== null) return a.householdId === b.householdId;
  return a.setting === b.setting && (a.providerName ?? '') === (b.providerName ?? '');
}

/**
 * A child's records merged into placements, oldest first, walking the records one by one: a
 * RESPITE record right after a placement (or after stays after one) extends its days; one after a
 * gap, or first of all, is skipped; a record with the same carer straight after the placement (its
 * stays between them) merges into it.
 */
export function mergedPlacements(data: RefData, childId: string): Merged[] {
  const records = data.placements.filter((p) => p.childId === childId).sort((a, b) => (a.start < b.start ? -1 : 1));
  const out: Merged[] = [];
  let lastPlacement: RefPlacement | null = null;
  // The placement the previous record belongs to (itself, or the one a stay continues); null after
  // a gap or a stay that continues nothing.
  let open: Merged | null = null;
  let previousEnd: string | null | undefined = undefined;
  for (const r of records) {
    const adjacent = previousEnd !== undefined && previousEnd === r.start;
    if (!adjacent) open = null;
    if (r.kind === 'RESPITE') {
      if (open) {
        open.end = r.end;
        if (r.unplanned) open.unplanned = true;
      }
    } else if (open && lastPlacement && sameCarer(lastPlacement, r)) {
      open.end = r.end;
      open.ownEnd = r.end;
      open.unplanned = r.unplanned;
      lastPlacement = r;
    } else {
      open = { childId, householdId: r.householdId, start: r.start, end: r.end, ownEnd: r.end, unplanned: r.unplanned };
      out.push(open);
      lastPlacement = r;
    }
    previousEnd = r.end;
  }
  return out;
}

/** PostgreSQL's `date - interval 'n months'`: same day n months earlier, clamped to month end. */
export function minusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function inConstellationOn(data: RefData, householdId: string, day: string, constellationId?: string, role?: string): boolean {
  return data.memberships.some(
    (m) => m.householdId === householdId && (constellationId === undefined || m.constellationId === constellationId) && (role === undefined || m.role === role) && covers(m.joinedOn, m.leftOn, day),
  );
}

/** Is a placement with this household, on this day, inside the scope? */
function householdInScope(data: RefData, scope: StabilityScope, householdId: string | null, day: string): boolean {
  switch (scope.kind) {
    case 'ORGANISATION':
      return true;
    case 'CONSTELLATION':
      return householdId !== null && inConstellationOn(data, householdId, day, scope.constellationId, 'SATELLITE');
    case 'NO_CONSTELLATION':
      return householdId !== null && !inConstellationOn(data, householdId, day);
  }
}

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/** Is the child looked after on day number n (one of its merged placements' days, stays included, covers it)? */
function placedOn(records: { start: number; end: number }[], n: number): boolean {
  return records.some((p) => p.start <= n && p.end > n);
}

export function referenceReport(data: RefData, scope: StabilityScope, from: string, to: string): StabilityReport {
  const earliest = data.placements.reduce((min, p) => (p.start < min ? p.start : min), to);
  let lookedAfter = 0;
  let threePlus: string[] = [];
  let eligible = 0;
  let stable = 0;
  for (const child of data.children) {
    const merged = mergedPlacements(data, child.id);
    const current = merged.find((m) => covers(m.start, m.end, to));
    if (!current || !householdInScope(data, scope, current.householdId, to)) continue;
    lookedAfter++;
    const inPeriod = merged.filter((m) => m.start <= to && (m.end === null || m.end > from)).length;
    if (inPeriod >= 3) threePlus.push(child.id);
    // Walk back day by day to the first day of the current spell of care.
    const records = merged.map((m) => ({ start: dayNumber(m.start), end: m.end === null ? Infinity : dayNumber(m.end) }));
    let first = dayNumber(to);
    while (first > dayNumber(earliest) && placedOn(records, first - 1)) first--;
    const spellStart = addDays(to, first - dayNumber(to));
    const isEligible = ageOn(child.dateOfBirth, to) < 16 && spellStart <= minusMonths(to, 30);
    if (isEligible) {
      eligible++;
      if (current.start <= minusMonths(to, 24)) stable++;
    }
  }
  threePlus = threePlus.sort();

  let endings = 0;
  let unplanned = 0;
  const unplannedIds = new Set<string>();
  for (const child of data.children) {
    for (const m of mergedPlacements(data, child.id)) {
      // Still open (itself, or through a stay open after it): no ending yet.
      if (m.end === null || m.ownEnd === null || m.ownEnd < from || m.ownEnd > to) continue;
      if (!householdInScope(data, scope, m.householdId, addDays(m.ownEnd, -1))) continue;
      endings++;
      if (m.unplanned) {
        unplanned++;
        unplannedIds.add(child.id);
      }
    }
  }

  let atStart = 0;
  let deregistered = 0;
  for (const h of data.households) {
    if (h.approvedOn === null || h.approvedOn > from) continue;
    if (h.deregisteredOn !== null && h.deregisteredOn <= from) continue;
    if (scope.kind === 'CONSTELLATION' && !inConstellationOn(data, h.id, from, scope.constellationId, 'SATELLITE')) continue;
    if (scope.kind === 'NO_CONSTELLATION' && inConstellationOn(data, h.id, from)) continue;
    atStart++;
    if (h.deregisteredOn !== null && h.deregisteredOn <= to) deregistered++;
  }

  // One per child per night: a set of (child, night) pairs, nights walked one by one.
  const nights = new Set<string>();
  if (scope.kind !== 'NO_CONSTELLATION') {
    for (const s of data.sleepovers) {
      if (s.status !== 'CONFIRMED') continue;
      if (scope.kind === 'CONSTELLATION' && s.constellationId !== scope.constellationId) continue;
      for (const c of s.children) {
        if (!c.active) continue;
        for (let d = c.start; d < c.end; d = addDays(d, 1)) {
          if (d >= s.start && d < s.end && d >= from && d <= to) nights.add(`${c.childId}|${d}`);
        }
      }
    }
  }

  return {
    from,
    to,
    childrenLookedAfter: lookedAfter,
    childrenWithThreeOrMorePlacements: threePlus.length,
    threeOrMorePlacementsRate: lookedAfter ? threePlus.length / lookedAfter : null,
    longTermEligible: eligible,
    longTermStable: stable,
    longTermStabilityRate: eligible ? stable / eligible : null,
    placementEndings: endings,
    unplannedEndings: unplanned,
    sleepoverNightsUsed: nights.size,
    householdsAtStart: atStart,
    householdsDeregistered: deregistered,
    carerRetentionRate: atStart ? 1 - deregistered / atStart : null,
    childIdsWithThreeOrMorePlacements: threePlus,
    childIdsWithUnplannedEndings: [...unplannedIds].sort(),
  };
}

export function referenceChildStability(data: RefData, childId: string, today: string): ChildStability {
  const windowStart = addDays(today, -364);
  const merged = mergedPlacements(data, childId).filter((m) => m.start <= today);
  const current = merged.find((m) => covers(m.start, m.end, today));
  let days: number | null = null;
  if (current) {
    days = 0;
    for (let d = current.start; d < today; d = addDays(d, 1)) days++;
  }
  return {
    placementsInLast12Months: merged.filter((m) => m.end === null || m.end > windowStart).length,
    daysInCurrentPlacement: days,
    unplannedEndingsInLast12Months: merged.filter((m) => m.end !== null && m.ownEnd !== null && m.ownEnd >= windowStart && m.ownEnd <= today && m.unplanned === true).length,
  };
}
