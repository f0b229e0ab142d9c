import { NotificationKind } from '../notifications/kinds';
import { londonTime, registerReminderProvider, type DueNotification } from '../notifications/scheduler';
import { sql } from '../platform/db/sql';
import { sleepoverFacts, sleepoverReminderText } from './sleepover.notifications';

/** Reminders go out from this London wall-clock hour on the day before. */
export const SLEEPOVER_REMINDER_HOUR = 18;

/**
 * The day before a confirmed sleepover, from 18:00 Europe/London: to whoever requested it and to
 * the hub carers. The children's own carers are told their first names; the hub carers (and staff)
 * a count and the household, as in any notification to someone who is not the child's carer.
 */
registerReminderProvider({
  kind: NotificationKind.SLEEPOVER_REMINDER,
  async due(em, at) {
    const local = londonTime(at);
    if (local.hour < SLEEPOVER_REMINDER_HOUR) return [];
    const tomorrow = local.plus({ days: 1 }).toISODate()!;
    const due = await sql<{ id: string }>(em, `select id from sleepover where status = 'CONFIRMED' and start_date = $1 order by id`, [tomorrow]);
    const facts = await sleepoverFacts(
      em,
      due.map((r) => r.id),
    );
    return facts.map((s): DueNotification => ({
      kind: NotificationKind.SLEEPOVER_REMINDER,
      dedupeKey: `${NotificationKind.SLEEPOVER_REMINDER}:Sleepover:${s.id}:${s.start_date}`,
      // Whoever asked, the children's own carers (a social worker may have booked it for them)
      // and the hub's carers: the same facts every other sleepover notification is written from.
      recipients: [...(s.requested_by_id ? [s.requested_by_id] : []), ...s.household_users, ...s.hub_users],
      subject: { type: 'Sleepover', id: s.id },
      render: (r) => sleepoverReminderText(r, s),
    }));
  },
});
