import { hubOnDay } from '../constellations/membership.sql';
import { NotificationKind } from '../notifications/kinds';
import { escapeHtml, notify, type Recipient, type Rendered } from '../notifications/notify';
import { listNames, longDate, plural } from '../notifications/format';
import { sql } from '../platform/db/sql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Tx } from '../platform/mutation';
import { daysBetween } from '../platform/time';
import { SleepoverKind } from './enums';

/**
 * Who hears about a sleepover, and what they are told. Every
 * call runs in the transaction of the change it reports, so a refused or rolled-back change
 * notifies no one.
 *
 * What a recipient may be told: the carers of the children's own household get the children's
 * first names; everyone else (hub carers, the liaison worker, other staff) gets a count and the
 * household's name, as in the sleepover reminder. No subject line names a child and no text
 * carries a case reference. Whoever made the change is never told about it.
 */
export interface SleepoverFacts {
  id: string;
  constellation_id: string;
  household_id: string;
  household_name: string;
  requested_by_id: string | null;
  start_date: string;
  end_date: string;
  hub_name: string | null;
  hub_household_id: string | null;
  child_names: string[];
  hub_users: string[];
  /** The children's own household's carers with a login. */
  household_users: string[];
  liaison_id: string | null;
}

/** What the notifications need of each sleepover, in one statement however many there are. */
export async function sleepoverFacts(em: EntityManager, ids: string[]): Promise<SleepoverFacts[]> {
  if (!ids.length) return [];
  return sql<SleepoverFacts>(
    em,
    `select s.id, s.constellation_id, s.household_id, h.name as household_name, s.requested_by_id, s.start_date, s.end_date,
            hub.name as hub_name, hub.id as hub_household_id, k.liaison_worker_id as liaison_id,
            (select coalesce(array_agg(c.first_name order by c.first_name, c.id), '{}') from sleepover_child sc join child c on c.id = sc.child_id
              where sc.sleepover_id = s.id) as child_names,
            (select coalesce(array_agg(cr.user_id order by cr.user_id), '{}') from carer cr where cr.household_id = hub.id and cr.user_id is not null) as hub_users,
            (select coalesce(array_agg(cr.user_id order by cr.user_id), '{}') from carer cr where cr.household_id = s.household_id and cr.user_id is not null) as household_users
       from sleepover s
       join household h on h.id = s.household_id
       join constellation k on k.id = s.constellation_id
       left join constellation_membership m on ${hubOnDay('m', 's.constellation_id', 's.start_date')}
       left join household hub on hub.id = m.household_id
      where s.id = any($1::uuid[])
      order by s.id`,
    [ids],
  );
}

/** "Amy and Ava" for their own household's carers; "2 children from Alder House" for anyone else. */
function who(r: Recipient, f: SleepoverFacts): string {
  if (r.householdId !== null && r.householdId === f.household_id) return listNames(f.child_names);
  return `${plural(f.child_names.length, 'child', 'children')} from ${f.household_name}`;
}

const hubOf = (f: SleepoverFacts) => f.hub_name ?? 'the hub';
const nights = (start: string, end: string) => `${plural(daysBetween(start, end), 'night')} from ${longDate(start)}, home on ${longDate(end)}`;

