import { NotificationKind } from '../notifications/kinds';
import { londonTime, registerReminderProvider, type DueNotification } from '../notifications/scheduler';
import { sql } from '../platform/db/sql';
import { sessionReminderText } from './session.notifications';

/** Session reminders go out from this London wall-clock hour on the day before, like sleepover reminders. */
export const SESSION_REMINDER_HOUR = 18;

/**
 * The day before a scheduled session (its London calendar day), from 18:00 Europe/London: to the
 * carers whose RSVP is GOING. Deduplicated per (session, London date of the session), so a session
 * moved to another day is reminded again for the new day, and replicas ticking at once write one.
 */
registerReminderProvider({
  kind: NotificationKind.SESSION_REMINDER,
  async due(em, at) {
    const local = londonTime(at);
    if (local.hour < SESSION_REMINDER_HOUR) return [];
    const day = local.plus({ days: 1 }).startOf('day');
    const tomorrow = day.toISODate()!;
    const rows = await sql<{ id: string; title: string; starts_at: string; location: string | null; users: string[] }>(
      em,
      `select s.id, s.title, s.starts_at, s.location,
              array_agg(c.user_id order by c.user_id) as users
         from peer_support_session s
         join session_rsvp r on r.session_id = s.id and r.status = 'GOING'
         join carer c on c.id = r.carer_id and c.user_id is not null
        where s.status = 'SCHEDULED' and s.starts_at >= $1::timestamptz and s.starts_at < $2::timestamptz
        group by s.id
        order by s.id`,
      // Tomorrow's London midnight to the next (23 or 25 hours across a clock change).
      [day.toUTC().toISO(), day.plus({ days: 1 }).toUTC().toISO()],
    );
    return rows.map((s): DueNotification => ({
      kind: NotificationKind.SESSION_REMINDER,
      dedupeKey: `${NotificationKind.SESSION_REMINDER}:PeerSupportSession:${s.id}:${tomorrow}`,
      recipients: s.users,
      subject: { type: 'PeerSupportSession', id: s.id },
      render: () => sessionReminderText({ id: s.id, constellationId: '', title: s.title, startsAt: new Date(s.starts_at), location: s.location }),
    }));
  },
});
