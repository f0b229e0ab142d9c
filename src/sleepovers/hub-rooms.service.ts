import type { Constellation } from '../constellations/constellation.entity';
import { sql } from '../platform/db/sql';
import { toGlobalId } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { todayLondon } from '../platform/time';
import { loadHubFacts, roomsFrom } from './hub-facts';
import { futureStays, nightsOf, planRepack, type Claim } from './hub-rules';
import { blockNewBeds, lockVisibleConstellation } from './hub-nights.service';
import { maySetRooms } from './hub-rooms.policy';
import { applyBedMoves } from './repack';
import type { SetHubRoomsInput } from './hub-rooms.types';

export const MAX_ROOMS = 10;
const MAX_BEDS = 10;
const FAR_FUTURE = '2200-12-31';

function checkRooms(p: Problems, input: SetHubRoomsInput): void {
  const rooms = input.rooms;
  if (!rooms.length) p.add(UserErrorCode.INVALID_INPUT, 'A hub has at least one room.', ['input', 'rooms']);
  if (rooms.length > MAX_ROOMS) p.add(UserErrorCode.INVALID_INPUT, `At most ${MAX_ROOMS} rooms.`, ['input', 'rooms']);
  const names = new Set<string>();
  rooms.forEach((r, i) => {
    const name = r.name.trim();
    if (!name || name.length > 100) p.add(UserErrorCode.INVALID_INPUT, 'A room has a name of 1 to 100 characters.', ['input', 'rooms', String(i), 'name']);
    else if (names.has(name.toLowerCase())) p.add(UserErrorCode.INVALID_INPUT, `Two rooms are called ${name}.`, ['input', 'rooms', String(i), 'name']);
    names.add(name.toLowerCase());
    if (!Number.isInteger(r.beds) || r.beds < 1) p.add(UserErrorCode.INVALID_INPUT, 'A room has at least one bed.', ['input', 'rooms', String(i), 'beds']);
  });
  const total = rooms.reduce((n, r) => n + (Number.isInteger(r.beds) ? r.beds : 0), 0);
  if (total > MAX_BEDS) p.add(UserErrorCode.INVALID_INPUT, `A hub keeps at most ${MAX_BEDS} sleepover beds.`, ['input', 'rooms']);
}

/**
 * Replaces the hub's rooms; beds are numbered in room order and sleepoverBeds becomes their total.
 * Confirmed sleepovers from today on are repacked onto beds that follow the bedroom-sharing rules
 * under the new rooms (their past nights stay where they were), or the change is refused naming
 * the sleepovers that found no place: INVALID_STATE when some night simply has more children than
 * beds (as reducing sleepoverBeds), ROOM_SHARING otherwise.
 */
export async function setHubRooms(tx: Tx, input: SetHubRoomsInput): Promise<Outcome<{ constellation: Constellation }>> {
  const p = new Problems();
  checkRooms(p, input);
  p.throwIfAny();
  const k = await lockVisibleConstellation(tx, input.constellationId);
  if (!maySetRooms(tx.viewer, k.id)) refuse(UserErrorCode.FORBIDDEN, "Only the hub carer, the liaison worker or a manager can set the hub's rooms.");
  const rooms = input.rooms.map((r) => ({ name: r.name.trim(), beds: r.beds }));
  const before = k.sleepoverBeds;
  const after = rooms.reduce((n, r) => n + r.beds, 0);
  const today = todayLondon();

  const facts = await loadHubFacts(tx.em, k.id, today, FAR_FUTURE, []);
  // New beds are closed on the nights the hub is closed, as every bed is.
  const newBlocks: Claim[] = facts.claims.filter((c) => c.is_block && c.bed === 1).flatMap((c) => Array.from({ length: Math.max(after - before, 0) }, (_, i) => ({ ...c, bed: before + i + 1 })));
  const next = { ...facts, beds: after, rooms: roomsFrom(rooms, after), claims: [...facts.claims.filter((c) => !c.is_block || c.bed <= after), ...newBlocks] };
  const { moves, unplaced } = planRepack(next, today);
  if (unplaced.length) {
    const stays = futureStays(next, today);
    const crowded = stays.some((s) => nightsOf(s.start, s.end).some((n) => stays.filter((o) => o.start <= n && n < o.end).reduce((c, o) => c + o.children.length, 0) > after));
    refuse(
      crowded ? UserErrorCode.INVALID_STATE : UserErrorCode.ROOM_SHARING,
      crowded
        ? `Some nights have more children confirmed than the ${after} bed${after === 1 ? '' : 's'} these rooms hold.`
        : 'These rooms leave confirmed sleepovers with no beds that follow the bedroom-sharing rules, however they are repacked.',
      ['input', 'rooms'],
      { subjectIds: unplaced.map((id) => toGlobalId('Sleepover', id)) },
    );
  }
  if (after > before) {
    await sql(tx.em, `insert into hub_bed (constellation_id, bed, organisation_id) select $1, b, $2 from generate_series($3::int, $4::int) b`, [k.id, k.organisation.id, before + 1, after]);
    await blockNewBeds(tx.em, k.id, before, after);
  }
  await applyBedMoves(tx, k.id, today, moves);
  if (after < before) {
    // Claims left on the beds going away are past nights and blocks: the beds' history goes with them.
    await sql(tx.em, `delete from bed_claim where constellation_id = $1 and bed > $2 and (is_block or end_date <= $3::date)`, [k.id, after, today]);
    await sql(tx.em, `delete from hub_bed where constellation_id = $1 and bed > $2`, [k.id, after]);
  }
  await sql(tx.em, `delete from hub_room where constellation_id = $1`, [k.id]);
  await sql(
    tx.em,
    `insert into hub_room (constellation_id, position, organisation_id, name, beds) select $1, r.position, $2, r.name, r.beds
       from jsonb_to_recordset($3::jsonb) as r(position smallint, name text, beds smallint)`,
    [k.id, k.organisation.id, JSON.stringify(rooms.map((r, i) => ({ ...r, position: i + 1 })))],
  );
  if (after !== before) k.sleepoverBeds = after;
  await tx.em.flush();
  return {
    payload: { constellation: k },
    subject: { type: 'Constellation', id: k.id },
    summary: { rooms: rooms.map((r) => `${r.name}:${r.beds}`), beds: after, moved: [...new Set(moves.map((m) => m.sleepoverId))].length },
  };
}
