import { childVisible, constellationVisible, householdVisible } from '../auth/scope';
import { hubOnDay } from '../constellations/membership.sql';
import { ageInApprovalSql, approvedOnSql, hubOnSql, kindInApprovalSql, peakOccupancySql } from '../placements/eligibility';
import type { PlacementKind } from '../placements/enums';
import { Params } from '../platform/db/params';
import { addDays } from '../platform/time';
import type { Viewer } from '../platform/viewer';

/** A statement's text and its parameters, numbered in the text's order. */
export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * The child placementMatches is for, with their needs in the order staff gave them, when the
 * viewer may see the child.
 */
export function childToMatchStatement(v: Viewer, childId: string): Statement {
  const p = new Params();
  const text = `select c.id, c.first_name, c.date_of_birth,
            coalesce((select json_agg(json_build_object('area', n.area, 'detail', n.detail, 'essential', n.essential) order by n.position)
                        from child_need n where n.child_id = c.id), '[]') as needs
       from child c where c.id = ${p.add(childId)}::uuid and ${childVisible(v, 'c', p)}`;
  return { text, values: p.values };
}

export interface CandidateQuery {
  childId: string;
  startDate: string;
  /** The child's age on the start date. */
  age: number;
  kind: PlacementKind;
  today: string;
}

/** The parameters every part of the candidates statement shares, as SQL expressions. */
interface Shared {
  child: string;
  start: string;
  recentFrom: string;
  today: string;
}

/**
 * Every household that could take the child on the start date, with every feature scoreMatch
 * reads: scoped to what the viewer may see, and eligible by the rules startPlacement refuses on
 * (src/placements/eligibility.ts). The parts are composed in the statement's order, so the scope
 * fragments number their parameters in it.
 */
export function candidatesStatement(v: Viewer, q: CandidateQuery): Statement {
  const p = new Params();
  const child = `${p.add(q.childId)}::uuid`;
  const start = p.add(q.startDate);
  const recentFrom = p.add(addDays(q.today, -365));
  const today = p.add(q.today);
  const at: Shared = { child, start, recentFrom, today };
  const text = `with ${siblings(v, p, at)},
     ${referenceHousehold(at)},
     -- Hubs the child has stayed at on sleepovers that have begun: the household that was the
     -- constellation's hub on the first night.
     ${hubStays(at)}
     select ${features(v, p, at)}
       from household h
       left join ref on true
       left join hub_stays hs on hs.household_id = h.id
       left join constellation_membership cm on cm.household_id = h.id and cm.period @> ${start}::date
       left join constellation k on k.id = cm.constellation_id and k.status <> 'CLOSED'
      where ${eligible(v, p, at, q)}`;
  return { text, values: p.values };
}

/** `sib`: the child's siblings, and whether the viewer may see each one (to name them or not). */
function siblings(v: Viewer, p: Params, { child }: Shared): string {
  return `sib as (
       select sc.id, sc.first_name, ${childVisible(v, 'sc', p)} as visible
         from child_sibling cs join child sc on sc.id = cs.sibling_id
        where cs.child_id = ${child}
     )`;
}

/** `ref`: where the child lives now, or lived last, for "same constellation" and "same postcode". */
function referenceHousehold({ child, start }: Shared): string {
  return `ref as (
       -- The child's current or last household before startDate, and its constellation on the last
       -- day the child lived there.
       select pl.household_id, rh.postcode_district, (pl.end_date is null or pl.end_date >= ${start}::date) as current,
              (select m.constellation_id from constellation_membership m join constellation mk on mk.id = m.constellation_id
                where m.household_id = pl.household_id and mk.status <> 'CLOSED'
                  and m.period @> (least(coalesce(pl.end_date, ${start}::date), ${start}::date) - 1)) as constellation_id
         from placement pl join household rh on rh.id = pl.household_id
        where pl.child_id = ${child} and pl.start_date < ${start}::date
          and pl.kind <> 'RESPITE'
        order by pl.start_date desc limit 1
     )`;
}

/** `hub_stays`: per hub household, the sleepovers and hub bookings the child has had there. */
function hubStays({ child, today }: Shared): string {
  return `hub_stays as (
       select household_id, (count(*) filter (where what = 'sleepover'))::int as n, (count(*) filter (where what = 'booking'))::int as bookings
         from (
           select hm.household_id, 'sleepover' as what, s.id
             from sleepover_child sc
             join sleepover s on s.id = sc.sleepover_id
             join constellation_membership hm on ${hubOnDay('hm', 's.constellation_id', 's.start_date')}
            where sc.child_id = ${child} and s.status = 'CONFIRMED' and s.start_date <= ${today}::date
           union
           -- Hub bookings the child came to: confirmed, begun, and not recorded as the child not
           -- coming (no outcome yet, or one the child was there for); the hub on the booking's day.
           select hm.household_id, 'booking', b.id
             from hub_booking_child bc
             join hub_booking b on b.id = bc.booking_id
             join constellation_membership hm on ${hubOnDay('hm', 'b.constellation_id', 'b.london_day')}
            where bc.child_id = ${child} and b.status = 'CONFIRMED' and b.starts_at <= now()
              and (b.outcome is null or b.outcome not in ('CHILD_DID_NOT_ATTEND', 'CANCELLED_ON_THE_DAY'))
         ) known
        group by household_id
     )`;
}

