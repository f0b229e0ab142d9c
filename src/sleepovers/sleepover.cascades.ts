import { ConstellationStatus } from '../constellations/enums';
import { HouseholdStatus } from '../households/enums';
import { onCascade, type CascadeEvent } from '../platform/cascades';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { recordAudit, type Tx } from '../platform/mutation';
import { loadHubFacts } from './hub-facts';
import { lockConstellationsForBeds, onSleepoverBedsChanged } from './hub-nights.service';
import { breachOfConfirmed, sleepoversNotFitting } from './hub-recheck';
import { Sleepover } from './sleepover.entity';
import { endSleepovers } from './sleepover.service';

/**
 * What follows for sleepovers from a change elsewhere (DESIGN.md, cascades), in the transaction
 * of that change. "Future" means the nights from the cascade's date: a sleepover that has not
 * begun by then is cancelled; a confirmed one already under way is cut short at that date (it
 * keeps the nights it used). Each one ended gets its own audit event and SleepoverEvent.
 */
onCascade(async (tx, e) => {
  switch (e.kind) {
    case 'placementEnded':
      // A request reading this placement holds it FOR SHARE, so endPlacement's lock waited for it.
      return endActive(tx, e, `exists (select 1 from sleepover_child sc where sc.sleepover_id = s.id and sc.child_id = $3)`, [e.childId]);
    case 'membershipEnded':
      return endActive(tx, e, `s.household_id = $3 and s.constellation_id = $4`, [e.householdId, e.constellationId]);
    case 'householdUnavailable':
      // Its own children's sleepovers wherever they are, and — when it is (or was until that date) a
      // hub — the sleepovers it would host: a household on hold or deregistered looks after no one.
      return endActive(
        tx,
        e,
        `(s.household_id = $3 or s.constellation_id in (select m.constellation_id from constellation_membership m
           where m.household_id = $3 and m.role = 'HUB' and (m.left_on is null or m.left_on >= $1::date)))`,
        [e.householdId],
        `select m.constellation_id from constellation_membership m where m.household_id = $3 and m.role = 'HUB' and (m.left_on is null or m.left_on >= $1::date)`,
      );
    case 'constellationStatusChanged':
      // PAUSED takes no new sleepovers (checked when asking and confirming); confirmed ones stand.
      if (e.status !== ConstellationStatus.CLOSED) return;
      return endActive(tx, e, `s.constellation_id = $3`, [e.constellationId]);
    case 'hubChanged':
      return checkNewHub(tx, e.constellationId, e.newHubHouseholdId, e.from);
    case 'sleepoverBedsChanged':
      return onSleepoverBedsChanged(tx, e.constellationId, e.from, e.to);
    case 'householdCapacityChanged':
      return recheckHubNights(tx, e.householdId, e.from, e.field);
  }
});

/**
 * Ends the active sleepovers matching `condition` from the cascade's date. The constellations
 * involved are locked first — those of the sleepovers found, and `alsoLock` (a hub's, where new
 * sleepovers could be confirmed meanwhile) — and the sleepovers are read again under the lock, so
 * one confirmed in the meantime is ended too. Parameters: $1 the date, $2 the organisation, then `params`.
 */
async function endActive(tx: Tx, e: CascadeEvent & { from: string; reason: string }, condition: string, params: unknown[], alsoLock?: string): Promise<void> {
  const where = `s.organisation_id = $2 and s.status in ('REQUESTED', 'CONFIRMED') and s.end_date > $1::date and ${condition}`;
  const values = [e.from, tx.viewer.organisationId, ...params];
  const involved = await sql(tx.em, `select distinct s.constellation_id from sleepover s where ${where}${alsoLock ? ` union ${alsoLock}` : ''}`, values);
  if (!involved.length) return;
  await lockConstellationsForBeds(
    tx.em,
    involved.map((r) => r.constellation_id),
  );
  const rows = await findRows(tx.em, Sleepover, `select s.* from sleepover s where ${where} order by s.id for update`, values);
  if (!rows.length) return;
  const ended = await endSleepovers(tx, rows, e.from, e.reason);
  await recordAudit(
    tx,
    'Sleepover.cancel',
    ended.map((s) => ({ type: 'Sleepover', id: s.id })),
    { automatic: e.kind, from: e.from },
  );
}

