import { childVisible, constellationVisible, householdVisible } from '../auth/scope';
import { hubOnDay } from '../constellations/membership.sql';
import type { PlacementKind } from '../placements/enums';
import type { Ctx } from '../platform/context';
import { Params } from '../platform/db/params';
import { sql, sqlOne } from '../platform/db/sql';
import { badUserInput, forbidden } from '../platform/graphql/errors';
import { viewerOf } from '../platform/graphql/guards';
import { idOf } from '../platform/graphql/ids';
import { ageInApprovalSql, approvedOnSql, hubOnSql, kindInApprovalSql, peakOccupancySql } from '../placements/eligibility';
import { addDays, ageOn, todayLondon } from '../platform/time';
import { mayMatch } from './matching.policy';
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
  const w = MATCH_WEIGHTS;
  const signals: Signal[] = [];
  const unmetNeeds: Need[] = [];
  for (const need of f.needs) {
    const skill = f.skills.find((k) => k.area === need.area);
    if (skill) {
      signals.push({ weight: w.needMet, reason: `Can meet ${needLabel(need)}${skill.detail ? ` (${skill.detail})` : ''}` });
    } else if (need.essential) {
      unmetNeeds.push(need);
      signals.push({ weight: w.unmetEssentialNeed, reason: `No recorded skill for ${needLabel(need)}` });
    } else {
      signals.push({ weight: w.unmetOtherNeed, reason: `No recorded skill for ${needLabel(need)} (not essential)` });
    }
  }
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
  const livedHere = f.plannedBefore || f.unplannedBefore;
  if (!livedHere && (f.sleepoversHere > 0 || f.hubBookingsHere > 0 || f.stayedHere)) {
    const how = [
      ...(f.sleepoversHere > 0 ? [`${f.sleepoversHere} ${f.sleepoversHere === 1 ? 'sleepover' : 'sleepovers'} here`] : []),
      ...(f.hubBookingsHere > 0 ? [`${f.hubBookingsHere} ${f.hubBookingsHere === 1 ? 'visit' : 'visits'} for hub bookings`] : []),
      ...(f.stayedHere ? ['a short break here'] : []),
    ].join(' and ');
    signals.push({ weight: w.knowsHome, reason: `${f.childName} knows this home: ${how}` });
  }
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
  // Array.prototype.sort is stable, so equal effects keep the table's order.
  signals.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return {
    score: signals.reduce((s, x) => s + x.weight, 0),
    reasons: signals.map((s) => s.reason),
    unmetNeeds,
    knowsChild: livedHere || f.sleepoversHere > 0 || f.hubBookingsHere > 0 || f.stayedHere,
  };
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

  const pc = new Params();
  const child = await sqlOne(
    ctx.em,
    `select c.id, c.first_name, c.date_of_birth,
            coalesce((select json_agg(json_build_object('area', n.area, 'detail', n.detail, 'essential', n.essential) order by n.position)
                        from child_need n where n.child_id = c.id), '[]') as needs
       from child c where c.id = ${pc.add(childId)}::uuid and ${childVisible(v, 'c', pc)}`,
    pc.values,
  );
  if (!child) return [];
  const age = ageOn(child.date_of_birth, args.startDate);
  if (age < 0) return [];

  const p = new Params();
  const c = `${p.add(childId)}::uuid`;
  const s = p.add(args.startDate);
  const today = todayLondon();
  const recentFrom = p.add(addDays(today, -365));
  const to = p.add(today);
  const rows = await sql(
    ctx.em,
    `with sib as (
       select sc.id, sc.first_name, ${childVisible(v, 'sc', p)} as visible
         from child_sibling cs join child sc on sc.id = cs.sibling_id
        where cs.child_id = ${c}
     ),
     ref as (
       -- The child's current or last household before startDate, and its constellation on the last
       -- day the child lived there.
       select pl.household_id, rh.postcode_district, (pl.end_date is null or pl.end_date >= ${s}::date) as current,
              (select m.constellation_id from constellation_membership m join constellation mk on mk.id = m.constellation_id
                where m.household_id = pl.household_id and mk.status <> 'CLOSED'
                  and m.period @> (least(coalesce(pl.end_date, ${s}::date), ${s}::date) - 1)) as constellation_id
         from placement pl join household rh on rh.id = pl.household_id
        where pl.child_id = ${c} and pl.start_date < ${s}::date
          and pl.kind <> 'RESPITE'
        order by pl.start_date desc limit 1
     ),
     -- Hubs the child has stayed at on sleepovers that have begun: the household that was the
     -- constellation's hub on the first night.
     hub_stays as (
       select household_id, (count(*) filter (where what = 'sleepover'))::int as n, (count(*) filter (where what = 'booking'))::int as bookings
         from (
           select hm.household_id, 'sleepover' as what, s.id
             from sleepover_child sc
             join sleepover s on s.id = sc.sleepover_id
             join constellation_membership hm on ${hubOnDay('hm', 's.constellation_id', 's.start_date')}
            where sc.child_id = ${c} and s.status = 'CONFIRMED' and s.start_date <= ${to}::date
           union
           -- Hub bookings the child came to: confirmed, begun, and not recorded as the child not
           -- coming (no outcome yet, or one the child was there for); the hub on the booking's day.
           select hm.household_id, 'booking', b.id
             from hub_booking_child bc
             join hub_booking b on b.id = bc.booking_id
             join constellation_membership hm on ${hubOnDay('hm', 'b.constellation_id', 'b.london_day')}
            where bc.child_id = ${c} and b.status = 'CONFIRMED' and b.starts_at <= now()
              and (b.outcome is null or b.outcome not in ('CHILD_DID_NOT_ATTEND', 'CANCELLED_ON_THE_DAY'))
         ) known
        group by household_id
     )
     select h.id, h.name, h.postcode_district, h.is_kinship or h.status = 'TEMPORARILY_APPROVED' as kinship,
            ref.household_id is not null as has_ref, ref.household_id = h.id as is_ref, ref.current as ref_current, ref.postcode_district as ref_postcode,
            k.id is not null as in_constellation, coalesce(k.id = ref.constellation_id, false) as same_constellation,
            case when ${constellationVisible(v, 'k', p)} then k.name end as constellation_name,
            coalesce((select json_agg(json_build_object('name', sib.first_name, 'visible', sib.visible) order by sib.first_name, sib.id) from sib
                       where exists (select 1 from placement sp where sp.child_id = sib.id and sp.household_id = h.id and sp.period @> ${s}::date)), '[]') as siblings_here,
            coalesce((select json_agg(json_build_object('name', sib.first_name, 'visible', sib.visible) order by sib.first_name, sib.id) from sib
                       where exists (select 1 from placement sp where sp.child_id = sib.id and sp.household_id = h.id)), '[]') as siblings_connected,
            exists (select 1 from placement pp where pp.child_id = ${c} and pp.household_id = h.id) as child_connected,
            exists (select 1 from placement pp where pp.child_id = ${c} and pp.household_id = h.id and pp.kind <> 'RESPITE' and pp.unplanned = false) as planned_before,
            exists (select 1 from placement pp where pp.child_id = ${c} and pp.household_id = h.id and pp.kind <> 'RESPITE' and pp.unplanned) as unplanned_before,
            exists (select 1 from placement pp where pp.child_id = ${c} and pp.household_id = h.id and pp.kind = 'RESPITE') as stayed_here,
            coalesce(hs.n, 0) as sleepovers_here,
            coalesce(hs.bookings, 0) as hub_bookings_here,
            coalesce((select json_agg(json_build_object('area', sk.area, 'detail', sk.detail) order by sk.position)
                        from household_skill sk where sk.household_id = h.id), '[]') as skills,
            h.bedrooms,
            -- One room per child living there on the start date, brothers and sisters sharing: a
            -- child counts unless a sibling with a smaller id lives there too.
            (select count(*)::int from placement rp
              where rp.household_id = h.id and rp.period @> ${s}::date and rp.child_id <> ${c}
                and not exists (select 1 from child_sibling rs join placement rq on rq.child_id = rs.sibling_id
                                 where rs.child_id = rp.child_id and rs.sibling_id < rp.child_id
                                   and rq.household_id = h.id and rq.period @> ${s}::date)) as rooms_taken,
            (select count(*)::int from placement u where u.household_id = h.id and u.unplanned and u.end_date > ${recentFrom}::date and u.end_date <= ${to}::date) as recent_unplanned
       from household h
       left join ref on true
       left join hub_stays hs on hs.household_id = h.id
       left join constellation_membership cm on cm.household_id = h.id and cm.period @> ${s}::date
       left join constellation k on k.id = cm.constellation_id and k.status <> 'CLOSED'
      where ${householdVisible(v, 'h', p)}
        and h.status in ('APPROVED', 'TEMPORARILY_APPROVED')
        and ${approvedOnSql('h', s)}
        and ${ageInApprovalSql('h', p.add(age))}
        and ${kindInApprovalSql('h', p.add(args.kind))}
        and not ${hubOnSql('h.id', s)}
        and ${peakOccupancySql('h.id', s, c)} < h.approval_max_children
        and not exists (select 1 from placement own where own.child_id = ${c} and own.household_id = h.id and own.period @> ${s}::date)
        and (not (h.is_kinship or h.status = 'TEMPORARILY_APPROVED')
             or exists (select 1 from placement kp where kp.household_id = h.id and (kp.child_id = ${c} or kp.child_id in (select sib.id from sib))))`,
    p.values,
  );

  const scored = rows.map((r) => {
    const result = scoreMatch({
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
    });
    return { id: r.id as string, name: r.name as string, scored: result };
  });
  return rankMatches(scored)
    .slice(0, first)
    .map((m) =>
      Object.assign(new PlacementMatch(), {
        householdId: m.id,
        score: m.scored.score,
        reasons: m.scored.reasons,
        unmetNeeds: m.scored.unmetNeeds.map((n) => Object.assign(new ChildNeed(), n)),
        knowsChild: m.scored.knowsChild,
      }),
    );
}

const collator = new Intl.Collator('en-GB', { sensitivity: 'base' });
function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