/** The household's features (placementMatches' CandidateRow), for household `h`. */
function features(v: Viewer, p: Params, { child, start, recentFrom, today }: Shared): string {
  return `h.id, h.name, h.postcode_district, h.is_kinship or h.status = 'TEMPORARILY_APPROVED' as kinship,
            ref.household_id is not null as has_ref, ref.household_id = h.id as is_ref, ref.current as ref_current, ref.postcode_district as ref_postcode,
            k.id is not null as in_constellation, coalesce(k.id = ref.constellation_id, false) as same_constellation,
            case when ${constellationVisible(v, 'k', p)} then k.name end as constellation_name,
            coalesce((select json_agg(json_build_object('name', sib.first_name, 'visible', sib.visible) order by sib.first_name, sib.id) from sib
                       where exists (select 1 from placement sp where sp.child_id = sib.id and sp.household_id = h.id and sp.period @> ${start}::date)), '[]') as siblings_here,
            coalesce((select json_agg(json_build_object('name', sib.first_name, 'visible', sib.visible) order by sib.first_name, sib.id) from sib
                       where exists (select 1 from placement sp where sp.child_id = sib.id and sp.household_id = h.id)), '[]') as siblings_connected,
            exists (select 1 from placement pp where pp.child_id = ${child} and pp.household_id = h.id) as child_connected,
            exists (select 1 from placement pp where pp.child_id = ${child} and pp.household_id = h.id and pp.kind <> 'RESPITE' and pp.unplanned = false) as planned_before,
            exists (select 1 from placement pp where pp.child_id = ${child} and pp.household_id = h.id and pp.kind <> 'RESPITE' and pp.unplanned) as unplanned_before,
            exists (select 1 from placement pp where pp.child_id = ${child} and pp.household_id = h.id and pp.kind = 'RESPITE') as stayed_here,
            coalesce(hs.n, 0) as sleepovers_here,
            coalesce(hs.bookings, 0) as hub_bookings_here,
            coalesce((select json_agg(json_build_object('area', sk.area, 'detail', sk.detail) order by sk.position)
                        from household_skill sk where sk.household_id = h.id), '[]') as skills,
            h.bedrooms,
            -- One room per child living there on the start date, brothers and sisters sharing: a
            -- child counts unless a sibling with a smaller id lives there too.
            (select count(*)::int from placement rp
              where rp.household_id = h.id and rp.period @> ${start}::date and rp.child_id <> ${child}
                and not exists (select 1 from child_sibling rs join placement rq on rq.child_id = rs.sibling_id
                                 where rs.child_id = rp.child_id and rs.sibling_id < rp.child_id
                                   and rq.household_id = h.id and rq.period @> ${start}::date)) as rooms_taken,
            (select count(*)::int from placement u where u.household_id = h.id and u.unplanned and u.end_date > ${recentFrom}::date and u.end_date <= ${today}::date) as recent_unplanned`;
}

/**
 * Household `h` could take the child: visible to the viewer, approved, the approval covering the
 * child's age and the kind, not a hub, a place free, not the child's own home, and — kinship or
 * temporarily approved — connected to the child or a sibling.
 */
function eligible(v: Viewer, p: Params, { child, start }: Shared, q: CandidateQuery): string {
  return `${householdVisible(v, 'h', p)}
        and h.status in ('APPROVED', 'TEMPORARILY_APPROVED')
        and ${approvedOnSql('h', start)}
        and ${ageInApprovalSql('h', p.add(q.age))}
        and ${kindInApprovalSql('h', p.add(q.kind))}
        and not ${hubOnSql('h.id', start)}
        and ${peakOccupancySql('h.id', start, child)} < h.approval_max_children
        and not exists (select 1 from placement own where own.child_id = ${child} and own.household_id = h.id and own.period @> ${start}::date)
        and (not (h.is_kinship or h.status = 'TEMPORARILY_APPROVED')
             or exists (select 1 from placement kp where kp.household_id = h.id and (kp.child_id = ${child} or kp.child_id in (select sib.id from sib))))`;
}
