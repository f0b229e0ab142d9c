import { HouseholdStatus } from '../households/enums';
import { toGlobalId } from '../platform/graphql/ids';
import { UserErrorCode } from '../platform/graphql/user-errors';
import { addDays, ageOn } from '../platform/time';
import { RoomSharing } from './consent.entity';

/**
 * The hub home's rules on one night (DESIGN.md, "The hub home: law and practice"), judged in
 * memory over facts read in one statement while the hub's lock is held (hub-facts.ts). Pure: no
 * database, no clock, so every rule can be read here in one place.
 */

export interface HubTerm {
  household_id: string;
  from_date: string;
  /** Null while the household is still the hub. */
  to_date: string | null;
  status: string;
  approval_min_age: number | null;
  approval_max_age: number | null;
  approval_max_children: number | null;
}

export interface Claim {
  child_id: string | null;
  sleepover_id: string | null;
  bed: number;
  start_date: string;
  end_date: string;
  is_block: boolean;
}

export interface PlacedStay {
  child_id: string;
  household_id: string;
  start_date: string;
  end_date: string | null;
}

export interface ChildFact {
  id: string;
  first_name: string;
  dob: string;
  siblings: string[];
}

export interface ConsentFact {
  id: string;
  child_id: string;
  given_on: string;
  expires_on: string | null;
  withdrawn_on: string | null;
  room_sharing: RoomSharing;
  not_with_ids: string[];
  recorded_at: string;
}

export interface ExemptionFact {
  id: string;
  household_id: string;
  from_date: string;
  to_date: string;
  ended_on: string | null;
  max_children: number;
  children: string[];
}

export interface Room {
  name: string;
  beds: number[];
}

export interface HubFacts {
  beds: number;
  hubs: HubTerm[];
  claims: Claim[];
  placed: PlacedStay[];
  children: Map<string, ChildFact>;
  consents: Map<string, ConsentFact[]>;
  exemptions: ExemptionFact[];
  rooms: Room[];
}

/** What a booking asks of the hub: these children, these nights, these beds (or any). */
export interface Candidate {
  sleepoverId: string | null;
  children: string[];
  start: string;
  end: string;
  beds: number[] | null;
  /** A manager's emergency override of the hub's approval (age, number); never of the fostering limit. */
  overrideApproval: boolean;
}

/** A refusal with what stands in the way: global IDs and the failing nights. */
export interface RuleBreach {
  code: UserErrorCode;
  message: string;
  field?: string[];
  subjectIds: string[];
  dates: string[];
}

export const FOSTERING_LIMIT = 3;
const UNDER_SHARING_AGE = 3;

export function nightsOf(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d < end; d = addDays(d, 1)) out.push(d);
  return out;
}

const covers = (from: string, to: string | null, night: string) => from <= night && (to === null || night < to);

/**
 * The consent that stood on a night: the latest given on or before it (a new consent supersedes
 * the one before from its givenOn; among two given the same day the later recorded wins), and only
 * if it had not expired or been withdrawn by then.
 */
export function consentOn(facts: HubFacts, childId: string, night: string): ConsentFact | null {
  let best: ConsentFact | null = null;
  for (const c of facts.consents.get(childId) ?? []) {
    if (c.given_on > night) continue;
    if (!best || c.given_on > best.given_on || (c.given_on === best.given_on && c.recorded_at > best.recorded_at)) best = c;
  }
  if (!best) return null;
  if (best.expires_on && night >= best.expires_on) return null;
  if (best.withdrawn_on && night >= best.withdrawn_on) return null;
  return best;
}

function hubOn(facts: HubFacts, night: string): HubTerm | null {
  return facts.hubs.find((h) => covers(h.from_date, h.to_date, night)) ?? null;
}

const siblings = (facts: HubFacts, a: string, b: string) => facts.children.get(a)?.siblings.includes(b) ?? false;

/** Whom the child may share with that night: a child under 3 counts as SIBLINGS; no consent is a room of their own. */
function sharingOn(facts: HubFacts, childId: string, night: string): { sharing: RoomSharing; notWith: string[] } {
  const c = consentOn(facts, childId, night);
  const child = facts.children.get(childId);
  const young = child ? ageOn(child.dob, night) < UNDER_SHARING_AGE : false;
  return { sharing: young ? RoomSharing.SIBLINGS : (c?.room_sharing ?? RoomSharing.OWN_ROOM), notWith: c?.not_with_ids ?? [] };
}

