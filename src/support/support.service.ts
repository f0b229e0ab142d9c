import { DateTime } from 'luxon';
import { constellationVisible } from '../auth/scope';
import { Constellation } from '../constellations/constellation.entity';
import { NotificationKind } from '../notifications/kinds';
import { escapeHtml, notify } from '../notifications/notify';
import { Params } from '../platform/db/params';
import { findRows } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import { registerConstraintError, type Outcome, type Tx } from '../platform/mutation';
import { now, todayLondon, ZONE } from '../platform/time';
import { checkDate, optionalText, requireText } from '../platform/validation';
import { SupportLogEntry } from './support.entity';
import { SupportTopic } from './support.enums';
import { canRecordSupport, entryVisible, LATEST } from './support.policy';
import type { RecordSupportInput } from './support.types';

// Two corrections of the same version race: the second finds it amended already.
registerConstraintError('support_log_entry_amends_id_unique', UserErrorCode.CONFLICT, 'That entry has been corrected already: correct its latest version.', ['input', 'amendsId']);

/** A write-up may be dated a little ahead of the server's clock (a phone's clock runs fast). */
const CLOCK_SKEW_MS = 60_000;
const MAX_SUMMARY = 4000;

/**
 * Evenings and nights (before 08:00 or from 18:00 London time) and weekends. Bank holidays are
 * not derived: the writer says so (`outOfHours: true`), since the list differs across the UK.
 */
export function outOfHoursAt(at: Date): boolean {
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  return local.weekday >= 6 || local.hour < 8 || local.hour >= 18;
}

/** The London date of an instant (DESIGN.md, Time). */
function londonDate(at: Date): string {
  return todayLondon(at);
}

interface Amended {
  id: string;
  constellation_id: string;
  chain_safeguarding: boolean;
  recorded_in_error: boolean;
  latest: boolean;
}

const field = (f: string) => ['input', f];

/** The entry as asked, checked before anything is read. */
function readSupportInput(input: RecordSupportInput) {
  const p = new Problems();
  const summary = requireText(p, input.summary, field('summary'), { max: MAX_SUMMARY });
  const action = optionalText(p, input.action, field('action'), MAX_SUMMARY);
  const escalatedTo = optionalText(p, input.escalatedTo, field('escalatedTo'), 300);
  checkDate(p, input.followUpOn, field('followUpOn'));
  const safeguarding = input.safeguarding ?? false;
  const recordedInError = input.recordedInError ?? false;
  const topics = [...new Set(input.topics)];
  if (!topics.length) p.add(UserErrorCode.INVALID_INPUT, 'Give at least one topic.', field('topics'));
  if (topics.includes(SupportTopic.SAFEGUARDING) && !safeguarding) {
    // Otherwise a safeguarding matter would be shown to the household it may be about.
    p.add(UserErrorCode.INVALID_INPUT, 'An entry about safeguarding must be marked safeguarding.', field('safeguarding'));
  }
  const limit = now().getTime() + CLOCK_SKEW_MS;
  if (input.at.getTime() > limit) p.add(UserErrorCode.INVALID_INPUT, '`at` must not be in the future.', field('at'));
  if (safeguarding) {
    if (!escalatedTo) p.add(UserErrorCode.INVALID_INPUT, 'A safeguarding entry names to whom it was passed on (escalatedTo).', field('escalatedTo'));
    if (!input.escalatedAt) p.add(UserErrorCode.INVALID_INPUT, 'A safeguarding entry says when it was passed on (escalatedAt).', field('escalatedAt'));
  }
  if (input.escalatedAt && input.escalatedAt.getTime() > limit) p.add(UserErrorCode.INVALID_INPUT, '`escalatedAt` must not be in the future.', field('escalatedAt'));
  if (recordedInError && !input.amendsId) p.add(UserErrorCode.INVALID_INPUT, 'recordedInError withdraws an earlier entry: give amendsId.', field('recordedInError'));
  p.throwIfAny();
  return { summary: summary!, action: action ?? null, escalatedTo: escalatedTo ?? null, safeguarding, recordedInError, topics };
}

