import { sql } from '../../platform/db/sql';
import { sleepoverFacts } from '../../sleepovers/sleepover.notifications';
import { daysBetween } from '../../platform/time';
import { NotificationKind } from '../kinds';
import { escapeHtml } from '../notify';
import { londonTime, registerReminderProvider, type DueNotification } from '../scheduler';
import { listNames, longDate, plural } from './format';

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
    const due = await sql(em, `select id from sleepover where status = 'CONFIRMED' and start_date = $1 order by id`, [tomorrow]);
    const facts = await sleepoverFacts(em, due.map((r: any) => r.id));
    return facts.map((s): DueNotification => {
      const names = s.child_names;
      const nights = daysBetween(s.start_date, s.end_date);
      const hub = s.hub_name ?? 'the hub';
      const when = `for ${plural(nights, 'night')} from ${longDate(s.start_date)}, home on ${longDate(s.end_date)}`;
      return {
        kind: NotificationKind.SLEEPOVER_REMINDER,
        dedupeKey: `${NotificationKind.SLEEPOVER_REMINDER}:Sleepover:${s.id}:${s.start_date}`,
        // Whoever asked, the children's own carers (a social worker may have booked it for them)
        // and the hub's carers: the same facts every other sleepover notification is written from.
        recipients: [...(s.requested_by_id ? [s.requested_by_id] : []), ...s.household_users, ...s.hub_users],
        subject: { type: 'Sleepover', id: s.id },
        render(r) {
          if (r.householdId && r.householdId === s.household_id) {
            const text = `${listNames(names)} ${names.length === 1 ? 'stays' : 'stay'} at ${hub} ${when}.`;
            return { title: `Sleepover tomorrow at ${hub}`, text, html: `<p>${escapeHtml(text)}</p>` };
          }
          const who = `${plural(names.length, 'child', 'children')} from ${s.household_name}`;
          const text =
            r.householdId && r.householdId === s.hub_household_id
              ? `${who} ${names.length === 1 ? 'arrives' : 'arrive'} tomorrow ${when}. Their sleepover notes are in the app.`
              : `${who} ${names.length === 1 ? 'stays' : 'stay'} at ${hub} ${when}.`;
          return { title: `Sleepover tomorrow: ${who}`, text, html: `<p>${escapeHtml(text)}</p>` };
        },
      };
    });
  },
});