function allows(facts: HubFacts, who: string, other: string, night: string): boolean {
  const { sharing, notWith } = sharingOn(facts, who, night);
  if (notWith.includes(other)) return false;
  if (sharing === RoomSharing.OTHER_CHILDREN) return true;
  return sharing === RoomSharing.SIBLINGS && siblings(facts, who, other);
}

/** Two children may share a bedroom that night only when each one's consent allows it. */
export function mayShare(facts: HubFacts, a: string, b: string, night: string): boolean {
  return allows(facts, a, b, night) && allows(facts, b, a, night);
}

export function roomOfBed(facts: HubFacts, bed: number): Room | undefined {
  return facts.rooms.find((r) => r.beds.includes(bed));
}

const sleepoverGids = (ids: Iterable<string | null>) => [...new Set([...ids].filter((x): x is string => !!x))].map((id) => toGlobalId('Sleepover', id));
const childGids = (ids: Iterable<string>) => [...new Set(ids)].map((id) => toGlobalId('Child', id));

/** Sleepover children at the hub on a night, other than the candidate's own. */
function sleepingOn(facts: HubFacts, night: string, except: string | null): Claim[] {
  return facts.claims.filter((c) => !c.is_block && c.sleepover_id !== except && c.start_date <= night && night < c.end_date);
}

function placedOn(facts: HubFacts, hub: HubTerm, night: string): PlacedStay[] {
  return facts.placed.filter((p) => p.household_id === hub.household_id && covers(p.start_date, p.end_date, night));
}

/** Every child is a sibling of every other. */
function allSiblings(facts: HubFacts, ids: string[]): boolean {
  return ids.every((a) => ids.every((b) => a === b || siblings(facts, a, b)));
}

/**
 * The fostering limit on one night for these fostered children: at most three, not counting
 * children an exemption covering the night names (and then at most the exemption's maxChildren in
 * all), unless all are siblings of each other.
 */
export function withinFosteringLimit(facts: HubFacts, hub: HubTerm, night: string, children: string[]): boolean {
  if (children.length <= FOSTERING_LIMIT || allSiblings(facts, children)) return true;
  const covering = facts.exemptions.filter((e) => e.household_id === hub.household_id && covers(e.from_date, e.ended_on ?? e.to_date, night));
  const named = new Set(covering.flatMap((e) => e.children));
  const counted = children.filter((c) => !named.has(c));
  if (counted.length > FOSTERING_LIMIT) return false;
  const applying = covering.filter((e) => e.children.some((c) => children.includes(c)));
  if (!applying.length) return true;
  return children.length <= Math.max(...applying.map((e) => e.max_children));
}

const nightList = (dates: string[]) => (dates.length > 3 ? `${dates.slice(0, 3).join(', ')} and ${dates.length - 3} more` : dates.join(', '));

/**
 * Everything but the choice of beds, night by night: the hub approved, the night open, enough free
 * beds, consent standing for each child, the hub's approval (ages, number) and the fostering limit.
 * The first rule broken is returned with every night it fails on.
 */
export function checkNights(facts: HubFacts, cand: Candidate, opts: { consent: boolean }): RuleBreach | null {
  const nights = nightsOf(cand.start, cand.end);
  return (
    hubOpenBreach(facts, nights) ??
    bedsBreach(facts, cand) ??
    (opts.consent ? consentBreach(facts, cand, nights) : null) ??
    (cand.overrideApproval ? null : approvalBreach(facts, cand, nights)) ??
    fosteringLimitBreach(facts, cand, nights)
  );
}

type NightTest = (night: string) => { bad: boolean; subjects?: string[] };

/** The rule broken on every night `test` finds bad, with those nights and whom it concerns; null when none is. */
function failingNights(nights: string[], code: UserErrorCode, message: (dates: string[]) => string, test: NightTest, field?: string[]): RuleBreach | null {
  const dates: string[] = [];
  const subjects: string[] = [];
  for (const n of nights) {
    const r = test(n);
    if (!r.bad) continue;
    dates.push(n);
    subjects.push(...(r.subjects ?? []));
  }
  return dates.length ? { code, message: message(dates), subjectIds: [...new Set(subjects)], dates, field } : null;
}