/** The household the entry is about, a satellite of `k` on `day`, and the child, placed with it that day. */
async function supportSubjects(tx: Tx, k: Constellation, input: RecordSupportInput, day: string): Promise<{ household: { id: string; name: string }; childId: string | null }> {
  const householdId = idOf('Household', input.householdId);
  const household = householdId
    ? await sqlOne(
        tx.em,
        `select h.id, h.name,
                exists (select 1 from constellation_membership m where m.household_id = h.id and m.constellation_id = $3
                          and m.role = 'SATELLITE' and m.period @> $4::date) as satellite
           from household h where h.id = $1 and h.organisation_id = $2`,
        [householdId, tx.viewer.organisationId, k.id, day],
      )
    : null;
  if (!household) refuse(UserErrorCode.NOT_FOUND, 'No such household.', field('householdId'));
  if (!household.satellite) refuse(UserErrorCode.OUTSIDE_CONSTELLATION, `The household was not a satellite of this constellation on ${day}.`, field('householdId'));
  if (input.childId == null) return { household, childId: null };
  const childId = idOf('Child', input.childId);
  const placed = childId
    ? await sqlOne(tx.em, `select exists (select 1 from placement pl where pl.child_id = $1 and pl.organisation_id = $2 and pl.household_id = $3 and pl.period @> $4::date) as placed`, [
        childId,
        tx.viewer.organisationId,
        household.id,
        day,
      ])
    : null;
  if (!placed?.placed) refuse(UserErrorCode.INVALID_INPUT, `The child was not placed with the household on ${day}.`, field('childId'));
  return { household, childId };
}

/** The entry a correction amends: the latest of its chain, not withdrawn, in the same constellation. */
async function amendedEntry(tx: Tx, k: Constellation, amendsId: string): Promise<Amended> {
  const id = idOf('SupportLogEntry', amendsId);
  const q = new Params();
  const rows = id
    ? await sql<Amended>(
        tx.em,
        `select e.id, e.constellation_id, e.chain_safeguarding, e.recorded_in_error, ${LATEST('e')} as latest
           from support_log_entry e
           join support_log_entry l on l.root_id = e.root_id and ${LATEST('l')}
          where e.id = ${q.add(id)}::uuid and ${entryVisible(tx.viewer, 'l', q)}`,
        q.values,
      )
    : [];
  const amended = rows[0] ?? null;
  if (!amended) refuse(UserErrorCode.NOT_FOUND, 'No such support log entry.', field('amendsId'));
  if (!amended.latest) refuse(UserErrorCode.CONFLICT, 'That entry has been corrected already: correct its latest version.', field('amendsId'));
  if (amended.recorded_in_error) refuse(UserErrorCode.INVALID_STATE, 'That entry was withdrawn as made in error.', field('amendsId'));
  if (amended.constellation_id !== k.id) refuse(UserErrorCode.INVALID_INPUT, 'A correction stays in the constellation of the entry it corrects.', field('constellationId'));
  return amended;
}

