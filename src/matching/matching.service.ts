import type { PlacementKind } from '../placements/enums';
import type { Ctx } from '../platform/context';
import { sql, sqlOne } from '../platform/db/sql';
import { badUserInput, forbidden } from '../platform/graphql/errors';
import { viewerOf } from '../platform/graphql/guards';
import { idOf } from '../platform/graphql/ids';
import { ageOn, todayLondon } from '../platform/time';
import { mayMatch } from './matching.policy';
import { candidatesStatement, childToMatchStatement } from './matching.sql';
import { PlacementMatch } from './matching.types';
import { ChildNeed } from './needs.entity';

/**
 * What each signal adds to a household's score. An essential need the household has no skill for
 * outweighs everything else together; then sibling ties, family and friends already connected to
 * the child, a home the child left as planned, the child's own constellation (same hub, same
 * friends, same sleepover carers), each need the carers have a skill for, a home the child knows
 * from stays, any constellation (hub support), and being near the child's last carers; disruptions
 * at the household and a home with no bedroom free count against it.
 */
export const MATCH_WEIGHTS = {
  /**
   * Each essential need with no skill recorded in its area. Far below anything the other signals
   * add up to, and the ranking puts such households after every household without one anyway
   * (rankMatches): they stay on the list, last, with the need named, never left out silently.
   */
  unmetEssentialNeed: -1000,
  /** A sibling of the child is placed there on the start date. */
  siblingHere: 40,
  /** Each further sibling placed there. */
  furtherSiblingHere: 5,
  /** A kinship (or Regulation 24) household where the child or a sibling has been placed. */
  kinshipConnected: 30,
  /** The child lived there before and that placement ended as planned. */
  knownHome: 25,
  /** A member, on the start date, of the constellation of the child's current or last household. */
  sameConstellation: 20,
  /** A member of another constellation on the start date (hub support). */
  anyConstellation: 8,
  /** Same outward postcode as the child's current or last household (school, friends, family time). */
  samePostcodeDistrict: 5,
  /**
   * Each of the child's needs, essential or not, the carers have a skill for in the same area:
   * the fostering team's first question, after the child's own people and places.
   */
  needMet: 12,
  /**
   * The child knows this home from stays rather than a placement: sleepovers while it was their
   * hub, or a temporary stay (RESPITE record). A placement there scores as knownHome or
   * unplannedBefore instead.
   */
  knowsHome: 10,
  /** A need that is not essential with no skill recorded: said, not scored. */
  unmetOtherNeed: 0,
  /**
   * Its bedrooms (when recorded) are all taken by the children living there on the start date, one
   * room per child, brothers and sisters sharing, and the child has no sibling there to share with.
   */
  noFreeBedroom: -20,
  /** The child lived there before and that placement ended unplanned. */
  unplannedBefore: -15,
  /** Each unplanned ending at the household in the 365 days to today, at most RECENT_UNPLANNED_CAP counted. */
  recentUnplannedEnding: -6,
} as const;
export const RECENT_UNPLANNED_CAP = 3;
export const MAX_MATCHES = 50;

type Sibling = { name: string; visible: boolean };

/** Everything the candidates statement knows about one household. */
export interface MatchFeatures {
  childName: string;
  siblingsHere: Sibling[];
  kinship: boolean;
  childConnected: boolean;
  siblingsConnected: Sibling[];
  plannedBefore: boolean;
  unplannedBefore: boolean;
  /** The child's current or last household: null when the child has never been with one. */
  reference: { current: boolean; isThisHousehold: boolean; postcodeDistrict: string } | null;
  sameConstellation: boolean;
  constellation: { name: string | null } | null;
  postcodeDistrict: string;
  recentUnplannedEndings: number;
  /** The child's needs, in the order staff gave them. */
  needs: Need[];
  /** The household's skills. */
  skills: Skill[];
  /** Sleepovers the child has had at this household while it was their hub (begun, confirmed). */
  sleepoversHere: number;
  /** Hub bookings the child came to at this household while it was the constellation's hub. */
  hubBookingsHere: number;
  /** The child had a temporary stay (RESPITE record) here. */
  stayedHere: boolean;
  /** Bedrooms for fostered children; null when not recorded (then nothing is said). */
  bedrooms: number | null;
  /** Bedrooms the children living there on the start date take: one per child, siblings sharing. */
  roomsTaken: number;
}