function rendered(title: string, paragraphs: string[]): Rendered {
  return { title, text: paragraphs.join('\n\n'), html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n') };
}

const reasonLine = (reason: string | null | undefined) => (reason ? [`Reason: ${reason}`] : []);

const others = (tx: Tx, ids: (string | null | undefined)[]) => ids.filter((id): id is string => !!id && id !== tx.viewer.userId);

/**
 * Whoever asked, and the children's own carers: a sleepover a social worker or the hub carer
 * booked for a household (confirmed on the spot, or asked for on its behalf) is news to the
 * household whose children go, not only to the one who asked.
 */
const concerned = (tx: Tx, f: SleepoverFacts) => others(tx, [f.requested_by_id, ...f.household_users]);

/**
 * A request waiting for a decision: to the hub's carers and the liaison worker. EMERGENCY goes out
 * at once; PLANNED ones wait 5 minutes so a run of requests for a constellation arrives as one
 * message per recipient.
 */
export async function notifySleepoverRequested(tx: Tx, sleepoverId: string, kind: SleepoverKind): Promise<void> {
  const [f] = await sleepoverFacts(tx.em, [sleepoverId]);
  const emergency = kind === SleepoverKind.EMERGENCY;
  await notify(tx, {
    kind: emergency ? NotificationKind.EMERGENCY_SLEEPOVER_REQUESTED : NotificationKind.SLEEPOVER_REQUESTED,
    recipients: others(tx, [...f.hub_users, f.liaison_id]),
    subject: { type: 'Sleepover', id: f.id },
    ...(emergency ? {} : { deliverAt: new Date(Date.now() + 5 * 60_000), batchKey: `constellation:${f.constellation_id}` }),
    render: (r) =>
      rendered(emergency ? `Emergency sleepover request from ${f.household_name}` : `Sleepover request from ${f.household_name}`, [
        `${f.household_name} ${emergency ? 'urgently needs' : 'asks for'} a sleepover at ${hubOf(f)} for ${who(r, f)}: ${nights(f.start_date, f.end_date)}.`,
        'Confirm or decline it in Hubnet.',
      ]),
  });
}

/**
 * Confirmed (on request, or booked and confirmed at once): to whoever asked and the children's
 * carers; also to the liaison worker when `liaison` (a write-up, an override of the hub's approval),
 * with `lines` saying why.
 */
export async function notifySleepoverConfirmed(tx: Tx, sleepoverId: string, reason: string | null, opts: { liaison?: boolean; lines?: string[] } = {}): Promise<void> {
  const [f] = await sleepoverFacts(tx.em, [sleepoverId]);
  const recipients = concerned(tx, f);
  if (opts.liaison) recipients.push(...others(tx, [f.liaison_id]).filter((id) => !recipients.includes(id)));
  await notify(tx, {
    kind: NotificationKind.SLEEPOVER_CONFIRMED,
    recipients,
    subject: { type: 'Sleepover', id: f.id },
    render: (r) =>
      rendered(`Sleepover confirmed at ${hubOf(f)}`, [
        `The sleepover for ${who(r, f)} at ${hubOf(f)} is confirmed: ${nights(f.start_date, f.end_date)}.`,
        ...reasonLine(reason),
        ...(opts.lines ?? []),
      ]),
  });
}

/** A request declined: to whoever asked and the children's carers, with the reason. */
export async function notifySleepoverDeclined(tx: Tx, sleepoverId: string, reason: string | null): Promise<void> {
  const [f] = await sleepoverFacts(tx.em, [sleepoverId]);
  await notify(tx, {
    kind: NotificationKind.SLEEPOVER_DECLINED,
    recipients: concerned(tx, f),
    subject: { type: 'Sleepover', id: f.id },
    render: (r) => rendered('Sleepover request declined', [`The sleepover request for ${who(r, f)} at ${hubOf(f)} (${nights(f.start_date, f.end_date)}) was declined.`, ...reasonLine(reason)]),
  });
}

/**
 * The day-before reminder (scheduled in sleepover.reminders.ts): the children's own carers are
 * told where they stay, the hub's carers who arrives, anyone else (whoever asked) who stays where.
 */
export function sleepoverReminderText(r: Recipient, f: SleepoverFacts): Rendered {
  const one = f.child_names.length === 1;
  const when = `for ${nights(f.start_date, f.end_date)}`;
  if (r.householdId !== null && r.householdId === f.household_id) {
    return rendered(`Sleepover tomorrow at ${hubOf(f)}`, [`${who(r, f)} ${one ? 'stays' : 'stay'} at ${hubOf(f)} ${when}.`]);
  }
  const text =
    r.householdId !== null && r.householdId === f.hub_household_id
      ? `${who(r, f)} ${one ? 'arrives' : 'arrive'} tomorrow ${when}. Their sleepover notes are in the app.`
      : `${who(r, f)} ${one ? 'stays' : 'stay'} at ${hubOf(f)} ${when}.`;
  return rendered(`Sleepover tomorrow: ${who(r, f)}`, [text]);
}

/**
 * Sleepovers ended by someone or by a cascade: to whoever asked for each and the children's carers. `cancelled` were
 * cancelled whole; `cutShort` (id and the end date they had) now end on the morning of `cut`.
 */
export async function notifySleepoversEnded(
  tx: Tx,
  cancelled: { id: string; startDate: string; endDate: string }[],
  cutShort: { id: string; endDate: string }[],
  cut: string,
  reason: string | null,
): Promise<void> {
  if (!cancelled.length && !cutShort.length) return;
  const facts = new Map((await sleepoverFacts(tx.em, [...cancelled.map((s) => s.id), ...cutShort.map((s) => s.id)])).map((f) => [f.id, f]));
  // One message per sleepover, each in its own words; who hears is the same for both.
  const messages = [
    ...cancelled.map((s) => ({
      id: s.id,
      text: (r: Recipient, f: SleepoverFacts) =>
        rendered('Sleepover cancelled', [`The sleepover for ${who(r, f)} at ${hubOf(f)} (${nights(s.startDate, s.endDate)}) is cancelled.`, ...reasonLine(reason)]),
    })),
    ...cutShort.map((s) => ({
      id: s.id,
      text: (r: Recipient, f: SleepoverFacts) =>
        rendered('Sleepover ended early', [`The sleepover for ${who(r, f)} at ${hubOf(f)} now ends on the morning of ${longDate(cut)} instead of ${longDate(s.endDate)}.`, ...reasonLine(reason)]),
    })),
  ];
  for (const m of messages) {
    const f = facts.get(m.id)!;
    await notify(tx, { kind: NotificationKind.SLEEPOVER_CANCELLED, recipients: concerned(tx, f), subject: { type: 'Sleepover', id: f.id }, render: (r) => m.text(r, f) });
  }
}