export async function recordSupport(tx: Tx, input: RecordSupportInput): Promise<Outcome<{ entry: SupportLogEntry }>> {
  const { summary, action, escalatedTo, safeguarding, recordedInError, topics } = readSupportInput(input);
  const k = await constellationToWrite(tx, input.constellationId);
  const day = londonDate(input.at);
  const { household, childId } = await supportSubjects(tx, k, input, day);
  const amended = input.amendsId != null ? await amendedEntry(tx, k, input.amendsId) : null;

  const outOfHours = input.outOfHours ?? outOfHoursAt(input.at);
  // SQL with `returning *`, not the unit of work: the chain trigger sets root_id and chain_safeguarding.
  const [entry] = await findRows(
    tx.em,
    SupportLogEntry,
    `insert into support_log_entry (organisation_id, constellation_id, household_id, child_id, at, channel, out_of_hours, topics, summary, action,
                                    follow_up_on, placement_at_risk, would_have_ended, would_have_resigned, safeguarding, chain_safeguarding,
                                    escalated_to, escalated_at, amends_id, root_id, recorded_in_error, recorded_by_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, gen_random_uuid(), $19, $20)
     returning *`,
    [
      tx.viewer.organisationId,
      k.id,
      household.id,
      childId,
      input.at.toISOString(),
      input.channel,
      outOfHours,
      topics,
      summary,
      action ?? null,
      input.followUpOn ?? null,
      input.placementAtRisk ?? false,
      input.wouldHaveEnded ?? false,
      input.wouldHaveResigned ?? false,
      safeguarding,
      escalatedTo ?? null,
      input.escalatedAt ? input.escalatedAt.toISOString() : null,
      amended?.id ?? null,
      recordedInError,
      tx.viewer.userId,
    ],
  );
  // A concern is news once per chain: when this version makes the chain safeguarding.
  if (safeguarding && !amended?.chain_safeguarding) {
    await notifySafeguarding(tx, {
      entryId: entry.id,
      constellation: k,
      householdId: household.id,
      householdName: household.name,
      at: input.at,
      escalatedTo: escalatedTo!,
      escalatedAt: input.escalatedAt!,
    });
  }
  return {
    payload: { entry },
    subject: { type: 'SupportLogEntry', id: entry.id },
    summary: { constellation: k.id, household: household.id, amends: amended?.id ?? null, safeguarding, recordedInError },
  };
}

/** The constellation written to, held against a concurrent close; NOT_FOUND when invisible, FORBIDDEN for its satellite carers. */
async function constellationToWrite(tx: Tx, globalId: string): Promise<Constellation> {
  const id = idOf('Constellation', globalId);
  const p = new Params();
  const rows = id ? await findRows(tx.em, Constellation, `select k.* from constellation k where k.id = ${p.add(id)} and ${constellationVisible(tx.viewer, 'k', p)} for share`, p.values) : [];
  if (!rows[0]) refuse(UserErrorCode.NOT_FOUND, 'No such constellation.', ['input', 'constellationId']);
  if (!canRecordSupport(tx.viewer, rows[0].id)) {
    refuse(UserErrorCode.FORBIDDEN, "Only the hub carer, the constellation's liaison worker or staff record support.", ['input', 'constellationId']);
  }
  return rows[0];
}

function when(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat("cccc d LLLL yyyy 'at' HH:mm");
}

/**
 * At once, to the constellation's liaison worker and the household's supervising social worker
 * (not to whoever recorded it). The message names the household and the escalation, never the
 * child nor the summary: those stay in Hubnet, behind a login.
 */
async function notifySafeguarding(
  tx: Tx,
  f: { entryId: string; constellation: Constellation; householdId: string; householdName: string; at: Date; escalatedTo: string; escalatedAt: Date },
): Promise<void> {
  const r = await sqlOne(tx.em, `select k.liaison_worker_id, h.supervising_social_worker_id from constellation k, household h where k.id = $1 and h.id = $2`, [f.constellation.id, f.householdId]);
  const recipients = [r.liaison_worker_id, r.supervising_social_worker_id].filter((id): id is string => !!id && id !== tx.viewer.userId);
  const paragraphs = [
    `A safeguarding concern about ${f.householdName} (${f.constellation.name}) was recorded in the support log by ${tx.viewer.name}, about ${when(f.at)}.`,
    `It was passed on to ${f.escalatedTo} on ${when(f.escalatedAt)}.`,
    'Open the household’s support log in Hubnet to read it.',
  ];
  await notify(tx, {
    kind: NotificationKind.SAFEGUARDING_CONCERN,
    recipients,
    subject: { type: 'SupportLogEntry', id: f.entryId },
    render: () => ({
      title: `Safeguarding concern: ${f.householdName}`,
      text: paragraphs.join('\n\n'),
      html: paragraphs.map((x) => `<p>${escapeHtml(x)}</p>`).join('\n'),
    }),
  });
}