/**
 * Bed claims belong to the constellation, so confirmed sleepovers move with the hub. A hub that
 * is not APPROVED takes no sleepovers, so handing confirmed ones to such a household is refused:
 * cancel them, or approve the household, first. Requested ones simply cannot be confirmed until it is.
 * An approved hub takes over those that fit its approval and the fostering limit on every night
 * from `from` (with its own placed children and exemptions); on each night that does not fit, the
 * most recently booked sleepover there is given up until it does — cancelled, or cut short at
 * `from` when under way — with the reason, notified and audited as any cancellation.
 */
async function checkNewHub(tx: Tx, constellationId: string, householdId: string, from: string): Promise<void> {
  const hub = await sqlOne(tx.em, `select name, status from household where id = $1`, [householdId]);
  if (hub.status !== HouseholdStatus.APPROVED) {
    const held = await sqlOne(tx.em, `select min(greatest(start_date, $2::date)) as night from sleepover where constellation_id = $1 and status = 'CONFIRMED' and end_date > $2::date`, [
      constellationId,
      from,
    ]);
    if (held.night) {
      refuse(UserErrorCode.NOT_APPROVED, `${hub.name} is not approved, so it cannot take over the confirmed sleepovers from the night of ${held.night}: cancel them or approve the household first.`, [
        'input',
        'hubHouseholdId',
      ]);
    }
    return;
  }
  // updateConstellation holds the constellation's row already; taking the bed lock again is free
  // and keeps this correct whoever raises the event.
  await lockConstellationsForBeds(tx.em, [constellationId]);
  const booked = await confirmedFrom(tx, constellationId, from);
  if (!booked.to) return;
  const facts = await loadHubFacts(tx.em, constellationId, from, booked.to, []);
  const newestFirst = (
    await sql(tx.em, `select id from sleepover where constellation_id = $1 and status = 'CONFIRMED' and end_date > $2::date order by updated_at desc, id desc`, [constellationId, from])
  ).map((r) => r.id as string);
  const gone = sleepoversNotFitting(facts, from, booked.to, new Set(booked.overridden), newestFirst);
  if (!gone.length) return;
  const rows = await findRows(tx.em, Sleepover, `select * from sleepover where id = any($1::uuid[]) order by id for update`, [gone]);
  const ended = await endSleepovers(tx, rows, from, `The new hub home, ${hub.name}, cannot take this sleepover under its approval or the fostering limit.`);
  await recordAudit(
    tx,
    'Sleepover.cancel',
    ended.map((s) => ({ type: 'Sleepover', id: s.id })),
    { automatic: 'hubChanged', from },
  );
}

/**
 * The confirmed nights at the hubs a household keeps from `from` on, judged again after its
 * approval, its status or its own placed children changed (already written in this transaction):
 * the change is refused naming the sleepovers and nights that would no longer fit. The hubs'
 * constellations are locked first (after the household, which the change holds), so a confirmation
 * racing the change either shows in the facts read here or waits and then sees the change.
 */
async function recheckHubNights(tx: Tx, householdId: string, from: string, field: string[]): Promise<void> {
  const hubs = await sql(
    tx.em,
    `select distinct constellation_id from constellation_membership where household_id = $1 and role = 'HUB' and period && daterange($2::date, null) order by constellation_id`,
    [householdId, from],
  );
  if (!hubs.length) return;
  await lockConstellationsForBeds(
    tx.em,
    hubs.map((h) => h.constellation_id),
  );
  for (const { constellation_id: k } of hubs) {
    const booked = await confirmedFrom(tx, k, from);
    if (!booked.to) continue;
    const facts = await loadHubFacts(tx.em, k, from, booked.to, []);
    const breach = breachOfConfirmed(facts, from, booked.to, new Set(booked.overridden));
    if (breach) refuse(breach.code, breach.message, field, { subjectIds: breach.subjectIds, dates: breach.dates });
  }
}

/** The last night confirmed at the hub from `from` on (exclusive end), and the sleepovers booked over its approval. */
async function confirmedFrom(tx: Tx, constellationId: string, from: string): Promise<{ to: string | null; overridden: string[] }> {
  const r = await sqlOne(
    tx.em,
    `select max(c.end_date) as to, coalesce(array_agg(distinct c.sleepover_id) filter (where s.approval_override_reason is not null), '{}') as overridden
       from bed_claim c join sleepover s on s.id = c.sleepover_id
      where c.constellation_id = $1 and not c.is_block and c.end_date > $2::date`,
    [constellationId, from],
  );
  return { to: r?.to ?? null, overridden: r?.overridden ?? [] };
}