export interface Need {
  area: string;
  detail: string | null;
  essential: boolean;
}
export interface Skill {
  area: string;
  detail: string | null;
}

interface Signal {
  weight: number;
  reason: string;
}

export interface Scored {
  score: number;
  reasons: string[];
  /** The child's essential needs with no skill in their area here. */
  unmetNeeds: Need[];
  /** Lived here before, or stayed here (sleepovers, temporary stays). */
  knowsChild: boolean;
}

function needLabel(n: Need): string {
  return n.detail ? `${n.area}: ${n.detail}` : n.area;
}

/** "Amy", "Amy and Ava", "Amy and 1 more": siblings the viewer may not see are counted, not named. */
function siblingNames(list: Sibling[]): string | null {
  const shown = list.filter((x) => x.visible).map((x) => x.name);
  if (!shown.length) return null;
  const hidden = list.length - shown.length;
  const parts = hidden ? [...shown, `${hidden} more`] : shown;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The score and the reasons behind it, strongest first (largest effect either way; table order on ties). */
export function scoreMatch(f: MatchFeatures): Scored {
  const signals = [...needSignals(f), ...familySignals(f), ...historySignals(f), ...familiaritySignals(f), ...householdSignals(f)];
  // Array.prototype.sort is stable, so equal effects keep the table's order.
  signals.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return {
    score: signals.reduce((s, x) => s + x.weight, 0),
    reasons: signals.map((s) => s.reason),
    unmetNeeds: f.needs.filter((need) => need.essential && !f.skills.some((k) => k.area === need.area)),
    knowsChild: livedHere(f) || f.sleepoversHere > 0 || f.hubBookingsHere > 0 || f.stayedHere,
  };
}

const livedHere = (f: MatchFeatures) => f.plannedBefore || f.unplannedBefore;

/** Each of the child's needs: met by a skill in its area, or not (which counts only when essential). */
function needSignals(f: MatchFeatures): Signal[] {
  const w = MATCH_WEIGHTS;
  return f.needs.map((need) => {
    const skill = f.skills.find((k) => k.area === need.area);
    if (skill) return { weight: w.needMet, reason: `Can meet ${needLabel(need)}${skill.detail ? ` (${skill.detail})` : ''}` };
    if (need.essential) return { weight: w.unmetEssentialNeed, reason: `No recorded skill for ${needLabel(need)}` };
    return { weight: w.unmetOtherNeed, reason: `No recorded skill for ${needLabel(need)} (not essential)` };
  });
}

/** Siblings living there, and family and friends carers connected to the child or a sibling. */
function familySignals(f: MatchFeatures): Signal[] {
  const w = MATCH_WEIGHTS;
  const signals: Signal[] = [];
  if (f.siblingsHere.length) {
    const n = f.siblingsHere.length;
    const who = siblingNames(f.siblingsHere);
    const reason = n === 1 ? (who ? `Sibling ${who} lives here` : 'A sibling lives here') : who ? `Siblings ${who} live here` : `${n} siblings live here`;
    signals.push({ weight: w.siblingHere + w.furtherSiblingHere * (n - 1), reason });
  }
  if (f.kinship && (f.childConnected || f.siblingsConnected.length)) {
    const who = siblingNames(f.siblingsConnected);
    const reason = f.childConnected
      ? `Family and friends carers connected to ${f.childName}`
      : who
        ? `Family and friends carers connected to ${f.childName}'s ${f.siblingsConnected.length === 1 ? 'sibling' : 'siblings'} ${who}`
        : `Family and friends carers connected to a sibling of ${f.childName}`;
    signals.push({ weight: w.kinshipConnected, reason });
  }
  return signals;
}

/** The child's own history: a home they lived in before, and how near this one is to their current or last carers. */
function historySignals(f: MatchFeatures): Signal[] {
  const w = MATCH_WEIGHTS;
  const signals: Signal[] = [];
  if (f.plannedBefore) signals.push({ weight: w.knownHome, reason: `A known home: ${f.childName} lived here before and it ended as planned` });
  const carers = f.reference?.current ? 'the current carers' : 'the last carers';
  const elsewhere = f.reference && !f.reference.isThisHousehold;
  if (elsewhere && f.sameConstellation) {
    signals.push({ weight: w.sameConstellation, reason: `Same constellation as ${carers}${f.constellation?.name ? ` (${f.constellation.name})` : ''}` });
  } else if (f.constellation) {
    signals.push({ weight: w.anyConstellation, reason: f.constellation.name ? `In the ${f.constellation.name} constellation (hub support)` : 'In a constellation (hub support)' });
  }
  if (elsewhere && f.reference!.postcodeDistrict === f.postcodeDistrict) {
    signals.push({ weight: w.samePostcodeDistrict, reason: `Same postcode district as ${carers} (${f.postcodeDistrict})` });
  }
  if (f.unplannedBefore) signals.push({ weight: w.unplannedBefore, reason: `${f.childName}'s earlier placement here ended unplanned` });
  return signals;
}

/** A home the child knows from stays (sleepovers, hub bookings, a short break) rather than a placement. */
function familiaritySignals(f: MatchFeatures): Signal[] {
  if (livedHere(f) || !(f.sleepoversHere > 0 || f.hubBookingsHere > 0 || f.stayedHere)) return [];
  const how = [
    ...(f.sleepoversHere > 0 ? [`${f.sleepoversHere} ${f.sleepoversHere === 1 ? 'sleepover' : 'sleepovers'} here`] : []),
    ...(f.hubBookingsHere > 0 ? [`${f.hubBookingsHere} ${f.hubBookingsHere === 1 ? 'visit' : 'visits'} for hub bookings`] : []),
    ...(f.stayedHere ? ['a short break here'] : []),
  ].join(' and ');
  return [{ weight: MATCH_WEIGHTS.knowsHome, reason: `${f.childName} knows this home: ${how}` }];
}

/** The household as it is: a bedroom free or not, and its recent unplanned endings. */
function householdSignals(f: MatchFeatures): Signal[] {
  const w = MATCH_WEIGHTS;
  const signals: Signal[] = [];
  if (f.bedrooms !== null && f.roomsTaken >= f.bedrooms && f.siblingsHere.length === 0) {
    const rooms =
      f.bedrooms === 0
        ? 'no bedroom is recorded for fostered children'
        : f.bedrooms === 1
          ? 'the 1 bedroom is taken by the children living here'
          : `all ${f.bedrooms} bedrooms are taken by the children living here`;
    signals.push({ weight: w.noFreeBedroom, reason: `No free bedroom: ${rooms}` });
  }
  if (f.recentUnplannedEndings > 0) {
    const n = f.recentUnplannedEndings;
    signals.push({ weight: w.recentUnplannedEnding * Math.min(n, RECENT_UNPLANNED_CAP), reason: `${n} unplanned ${n === 1 ? 'ending' : 'endings'} here in the last 12 months` });
  }
  return signals;
}

/**
 * Best first: every household that can meet the child's essential needs before any that cannot,
 * then by score, then by name and id so equal scores list the same way every time.
 */
export function rankMatches<T extends { id: string; name: string; scored: Scored }>(list: T[]): T[] {
  return [...list].sort(
    (a, b) =>
      Number(a.scored.unmetNeeds.length > 0) - Number(b.scored.unmetNeeds.length > 0) || b.scored.score - a.scored.score || compareNames(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * The call list for a child from startDate: households that could take the child then (the rules
 * startPlacement checks, from src/placements/eligibility.ts), best first. Beyond those rules:
 * only APPROVED households, and kinship or temporarily approved (Regulation 24) households only
 * when connected — the child or one of the child's siblings has (had) a placement there; never a
 * hub; never the household the child already lives with on startDate. Staff only, and scoped in
 * the query: the child and the households must be ones the viewer may see. A child ID that is
 * well formed but unknown (or not visible) gives an empty list, as an unknown ID reads.
 *
 * Two statements whatever the number of households: the child, then the candidates with every
 * feature; scoring and ordering happen here.
 */
export async function placementMatches(ctx: Ctx, args: { childId: string; startDate: string; kind: PlacementKind; first?: number | null }): Promise<PlacementMatch[]> {
  const v = viewerOf(ctx);
  if (!mayMatch(v)) throw forbidden('Only staff can see placement matches.');
  const first = args.first ?? 10;
  if (!Number.isInteger(first) || first < 1 || first > MAX_MATCHES) throw badUserInput(`first must be between 1 and ${MAX_MATCHES}.`);
  const childId = idOf('Child', args.childId);
  if (!childId) throw badUserInput('childId is not the ID of a child.');

  const childQuery = childToMatchStatement(v, childId);
  const child = await sqlOne<ChildToMatch>(ctx.em, childQuery.text, childQuery.values);
  if (!child) return [];
  const age = ageOn(child.date_of_birth, args.startDate);
  if (age < 0) return [];
  const candidates = candidatesStatement(v, { childId, startDate: args.startDate, age, kind: args.kind, today: todayLondon() });
  const rows = await sql<CandidateRow>(ctx.em, candidates.text, candidates.values);

  const scored = rows.map((r) => ({ id: r.id, name: r.name, scored: scoreMatch(featuresOf(child, r)) }));
  return rankMatches(scored).slice(0, first).map(toPlacementMatch);
}

/** The child placementMatches is for (childToMatchStatement). */
interface ChildToMatch {
  id: string;
  first_name: string;
  date_of_birth: string;
  needs: Need[];
}

/** One candidate household (candidatesStatement). */
interface CandidateRow {
  id: string;
  name: string;
  postcode_district: string;
  kinship: boolean;
  has_ref: boolean;
  is_ref: boolean;
  ref_current: boolean;
  ref_postcode: string;
  in_constellation: boolean;
  same_constellation: boolean;
  constellation_name: string | null;
  siblings_here: Sibling[];
  siblings_connected: Sibling[];
  child_connected: boolean;
  planned_before: boolean;
  unplanned_before: boolean;
  stayed_here: boolean;
  sleepovers_here: number;
  hub_bookings_here: number;
  skills: Skill[];
  bedrooms: number | null;
  rooms_taken: number;
  recent_unplanned: number;
}

function featuresOf(child: ChildToMatch, r: CandidateRow): MatchFeatures {
  return {
    childName: child.first_name,
    siblingsHere: r.siblings_here,
    kinship: r.kinship,
    childConnected: r.child_connected,
    siblingsConnected: r.siblings_connected,
    plannedBefore: r.planned_before,
    unplannedBefore: r.unplanned_before,
    reference: r.has_ref ? { current: r.ref_current, isThisHousehold: r.is_ref, postcodeDistrict: r.ref_postcode } : null,
    sameConstellation: r.same_constellation,
    constellation: r.in_constellation ? { name: r.constellation_name ?? null } : null,
    postcodeDistrict: r.postcode_district,
    recentUnplannedEndings: r.recent_unplanned,
    needs: child.needs,
    skills: r.skills,
    sleepoversHere: r.sleepovers_here,
    hubBookingsHere: r.hub_bookings_here,
    stayedHere: r.stayed_here,
    bedrooms: r.bedrooms ?? null,
    roomsTaken: r.rooms_taken,
  };
}

function toPlacementMatch(m: { id: string; scored: Scored }): PlacementMatch {
  return Object.assign(new PlacementMatch(), {
    householdId: m.id,
    score: m.scored.score,
    reasons: m.scored.reasons,
    unmetNeeds: m.scored.unmetNeeds.map((n) => Object.assign(new ChildNeed(), n)),
    knowsChild: m.scored.knowsChild,
  });
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base' });
function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
