import { childVisible } from '../auth/scope';
import { isLiaisonFor } from '../auth/viewer';
import { Child } from '../children/child.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { idOf, toGlobalId } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { todayLondon } from '../platform/time';
import { checkDate, optionalText, requireText } from '../platform/validation';
import { User } from '../users/user.entity';
import { SleepoverConsent } from './consent.entity';
import { mayRecordConsent } from './consent.policy';
import { loadHubFacts } from './hub-facts';
import { consentOn, nightsOf } from './hub-rules';
import { lockConstellationsForBeds } from './hub-nights.service';
import { repackOrRefuse } from './repack';
import { Sleepover } from './sleepover.entity';
import { endSleepovers } from './sleepover.service';
import type { RecordSleepoverConsentInput, WithdrawSleepoverConsentInput } from './consent.types';

const MAX_NOT_WITH = 50;

type ConsentOutcome = Outcome<{ child: Child; consent: SleepoverConsent | null; affectedSleepovers: Sleepover[] }>;

/**
 * The child, locked against other consent changes and against confirmations reading its consent
 * (they take it FOR SHARE first): lock order child → constellation(s) → sleepover, as everywhere.
 * Then who may change its consent: a supervising social worker, a manager, or the liaison worker of
 * the constellation its household belongs to today.
 */
async function lockChildForConsent(tx: Tx, globalId: string): Promise<Child> {
  const id = idOf('Child', globalId);
  const p = new Params();
  const [child] = id ? await findRows(tx.em, Child, `select c.* from child c where c.id = ${p.add(id)} and ${childVisible(tx.viewer, 'c', p)} for no key update of c`, p.values) : [];
  if (!child) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childId']);
  const { constellations } = (await sqlOne(
    tx.em,
    `select coalesce(array_agg(m.constellation_id), '{}') as constellations from placement pl
       join constellation_membership m on m.household_id = pl.household_id and m.period @> $2::date and m.role = 'SATELLITE'
      where pl.child_id = $1 and pl.period @> $2::date`,
    [child.id, todayLondon()],
  ))!;
  const liaison = (constellations as string[]).some((k) => isLiaisonFor(tx.viewer, k));
  if (!mayRecordConsent(tx.viewer, liaison)) {
    refuse(UserErrorCode.FORBIDDEN, "Only a supervising social worker, a manager or the liaison worker of the child's constellation can record or withdraw sleepover consent.", ['input', 'childId']);
  }
  return child;
}

/** Hubs where the child holds a confirmed bed on a night from `from` on, with the last such morning. */
async function hubsHolding(tx: Tx, childId: string, from: string): Promise<{ constellation_id: string; until: string }[]> {
  return sql(tx.em, `select constellation_id, max(end_date) as until from bed_claim where child_id = $1 and not is_block and end_date > $2::date group by constellation_id order by constellation_id`, [
    childId,
    from,
  ]);
}

/**
 * A new consent, superseding the one before from its givenOn. Confirmed sleepovers of the child from
 * then on must still stand: a night left without consent refuses the change (CONSENT_REQUIRED, with
 * those sleepovers), and a room the new terms no longer allow is repacked, or the change refused
 * (ROOM_SHARING, with the sleepovers that found no place).
 */
export async function recordSleepoverConsent(tx: Tx, input: RecordSleepoverConsentInput): Promise<ConsentOutcome> {
  const p = new Problems();
  const givenBy = requireText(p, input.givenBy, ['input', 'givenBy'], { max: 300 });
  const okDates = checkDate(p, input.givenOn, ['input', 'givenOn']) && checkDate(p, input.expiresOn, ['input', 'expiresOn']);
  if (okDates && input.expiresOn && input.expiresOn <= input.givenOn)
    p.add(UserErrorCode.INVALID_INPUT, 'expiresOn is the first night it no longer covers: it must be after givenOn.', ['input', 'expiresOn']);
  const conditions = optionalText(p, input.conditions, ['input', 'conditions'], 2000);
  const selfId = idOf('Child', input.childId);
  if (!selfId) p.add(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childId']);
  const notWith = (input.notWithIds ?? []).map((g) => idOf('Child', g));
  if (notWith.some((id) => !id)) p.add(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'notWithIds']);
  else if (notWith.includes(selfId)) p.add(UserErrorCode.INVALID_INPUT, 'A child is not kept apart from themselves.', ['input', 'notWithIds']);
  else if (notWith.length > MAX_NOT_WITH) p.add(UserErrorCode.INVALID_INPUT, `At most ${MAX_NOT_WITH} children.`, ['input', 'notWithIds']);
  p.throwIfAny();
  const notWithIds = [...new Set(notWith as string[])];
  const child = await lockChildForConsent(tx, input.childId);
  if (notWithIds.length) {
    const { n } = (await sqlOne(tx.em, `select count(*)::int as n from child where id = any($1::uuid[]) and organisation_id = $2`, [notWithIds, tx.viewer.organisationId]))!;
    if (n !== notWithIds.length) refuse(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'notWithIds']);
  }
  const consent = tx.em.create(SleepoverConsent, {
    organisation: tx.em.getReference(Organisation, tx.viewer.organisationId),
    child,
    givenBy: givenBy!,
    givenOn: input.givenOn,
    expiresOn: input.expiresOn ?? null,
    conditions: conditions ?? null,
    roomSharing: input.roomSharing,
    notWithIds,
    recordedBy: tx.em.getReference(User, tx.viewer.userId),
  });
  // Written now: the hub's facts that judge the child's sleepovers below read consents in SQL.
  await tx.em.flush();
  const from = input.givenOn > todayLondon() ? input.givenOn : todayLondon();
  const moved = await enforceConsent(tx, child.id, from);
  return {
    payload: { child, consent, affectedSleepovers: moved },
    subject: { type: 'Child', id: child.id },
    summary: { consent: consent.id, givenOn: consent.givenOn, expiresOn: consent.expiresOn ?? null, roomSharing: consent.roomSharing, moved: moved.length },
  };
}

