import { sql } from '../platform/db/sql';
import { toGlobalId } from '../platform/graphql/ids';
import { refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Tx } from '../platform/mutation';
import { SleepoverEventKind } from './enums';
import type { HubFacts } from './hub-rules';
import { planRepack, type BedMove } from './hub-rules';
import { publishSleepoverEvents } from './sleepover.events';

/**
 * Moves claims to the beds the plan chose. A claim begun before `from` keeps its past nights on its
 * old bed (ending at `from`); its nights from `from` go to the new bed. The future parts go first,
 * then the new claims are written, so moved claims never collide with each other on the way.
 */
export async function applyBedMoves(tx: Tx, constellationId: string, from: string, moves: BedMove[]): Promise<void> {
  if (!moves.length) return;
  const keys = JSON.stringify(moves.map((m) => ({ sleepover_id: m.sleepoverId, child_id: m.childId })));
  await sql(
    tx.em,
    `with moved as (select * from jsonb_to_recordset($2::jsonb) as m(sleepover_id uuid, child_id uuid)),
          trimmed as (
            update bed_claim c set end_date = $3 from moved m
             where c.constellation_id = $1 and c.sleepover_id = m.sleepover_id and c.child_id = m.child_id and c.start_date < $3::date and c.end_date > $3::date
          )
     delete from bed_claim c using moved m
      where c.constellation_id = $1 and c.sleepover_id = m.sleepover_id and c.child_id = m.child_id and c.start_date >= $3::date`,
    [constellationId, keys, from],
  );
  const rows = JSON.stringify(moves.map((m) => ({ sleepover_id: m.sleepoverId, child_id: m.childId, bed: m.bed, start_date: m.from, end_date: m.end })));
  await sql(
    tx.em,
    `with placed as (
       insert into bed_claim (organisation_id, constellation_id, bed, start_date, end_date, sleepover_id, child_id, created_by_id)
       select $1, $2, m.bed, m.start_date, m.end_date, m.sleepover_id, m.child_id, $3
         from jsonb_to_recordset($4::jsonb) as m(bed smallint, start_date date, end_date date, sleepover_id uuid, child_id uuid)
       returning sleepover_id, child_id, bed
     )
     update sleepover_child sc set bed = p.bed from placed p where sc.sleepover_id = p.sleepover_id and sc.child_id = p.child_id`,
    [tx.viewer.organisationId, constellationId, tx.viewer.userId, rows],
  );
  const ids = [...new Set(moves.map((m) => m.sleepoverId))];
  const hh = await sql(tx.em, `select id, household_id, start_date, end_date from sleepover where id = any($1::uuid[])`, [ids]);
  publishSleepoverEvents(
    tx,
    hh.map((s) => ({ kind: SleepoverEventKind.BEDS_CHANGED, constellationId, sleepoverId: s.id, householdId: s.household_id, from: s.start_date > from ? s.start_date : from, to: s.end_date })),
  );
}

/**
 * Repacks the hub's confirmed sleepovers from `from` on so every room follows the sharing rule, or
 * refuses the change (ROOM_SHARING) naming the sleepovers that found no place. Returns the ids of
 * the sleepovers whose beds changed. The caller holds the constellation's bed lock.
 */
export async function repackOrRefuse(tx: Tx, constellationId: string, facts: HubFacts, from: string, field: string[], what: string): Promise<string[]> {
  const { moves, unplaced } = planRepack(facts, from);
  if (unplaced.length) {
    refuse(
      UserErrorCode.ROOM_SHARING,
      `${what} would leave ${unplaced.length === 1 ? 'a confirmed sleepover' : `${unplaced.length} confirmed sleepovers`} with no beds that follow the bedroom-sharing rules, however they are repacked.`,
      field,
      {
        subjectIds: unplaced.map((id) => toGlobalId('Sleepover', id)),
      },
    );
  }
  await applyBedMoves(tx, constellationId, from, moves);
  return [...new Set(moves.map((m) => m.sleepoverId))];
}

/** A refused change affected nothing: its payload still lists no sleepovers rather than none at all. */
export async function withAffected<T extends object>(result: Promise<T>): Promise<T & { affectedSleepovers: unknown[] }> {
  const r = (await result) as T & { affectedSleepovers?: unknown[] };
  return { ...r, affectedSleepovers: r.affectedSleepovers ?? [] };
}