const childName = (facts: HubFacts, id: string) => facts.children.get(id)?.first_name ?? 'A child';
/** "night of 2026-05-03", "nights of 2026-05-03, 2026-05-04, 2026-05-05 and 2 more". */
const nightsPhrase = (d: string[]) => `night${d.length === 1 ? '' : 's'} of ${nightList(d)}`;

/** The hub household approved, and the hub open, every night. */
function hubOpenBreach(facts: HubFacts, nights: string[]): RuleBreach | null {
  const unapproved = failingNights(
    nights,
    UserErrorCode.NOT_APPROVED,
    (d) => `The hub household is not approved for the night of ${d[0]}: it takes no new sleepovers.`,
    (n) => ({ bad: hubOn(facts, n)?.status !== HouseholdStatus.APPROVED }),
  );
  if (unapproved) return { ...unapproved, dates: [] };
  const blocked = failingNights(
    nights,
    UserErrorCode.NO_BED_AVAILABLE,
    () => 'The hub has closed some of those nights.',
    (n) => ({ bad: facts.claims.some((c) => c.is_block && c.start_date <= n && n < c.end_date) }),
  );
  if (blocked) return { ...blocked, dates: [] };
  return null;
}

/** The beds asked for, or enough beds, free every night: too few beds is the plainest answer, whatever else would also stand in the way. */
function bedsBreach(facts: HubFacts, cand: Candidate): RuleBreach | null {
  const freeList = freeBeds(facts, cand);
  const free = freeList.length;
  const taken = cand.beds?.find((b) => !freeList.includes(b));
  if (taken !== undefined) return { code: UserErrorCode.NO_BED_AVAILABLE, message: `Bed ${taken} is not free on every night.`, field: ['input', 'beds'], subjectIds: [], dates: [] };
  if (!cand.beds && free < cand.children.length) {
    return {
      code: UserErrorCode.NO_BED_AVAILABLE,
      message: `${free ? `Only ${free}` : 'No'} bed${free === 1 ? ' is' : 's are'} free on every night; ${cand.children.length} needed.`,
      subjectIds: [],
      dates: [],
    };
  }
  return null;
}

/** Sleepover consent standing for every child every night. */
function consentBreach(facts: HubFacts, cand: Candidate, nights: string[]): RuleBreach | null {
  const missing = new Set<string>();
  return failingNights(
    nights,
    UserErrorCode.CONSENT_REQUIRED,
    (d) => `${[...missing].map((c) => childName(facts, c)).join(' and ')} ${missing.size === 1 ? 'has' : 'have'} no sleepover consent standing on the ${nightsPhrase(d)}.`,
    (n) => {
      const without = cand.children.filter((c) => !consentOn(facts, c, n));
      without.forEach((c) => missing.add(c));
      return { bad: without.length > 0, subjects: childGids(without) };
    },
    ['input', 'childIds'],
  );
}

/** The hub household's approval: the children's ages, then how many children it may have. */
function approvalBreach(facts: HubFacts, cand: Candidate, nights: string[]): RuleBreach | null {
  const outside = new Set<string>();
  const ages = failingNights(
    nights,
    UserErrorCode.OUTSIDE_APPROVAL,
    (d) => `${[...outside].map((c) => childName(facts, c)).join(' and ')} ${outside.size === 1 ? 'is' : 'are'} outside the ages the hub household is approved for on the ${nightsPhrase(d)}.`,
    (n) => {
      const hub = hubOn(facts, n)!;
      const bad = cand.children.filter((c) => {
        const age = ageOn(facts.children.get(c)!.dob, n);
        return (hub.approval_min_age != null && age < hub.approval_min_age) || (hub.approval_max_age != null && age > hub.approval_max_age);
      });
      bad.forEach((c) => outside.add(c));
      return { bad: bad.length > 0, subjects: childGids(bad) };
    },
    ['input', 'childIds'],
  );
  if (ages) return ages;
  return failingNights(
    nights,
    UserErrorCode.NO_VACANCY,
    (d) => `The hub household would have more children than it is approved for on the ${nightsPhrase(d)}.`,
    (n) => {
      const hub = hubOn(facts, n)!;
      const sleeping = sleepingOn(facts, n, cand.sleepoverId);
      const count = placedOn(facts, hub, n).length + sleeping.length + cand.children.length;
      return { bad: hub.approval_max_children != null && count > hub.approval_max_children, subjects: sleepoverGids(sleeping.map((c) => c.sleepover_id)) };
    },
  );
}