/** The child's confirmed sleepovers from `from` on still have consent every night and rooms that follow the rule. */
async function enforceConsent(tx: Tx, childId: string, from: string): Promise<Sleepover[]> {
  const hubs = await hubsHolding(tx, childId, from);
  if (!hubs.length) return [];
  await lockConstellationsForBeds(
    tx.em,
    hubs.map((h) => h.constellation_id),
  );
  const moved: string[] = [];
  for (const h of hubs) {
    const facts = await loadHubFacts(tx.em, h.constellation_id, from, h.until, [childId]);
    const dates = new Set<string>();
    const inTheWay = new Set<string>();
    for (const c of facts.claims) {
      if (c.child_id !== childId || c.end_date <= from) continue;
      for (const n of nightsOf(c.start_date > from ? c.start_date : from, c.end_date)) {
        if (consentOn(facts, childId, n)) continue;
        dates.add(n);
        inTheWay.add(c.sleepover_id!);
      }
    }
    if (dates.size) {
      refuse(
        UserErrorCode.CONSENT_REQUIRED,
        'The new consent would leave confirmed sleepovers without consent on some of their nights: cancel them first, or withdraw the consent instead.',
        ['input', 'expiresOn'],
        {
          subjectIds: [...inTheWay].map((id) => toGlobalId('Sleepover', id)),
          dates: [...dates].sort(),
        },
      );
    }
    moved.push(...(await repackOrRefuse(tx, h.constellation_id, facts, from, ['input', 'roomSharing'], 'The new consent')));
  }
  return moved.length ? findRows(tx.em, Sleepover, `select * from sleepover where id = any($1::uuid[]) order by start_date, created_at, id`, [moved]) : [];
}

/**
 * Withdraws consent from `effectiveFrom` (default today: the first night not yet begun): every
 * consent covering a night from then on ends there. The child's sleepovers not yet begun are
 * cancelled, and one under way is cut short (never cancelled: its used nights stay used), each
 * with the reason, notified as any cancellation, and returned.
 */
export async function withdrawSleepoverConsent(tx: Tx, input: WithdrawSleepoverConsentInput): Promise<ConsentOutcome> {
  const p = new Problems();
  const reason = requireText(p, input.reason, ['input', 'reason'], { max: 2000 });
  const today = todayLondon();
  if (checkDate(p, input.effectiveFrom, ['input', 'effectiveFrom']) && input.effectiveFrom && input.effectiveFrom < today) {
    p.add(UserErrorCode.INVALID_INPUT, 'Consent cannot be withdrawn for nights that have begun: effectiveFrom is today or later.', ['input', 'effectiveFrom']);
  }
  p.throwIfAny();
  const from = input.effectiveFrom ?? today;
  const child = await lockChildForConsent(tx, input.childId);
  const withdrawn = await findRows(
    tx.em,
    SleepoverConsent,
    `update sleepover_consent set withdrawn_on = greatest(given_on, $2::date), withdrawal_reason = $3
      where child_id = $1 and (withdrawn_on is null or withdrawn_on > $2::date) and (expires_on is null or expires_on > $2::date)
      returning *`,
    [child.id, from, reason],
  );
  if (!withdrawn.length) refuse(UserErrorCode.INVALID_STATE, 'No consent covers a night from then on: there is nothing to withdraw.', ['input', 'childId']);
  // Lock order: the constellations, then the sleepovers; read the sleepovers again under the lock.
  const { ks } = (await sqlOne(
    tx.em,
    `select coalesce(array_agg(distinct s.constellation_id), '{}') as ks from sleepover s join sleepover_child sc on sc.sleepover_id = s.id
      where sc.child_id = $1 and s.status in ('REQUESTED', 'CONFIRMED') and s.end_date > $2::date`,
    [child.id, from],
  ))!;
  await lockConstellationsForBeds(tx.em, ks);
  const rows = await findRows(
    tx.em,
    Sleepover,
    `select s.* from sleepover s join sleepover_child sc on sc.sleepover_id = s.id
      where sc.child_id = $1 and s.status in ('REQUESTED', 'CONFIRMED') and s.end_date > $2::date
      order by s.id for update of s`,
    [child.id, from],
  );
  const ended = rows.length ? await endSleepovers(tx, rows, from, `Sleepover consent was withdrawn: ${reason}`) : [];
  const newestFirst = [...withdrawn].sort((a, b) => (a.givenOn < b.givenOn ? 1 : a.givenOn > b.givenOn ? -1 : 0));
  const standing = newestFirst.find((c) => c.givenOn <= from) ?? newestFirst[0];
  return {
    payload: { child, consent: standing, affectedSleepovers: ended },
    subject: { type: 'Child', id: child.id },
    summary: { effectiveFrom: from, withdrawn: withdrawn.map((c) => c.id), ended: ended.map((s) => s.id) },
  };
}
