import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlOne } from '../platform/db/sql';
import type { ChildFact, ConsentFact, HubFacts, Room } from './hub-rules';

/** The name of the one room a hub has until its rooms are set. */
export const DEFAULT_ROOM = 'Bedroom';

/** Beds numbered in room order: room n holds the next `beds` numbers after the rooms before it. */
export function roomsFrom(rows: { name: string; beds: number }[], totalBeds: number): Room[] {
  if (!rows.length) return [{ name: DEFAULT_ROOM, beds: Array.from({ length: totalBeds }, (_, i) => i + 1) }];
  let next = 1;
  return rows.map((r) => {
    const beds = Array.from({ length: r.beds }, (_, i) => next + i);
    next += r.beds;
    return { name: r.name, beds };
  });
}

/**
 * Everything the night rules need for a hub over [from, to), in one statement: the hub household
 * and its approval night by night, the bed claims, the hub household's own placed children, the
 * children involved (with their siblings and every consent given before `to`), the exemptions and
 * the rooms. `extraChildren` are the children asking to come. Read while the constellation's bed
 * lock is held, so nothing it reads about the hub's nights can change before the write.
 */
export async function loadHubFacts(em: EntityManager, constellationId: string, from: string, to: string, extraChildren: string[]): Promise<HubFacts> {
  const r = await sqlOne(
    em,
    `with hubs as (
       select m.household_id, lower(m.period) as from_date, upper(m.period) as to_date, h.status,
              h.approval_min_age, h.approval_max_age, h.approval_max_children
         from constellation_membership m join household h on h.id = m.household_id
        where m.constellation_id = $1 and m.role = 'HUB' and m.period && daterange($2::date, $3::date)
     ), claims as (
       select child_id, sleepover_id, bed, start_date, end_date, is_block from bed_claim
        where constellation_id = $1 and nights && daterange($2::date, $3::date)
     ), placed as (
       select pl.child_id, pl.household_id, lower(pl.period) as start_date, upper(pl.period) as end_date from placement pl
        where pl.household_id in (select household_id from hubs) and pl.period && daterange($2::date, $3::date)
     ), kids as (
       select unnest($4::uuid[]) as id union select child_id from claims where child_id is not null union select child_id from placed
     )
     select k.sleepover_beds as beds,
            (select coalesce(json_agg(hubs), '[]') from hubs) as hubs,
            (select coalesce(json_agg(claims), '[]') from claims) as claims,
            (select coalesce(json_agg(placed), '[]') from placed) as placed,
            (select coalesce(json_agg(json_build_object('id', c.id, 'first_name', c.first_name, 'dob', c.date_of_birth,
                      'siblings', (select coalesce(array_agg(s.sibling_id), '{}') from child_sibling s where s.child_id = c.id))), '[]')
               from child c where c.id in (select id from kids)) as children,
            (select coalesce(json_agg(json_build_object('id', sc.id, 'child_id', sc.child_id, 'given_on', sc.given_on, 'expires_on', sc.expires_on,
                      'withdrawn_on', sc.withdrawn_on, 'room_sharing', sc.room_sharing, 'not_with_ids', sc.not_with_ids, 'recorded_at', sc.recorded_at)), '[]')
               from sleepover_consent sc where sc.child_id in (select id from kids) and sc.given_on < $3::date) as consents,
            (select coalesce(json_agg(json_build_object('id', e.id, 'household_id', e.household_id, 'from_date', e.from_date, 'to_date', e.to_date,
                      'ended_on', e.ended_on, 'max_children', e.max_children,
                      'children', (select coalesce(array_agg(ec.child_id), '{}') from fostering_limit_exemption_child ec where ec.exemption_id = e.id))), '[]')
               from fostering_limit_exemption e
              where e.household_id in (select household_id from hubs) and e.from_date < $3::date and coalesce(e.ended_on, e.to_date) > $2::date) as exemptions,
            (select coalesce(json_agg(json_build_object('name', r.name, 'beds', r.beds) order by r.position), '[]') from hub_room r where r.constellation_id = $1) as rooms
       from constellation k where k.id = $1`,
    [constellationId, from, to, extraChildren],
  );
  const consents = new Map<string, ConsentFact[]>();
  for (const c of r.consents as ConsentFact[]) {
    if (!consents.has(c.child_id)) consents.set(c.child_id, []);
    consents.get(c.child_id)!.push(c);
  }
  return {
    beds: r.beds,
    hubs: r.hubs,
    claims: r.claims,
    placed: r.placed,
    children: new Map((r.children as ChildFact[]).map((c) => [c.id, c])),
    consents,
    exemptions: r.exemptions,
    rooms: roomsFrom(r.rooms, r.beds),
  };
}
