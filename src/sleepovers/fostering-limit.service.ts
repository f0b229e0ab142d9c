import { childVisible, householdVisible } from '../auth/scope';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { daysBetween, todayLondon } from '../platform/time';
import { checkDate, optionalText, requireText } from '../platform/validation';
import { FosteringLimitExemption } from './fostering-limit-exemption.entity';
import { mayRecordExemption } from './fostering-limit.policy';
import { loadHubFacts } from './hub-facts';
import { nightsOf, withinFosteringLimit, type HubFacts } from './hub-rules';
import { lockConstellationsForBeds } from './hub-nights.service';
import { Sleepover } from './sleepover.entity';
import { endSleepovers } from './sleepover.service';
import type { EndFosteringLimitExemptionInput, GrantFosteringLimitExemptionInput } from './fostering-limit.types';

const MAX_EXEMPTION_NIGHTS = 3 * 366;

type ExemptionOutcome = Outcome<{ exemption: FosteringLimitExemption; affectedSleepovers: Sleepover[] }>;

function mustRecord(tx: Tx): void {
  if (!mayRecordExemption(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only a fostering manager or administrator can record exemptions from the fostering limit.');
}

/** An exemption the authority granted: it only ever allows more, so nothing booked is affected. */
export async function grantFosteringLimitExemption(tx: Tx, input: GrantFosteringLimitExemptionInput): Promise<ExemptionOutcome> {
  mustRecord(tx);
  const p = new Problems();
  if (checkDate(p, input.from, ['input', 'from']) && checkDate(p, input.to, ['input', 'to'])) {
    if (input.to <= input.from) p.add(UserErrorCode.INVALID_INPUT, '`to` is the first night it no longer covers: it must be after `from`.', ['input', 'to']);
    else if (daysBetween(input.from, input.to) > MAX_EXEMPTION_NIGHTS) p.add(UserErrorCode.INVALID_INPUT, 'An exemption covers at most three years.', ['input', 'to']);
  }
  if (!Number.isInteger(input.maxChildren) || input.maxChildren < 1 || input.maxChildren > 20) p.add(UserErrorCode.INVALID_INPUT, 'maxChildren must be between 1 and 20.', ['input', 'maxChildren']);
  const authority = requireText(p, input.grantedByAuthority, ['input', 'grantedByAuthority'], { max: 300 });
  const reason = requireText(p, input.reason, ['input', 'reason'], { max: 2000 });
  const conditions = optionalText(p, input.conditions, ['input', 'conditions'], 2000);
  const childIds = input.childIds.map((g) => idOf('Child', g));
  if (!childIds.length) p.add(UserErrorCode.INVALID_INPUT, 'Name at least one child: the law names the children.', ['input', 'childIds']);
  else if (childIds.some((id) => !id)) p.add(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childIds']);
  else if (new Set(childIds).size !== childIds.length) p.add(UserErrorCode.INVALID_INPUT, 'A child is named twice.', ['input', 'childIds']);
  const hid = idOf('Household', input.householdId);
  if (!hid) p.add(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  p.throwIfAny();
  const ph = new Params();
  const household = await sqlOne(tx.em, `select h.id from household h where h.id = ${ph.add(hid)} and ${householdVisible(tx.viewer, 'h', ph)}`, ph.values);
  if (!household) refuse(UserErrorCode.NOT_FOUND, 'No such household.', ['input', 'householdId']);
  const pc = new Params();
  const found = await sql(tx.em, `select c.id from child c where c.id = any(${pc.add(childIds)}::uuid[]) and ${childVisible(tx.viewer, 'c', pc)}`, pc.values);
  if (found.length !== childIds.length) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childIds']);
  // One statement for the exemption and its children (the unit of work would send two).
  const [exemption] = await findRows(
    tx.em,
    FosteringLimitExemption,
    `with e as (
       insert into fostering_limit_exemption (organisation_id, household_id, from_date, to_date, max_children, granted_by_authority, conditions, reason, granted_by_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *
     ), named as (
       insert into fostering_limit_exemption_child (exemption_id, child_id, organisation_id) select e.id, c, $1 from e, unnest($10::uuid[]) as c
     )
     select * from e`,
    [tx.viewer.organisationId, hid, input.from, input.to, input.maxChildren, authority, conditions ?? null, reason, tx.viewer.userId, childIds],
  );
  return {
    payload: { exemption, affectedSleepovers: [] },
    subject: { type: 'FosteringLimitExemption', id: exemption.id },
    summary: { household: hid, from: input.from, to: input.to, maxChildren: input.maxChildren, children: childIds.length },
  };
}

/**
 * Sleepovers to give up so every night from `from` is within the fostering limit again without
 * the ended exemption: on each night over the limit, the most recently booked sleepover there goes
 * first, until the night fits. Bed moves cannot help here (the limit counts children, not rooms).
 */
function overTheLimit(facts: HubFacts, from: string, to: string, newestFirst: string[]): string[] {
  const gone = new Set<string>();
  for (const n of nightsOf(from, to)) {
    const hub = facts.hubs.find((h) => h.from_date <= n && (h.to_date === null || n < h.to_date));
    if (!hub) continue;
    const present = () => {
      const sleeping = facts.claims.filter((c) => !c.is_block && c.sleepover_id && !gone.has(c.sleepover_id) && c.start_date <= n && n < c.end_date);
      const placed = facts.placed.filter((pl) => pl.household_id === hub.household_id && pl.start_date <= n && (pl.end_date === null || n < pl.end_date));
      return { sleeping, everyone: [...new Set([...placed.map((pl) => pl.child_id), ...sleeping.map((c) => c.child_id!)])] };
    };
    let now = present();
    while (!withinFosteringLimit(facts, hub, n, now.everyone)) {
      const onNight = new Set(now.sleeping.map((c) => c.sleepover_id!));
      const victim = newestFirst.find((id) => onNight.has(id));
      if (!victim) break; // the hub's own placed children alone are over the limit: nothing booked to give up
      gone.add(victim);
      now = present();
    }
  }
  return [...gone];
}

/**
 * The authority varied or cancelled an exemption: it covers no night from endsOn. Confirmed and
 * requested sleepovers at the hub that would then break the limit are cancelled (one under way is
 * cut short), each with the reason, and returned.
 */
export async function endFosteringLimitExemption(tx: Tx, input: EndFosteringLimitExemptionInput): Promise<ExemptionOutcome> {
  mustRecord(tx);
  const p = new Problems();
  checkDate(p, input.endsOn, ['input', 'endsOn']);
  const reason = requireText(p, input.reason, ['input', 'reason'], { max: 2000 });
  const id = idOf('FosteringLimitExemption', input.exemptionId);
  if (!id) p.add(UserErrorCode.NOT_FOUND, 'No such exemption.', ['input', 'exemptionId']);
  p.throwIfAny();
  const today = todayLondon();
  const [found] = await findRows(tx.em, FosteringLimitExemption, `select * from fostering_limit_exemption where id = $1 and organisation_id = $2`, [id, tx.viewer.organisationId]);
  if (!found) refuse(UserErrorCode.NOT_FOUND, 'No such exemption.', ['input', 'exemptionId']);
  // Lock order: the household, then the constellations it is hub of, then the sleepovers.
  await sql(tx.em, `select id from household where id = $1 for no key update`, [found.household.id]);
  const [e] = await findRows(tx.em, FosteringLimitExemption, `select * from fostering_limit_exemption where id = $1 for update`, [id]);
  const coversTo = e.endedOn ?? e.toDate;
  if (input.endsOn < e.fromDate || input.endsOn >= coversTo) {
    refuse(UserErrorCode.INVALID_INPUT, `endsOn must be a night the exemption still covers: from ${e.fromDate} to the night before ${coversTo}.`, ['input', 'endsOn']);
  }
  if (input.endsOn < today) refuse(UserErrorCode.INVALID_INPUT, 'Nights that have begun cannot be changed: endsOn is today or later.', ['input', 'endsOn']);
  e.endedOn = input.endsOn;
  e.endReason = reason;
  await tx.em.flush(); // the hub's facts below read the exemption in SQL

  const hubs = await sql(
    tx.em,
    `select distinct m.constellation_id from constellation_membership m
      where m.household_id = $1 and m.role = 'HUB' and m.period && daterange($2::date, $3::date) order by m.constellation_id`,
    [e.household.id, input.endsOn, coversTo],
  );
  const ks = hubs.map((h) => h.constellation_id as string);
  await lockConstellationsForBeds(tx.em, ks);
  const affected: Sleepover[] = [];
  for (const k of ks) {
    const facts = await loadHubFacts(tx.em, k, input.endsOn, coversTo, []);
    const newestFirst = (
      await sql(tx.em, `select id from sleepover where constellation_id = $1 and status = 'CONFIRMED' and end_date > $2::date order by updated_at desc, id desc`, [k, input.endsOn])
    ).map((r) => r.id as string);
    const gone = overTheLimit(facts, input.endsOn, coversTo, newestFirst);
    if (!gone.length) continue;
    const rows = await findRows(tx.em, Sleepover, `select * from sleepover where id = any($1::uuid[]) order by id for update`, [gone]);
    affected.push(...(await endSleepovers(tx, rows, input.endsOn, `The exemption from the fostering limit ended: ${reason}`)));
  }
  return {
    payload: { exemption: e, affectedSleepovers: affected },
    subject: { type: 'FosteringLimitExemption', id: e.id },
    summary: { endsOn: input.endsOn, ended: affected.map((s) => s.id) },
  };
}
