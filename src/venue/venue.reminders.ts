import { NotificationKind } from '../notifications/kinds';
import { londonTime, registerReminderProvider, type DueNotification } from '../notifications/scheduler';
import { sql } from '../platform/db/sql';
import { bookingFacts, reminderText } from './venue.notifications';

/** Booking reminders go out from this London wall-clock hour on the day before, like session reminders. */
export const HUB_BOOKING_REMINDER_HOUR = 18;

/**
 * The day before a confirmed hub booking (its London day), from 18:00 Europe/London: to the hub
 * household's carers, whoever asked for it, and the carers of the children in it. Deduplicated per
 * (booking, day), so a booking moved to another day is reminded again, and replicas ticking at
 * once write one.
 */
registerReminderProvider({
  kind: NotificationKind.HUB_BOOKING_REMINDER,
  async due(em, at) {
    const local = londonTime(at);
    if (local.hour < HUB_BOOKING_REMINDER_HOUR) return [];
    const tomorrow = local.plus({ days: 1 }).toISODate()!;
    const rows = await sql(em, `select id from hub_booking where london_day = $1::date and status = 'CONFIRMED' order by id`, [tomorrow]);
    const facts = await bookingFacts(
      em,
      rows.map((r) => r.id as string),
    );
    return facts.map((f): DueNotification => ({
      kind: NotificationKind.HUB_BOOKING_REMINDER,
      dedupeKey: `${NotificationKind.HUB_BOOKING_REMINDER}:HubBooking:${f.id}:${tomorrow}`,
      recipients: [...new Set([...f.hub_users, ...(f.requested_by_id ? [f.requested_by_id] : []), ...f.household_users])],
      subject: { type: 'HubBooking', id: f.id },
      render: (r) => reminderText(r, f),
    }));
  },
});