/** The fostering limit every night, counting the children placed at the hub and those sleeping over. */
function fosteringLimitBreach(facts: HubFacts, cand: Candidate, nights: string[]): RuleBreach | null {
  return failingNights(
    nights,
    UserErrorCode.FOSTERING_LIMIT,
    (d) => `More than ${FOSTERING_LIMIT} fostered children, not all siblings of each other and not named in an exemption, would be at the hub home on the ${nightsPhrase(d)}.`,
    (n) => {
      const hub = hubOn(facts, n)!;
      const sleeping = sleepingOn(facts, n, cand.sleepoverId);
      const everyone = [...new Set([...placedOn(facts, hub, n).map((p) => p.child_id), ...sleeping.map((c) => c.child_id!), ...cand.children])];
      return { bad: !withinFosteringLimit(facts, hub, n, everyone), subjects: sleepoverGids(sleeping.map((c) => c.sleepover_id)) };
    },
  );
}

/** Beds with no claim (sleepover or block) on any of the nights, lowest first. */
export function freeBeds(facts: HubFacts, cand: Candidate): number[] {
  const out: number[] = [];
  for (let b = 1; b <= facts.beds; b++) {
    const taken = facts.claims.some((c) => c.bed === b && c.sleepover_id !== cand.sleepoverId && c.start_date < cand.end && cand.start < c.end_date);
    if (!taken) out.push(b);
  }
  return out;
}

/** Who the child would share a room with, and on which nights, that the rule forbids. */
function conflictsIn(facts: HubFacts, cand: Candidate, child: string, bed: number, placedSoFar: Map<string, number>): { sleepovers: (string | null)[]; dates: string[] } {
  const room = roomOfBed(facts, bed);
  const sleepovers: (string | null)[] = [];
  const dates: string[] = [];
  if (!room) return { sleepovers, dates };
  for (const n of nightsOf(cand.start, cand.end)) {
    let bad = false;
    for (const c of sleepingOn(facts, n, cand.sleepoverId)) {
      if (!room.beds.includes(c.bed) || mayShare(facts, child, c.child_id!, n)) continue;
      bad = true;
      sleepovers.push(c.sleepover_id);
    }
    for (const [other, otherBed] of placedSoFar) {
      if (!room.beds.includes(otherBed) || mayShare(facts, child, other, n)) continue;
      bad = true;
      sleepovers.push(cand.sleepoverId);
    }
    if (bad) dates.push(n);
  }
  return { sleepovers, dates };
}

/**
 * Beds for the candidate's children, one each, free on every night and in rooms whose other
 * children on each night may share with them. Beds asked for are checked (ROOM_SHARING when they
 * break the rule); otherwise the allocator searches the free beds, lowest first, backtracking, and
 * reports NO_BED_AVAILABLE when no choice follows the rule.
 */
export function chooseBeds(facts: HubFacts, cand: Candidate): { beds: number[] } | RuleBreach {
  const free = freeBeds(facts, cand);
  if (cand.beds) {
    const taken = cand.beds.find((b) => !free.includes(b));
    if (taken !== undefined) return { code: UserErrorCode.NO_BED_AVAILABLE, message: `Bed ${taken} is not free on every night.`, field: ['input', 'beds'], subjectIds: [], dates: [] };
    const placed = new Map<string, number>();
    for (let i = 0; i < cand.children.length; i++) {
      const { sleepovers, dates } = conflictsIn(facts, cand, cand.children[i], cand.beds[i], placed);
      if (dates.length) {
        const room = roomOfBed(facts, cand.beds[i])!;
        return {
          code: UserErrorCode.ROOM_SHARING,
          message: `Bed ${cand.beds[i]} is in ${room.name}, shared on the night${dates.length === 1 ? '' : 's'} of ${nightList(dates)} with a child ${facts.children.get(cand.children[i])?.first_name ?? 'the child'} may not share a room with.`,
          field: ['input', 'beds'],
          subjectIds: sleepoverGids(sleepovers),
          dates,
        };
      }
      placed.set(cand.children[i], cand.beds[i]);
    }
    return { beds: cand.beds };
  }
  if (free.length < cand.children.length) {
    return {
      code: UserErrorCode.NO_BED_AVAILABLE,
      message: `${free.length ? `Only ${free.length}` : 'No'} bed${free.length === 1 ? ' is' : 's are'} free on every night; ${cand.children.length} needed.`,
      subjectIds: [],
      dates: [],
    };
  }
  const chosen = new Map<string, number>();
  const search = (i: number): boolean => {
    if (i === cand.children.length) return true;
    const child = cand.children[i];
    for (const b of free) {
      if ([...chosen.values()].includes(b)) continue;
      if (conflictsIn(facts, cand, child, b, chosen).dates.length) continue;
      chosen.set(child, b);
      if (search(i + 1)) return true;
      chosen.delete(child);
    }
    return false;
  };
  if (!search(0)) {
    return {
      code: UserErrorCode.NO_BED_AVAILABLE,
      message: 'No free beds on every night are in rooms the children may share: the bedroom-sharing rules leave no place for them.',
      subjectIds: [],
      dates: [],
    };
  }
  return { beds: cand.children.map((c) => chosen.get(c)!) };
}

