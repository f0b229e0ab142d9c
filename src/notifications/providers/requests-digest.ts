import { sql } from '../../platform/db/sql';
import { daysBetween } from '../../platform/time';
import { NotificationKind } from '../kinds';
import { escapeHtml } from '../notify';
import { londonTime, registerReminderProvider, type DueNotification } from '../scheduler';
import { longDate, plural } from './format';

export const DIGEST_HOUR = 8;

/**
 * Weekdays from 08:00 Europe/London: each liaison worker gets one digest of the sleepover requests
 * still waiting for a decision in their constellations, and of the support log's follow-ups due
 * (on or before today; a correction that clears followUpOn takes one off) — none when nothing
 * waits. It lists households, kinds, dates and numbers of children: no child's name, no case
 * reference, no support summary.
 */
registerReminderProvider({
  kind: NotificationKind.REQUESTS_DIGEST,
  async due(em, at) {
    const local = londonTime(at);
    if (local.weekday > 5 || local.hour < DIGEST_HOUR) return [];
    const today = local.toISODate()!;
    const rows = await sql(
      em,
      `select k.liaison_worker_id, k.name as constellation_name, s.kind, s.start_date, s.end_date, h.name as household_name,
              (select count(*)::int from sleepover_child sc where sc.sleepover_id = s.id) as children
         from sleepover s
         join constellation k on k.id = s.constellation_id
         join household h on h.id = s.household_id
        where s.status = 'REQUESTED' and s.end_date > $1 and k.liaison_worker_id is not null
        order by k.liaison_worker_id, k.name, s.kind desc, s.start_date, s.created_at`,
      [today],
    );
    const followUps = await sql(
      em,
      `select k.liaison_worker_id, k.name as constellation_name, h.name as household_name, e.follow_up_on
         from support_log_entry e
         join constellation k on k.id = e.constellation_id
         join household h on h.id = e.household_id
        where e.follow_up_on <= $1::date and not e.recorded_in_error and k.liaison_worker_id is not null
          and not exists (select 1 from support_log_entry n where n.amends_id = e.id)
        order by k.liaison_worker_id, k.name, e.follow_up_on, h.name`,
      [today],
    );
    const byLiaison = new Map<string, { requests: any[]; followUps: any[] }>();
    const of = (id: string) => {
      let v = byLiaison.get(id);
      if (!v) byLiaison.set(id, (v = { requests: [], followUps: [] }));
      return v;
    };
    for (const r of rows as any[]) of(r.liaison_worker_id).requests.push(r);
    for (const r of followUps as any[]) of(r.liaison_worker_id).followUps.push(r);
    return [...byLiaison.entries()].map(([liaison, { requests, followUps: due }]): DueNotification => {
      const lines = requests.map(
        (r) =>
          `${r.constellation_name}: ${r.household_name}, ${r.kind === 'EMERGENCY' ? 'EMERGENCY' : 'planned'}, ${plural(r.children, 'child', 'children')}, ` +
          `${plural(daysBetween(r.start_date, r.end_date), 'night')} from ${longDate(r.start_date)}`,
      );
      const dueLines = due.map((r) => `${r.constellation_name}: ${r.household_name}, due ${r.follow_up_on === today ? 'today' : `since ${longDate(r.follow_up_on)}`}`);
      const title = [
        ...(requests.length ? [`${plural(requests.length, 'sleepover request')} waiting for a decision`] : []),
        ...(due.length ? [`${plural(due.length, 'support follow-up')} due`] : []),
      ].join('; ');
      const sections = [
        ...(lines.length ? [{ head: 'Still waiting for a decision this morning:', items: lines }] : []),
        ...(dueLines.length ? [{ head: 'Support follow-ups due:', items: dueLines }] : []),
      ];
      return {
        kind: NotificationKind.REQUESTS_DIGEST,
        dedupeKey: `${NotificationKind.REQUESTS_DIGEST}:${today}`,
        recipients: [liaison],
        subject: null,
        render: () => ({
          title,
          text: sections.map((s) => `${s.head}\n${s.items.map((l) => `- ${l}`).join('\n')}`).join('\n\n'),
          html: sections.map((s) => `<p>${escapeHtml(s.head)}</p>\n<ul>${s.items.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`).join('\n'),
        }),
      };
    });
  },
});
