import { DateTime } from 'luxon';
import { NotificationKind } from '../notifications/kinds';
import { escapeHtml, notify, type Rendered } from '../notifications/notify';
import { plural } from '../notifications/format';
import { sql } from '../platform/db/sql';
import type { Tx } from '../platform/mutation';
import { todayLondon, ZONE } from '../platform/time';

/**
 * Who hears about peer support sessions (the issue "Notifications", part 3), in the transaction of
 * the change. Sessions name no child: what a carer is told is what the constellation's session
 * list already shows them. Whoever made the change is not told about it.
 */
export interface SessionFacts {
  id: string;
  constellationId: string;
  title: string;
  startsAt: Date;
  location?: string | null;
}

/** "Tuesday 3 March at 19:00", Europe/London. */
export function sessionWhen(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toFormat("cccc d LLLL 'at' HH:mm");
}

function rendered(title: string, paragraphs: string[]): Rendered {
  return { title, text: paragraphs.join('\n\n'), html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n') };
}

const where = (s: SessionFacts) => `${sessionWhen(s.startsAt)}${s.location ? `, ${s.location}` : ''}`;

/**
 * The logins of the carers of the constellation's member households today, hub included, and of
 * anyone holding a place or a waitlist ticket for `sessionId` (a closed constellation has no
 * members left by the time its sessions are cancelled, but those coming still need to know).
 */
async function constellationCarers(tx: Tx, constellationId: string, sessionId: string | null = null): Promise<string[]> {
  const rows = await sql(
    tx.em,
    `select c.user_id from constellation_membership m join carer c on c.household_id = m.household_id
      where m.constellation_id = $1 and m.period @> $2::date and c.user_id is not null
     union
     select c.user_id from session_rsvp r join carer c on c.id = r.carer_id
      where r.session_id = $3::uuid and r.status in ('GOING', 'WAITLISTED') and c.user_id is not null
     order by 1`,
    [constellationId, todayLondon(), sessionId],
  );
  return rows.map((r) => r.user_id as string).filter((id) => id !== tx.viewer.userId);
}

/** A new session, or a whole series as ONE notification (about its first session). */
export async function notifySessionsScheduled(tx: Tx, sessions: SessionFacts[], series: boolean): Promise<void> {
  if (!sessions.length) return;
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  await notify(tx, {
    kind: NotificationKind.SESSION_SCHEDULED,
    recipients: await constellationCarers(tx, first.constellationId),
    subject: { type: 'PeerSupportSession', id: first.id },
    render: () =>
      series && sessions.length > 1
        ? rendered(`New sessions: ${first.title}`, [
            `${first.title}: ${plural(sessions.length, 'session')}, monthly from ${where(first)}; the last on ${sessionWhen(last.startsAt)}.`,
            'Let the organisers know in Hubnet whether you are going.',
          ])
        : rendered(`New session: ${first.title}`, [`${first.title}: ${where(first)}.`, 'Let the organisers know in Hubnet whether you are going.']),
  });
}

export async function notifySessionUpdated(tx: Tx, s: SessionFacts, changed: string[]): Promise<void> {
  const what = changed.includes('startsAt') || changed.includes('endsAt') ? 'The time has changed. ' : changed.includes('location') ? 'The place has changed. ' : '';
  await notify(tx, {
    kind: NotificationKind.SESSION_UPDATED,
    recipients: await constellationCarers(tx, s.constellationId, s.id),
    subject: { type: 'PeerSupportSession', id: s.id },
    render: () => rendered(`Session changed: ${s.title}`, [`${what}${s.title}: ${where(s)}.`]),
  });
}

export async function notifySessionsCancelled(tx: Tx, sessions: SessionFacts[], reason: string | null): Promise<void> {
  for (const s of sessions) {
    await notify(tx, {
      kind: NotificationKind.SESSION_CANCELLED,
      recipients: await constellationCarers(tx, s.constellationId, s.id),
      subject: { type: 'PeerSupportSession', id: s.id },
      render: () => rendered(`Session cancelled: ${s.title}`, [`${s.title} on ${sessionWhen(s.startsAt)} is cancelled.`, ...(reason ? [`Reason: ${reason}`] : [])]),
    });
  }
}

/** The day-before reminder to those GOING (scheduled in session.reminders.ts). */
export function sessionReminderText(s: SessionFacts): Rendered {
  return rendered(`Tomorrow: ${s.title}`, [`Tomorrow: ${s.title}, ${where(s)}. If you can no longer come, say so in Hubnet so your place goes to someone on the waitlist.`]);
}

/** Carers moved from the waitlist to GOING: to each one's login. */
export async function notifyWaitlistPromoted(tx: Tx, sessionId: string, carerIds: string[]): Promise<void> {
  if (!carerIds.length) return;
  const [s] = await sql(
    tx.em,
    `select s.id, s.title, s.starts_at, s.location,
            (select coalesce(array_agg(c.user_id order by c.user_id), '{}') from carer c where c.id = any($2::uuid[]) and c.user_id is not null) as users
       from peer_support_session s where s.id = $1`,
    [sessionId, carerIds],
  );
  const facts: SessionFacts = { id: s.id, constellationId: '', title: s.title, startsAt: new Date(s.starts_at), location: s.location };
  await notify(tx, {
    kind: NotificationKind.WAITLIST_PROMOTED,
    recipients: (s.users as string[]).filter((id) => id !== tx.viewer.userId),
    subject: { type: 'PeerSupportSession', id: s.id },
    render: () =>
      rendered(`You have a place: ${s.title}`, [
        `A place came free, so you are now going to ${s.title}: ${where(facts)}.`,
        'If you can no longer come, say so in Hubnet so the place goes to someone else.',
      ]),
  });
}