/** A confirmed sleepover's nights from the repack date on, and each child's bed. */
export interface FutureStay {
  sleepoverId: string;
  children: string[];
  beds: number[];
  start: string;
  end: string;
}

export interface BedMove {
  sleepoverId: string;
  childId: string;
  from: string;
  end: string;
  bed: number;
}

/** Confirmed sleepovers holding beds on nights from `from` on, each clipped to start no earlier than `from`. */
export function futureStays(facts: HubFacts, from: string): FutureStay[] {
  const bySleepover = new Map<string, FutureStay>();
  for (const c of facts.claims) {
    if (c.is_block || !c.sleepover_id || c.end_date <= from) continue;
    let s = bySleepover.get(c.sleepover_id);
    if (!s) bySleepover.set(c.sleepover_id, (s = { sleepoverId: c.sleepover_id, children: [], beds: [], start: c.start_date > from ? c.start_date : from, end: c.end_date }));
    s.children.push(c.child_id!);
    s.beds.push(c.bed);
  }
  return [...bySleepover.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
}

/** Every room on every night from `from` holds only children who may share it, on beds the hub has. */
function holdsAsIs(facts: HubFacts, stays: FutureStay[]): boolean {
  if (stays.some((s) => s.beds.some((b) => b > facts.beds || !roomOfBed(facts, b)))) return false;
  for (const s of stays) {
    for (const n of nightsOf(s.start, s.end)) {
      for (let i = 0; i < s.children.length; i++) {
        const room = roomOfBed(facts, s.beds[i])!;
        for (const o of stays) {
          if (o.start > n || n >= o.end) continue;
          for (let j = 0; j < o.children.length; j++) {
            if (o === s && j === i) continue;
            if (room.beds.includes(o.beds[j]) && !mayShare(facts, s.children[i], o.children[j], n)) return false;
          }
        }
      }
    }
  }
  return true;
}

/**
 * New beds for the confirmed sleepovers from `from` on, after the hub's rooms, a consent or a bed
 * count changed. Nothing moves when every room still follows the rule. Otherwise the sleepovers
 * are placed again in order of their first night (the longest first among equals), each keeping its
 * beds where they still follow the rule and taking the allocator's choice otherwise. Greedy: with
 * one room it is exact (interval partitioning); with several, a refusal means this order found no
 * place, and names the sleepovers left over.
 */
export function planRepack(facts: HubFacts, from: string): { moves: BedMove[]; unplaced: string[] } {
  const stays = futureStays(facts, from);
  if (holdsAsIs(facts, stays)) return { moves: [], unplaced: [] };
  const placed: Claim[] = facts.claims.filter((c) => c.is_block);
  const moves: BedMove[] = [];
  const unplaced: string[] = [];
  for (const s of stays) {
    const trial = { ...facts, claims: placed };
    const cand: Candidate = { sleepoverId: s.sleepoverId, children: s.children, start: s.start, end: s.end, beds: null, overrideApproval: true };
    const keep = s.beds.every((b) => b <= facts.beds) ? chooseBeds(trial, { ...cand, beds: s.beds }) : null;
    const got = keep && !('code' in keep) ? keep : chooseBeds(trial, cand);
    if ('code' in got) {
      unplaced.push(s.sleepoverId);
      continue;
    }
    got.beds.forEach((bed, i) => {
      placed.push({ child_id: s.children[i], sleepover_id: s.sleepoverId, bed, start_date: s.start, end_date: s.end, is_block: false });
      if (bed !== s.beds[i]) moves.push({ sleepoverId: s.sleepoverId, childId: s.children[i], from: s.start, end: s.end, bed });
    });
  }
  return { moves, unplaced };
}
