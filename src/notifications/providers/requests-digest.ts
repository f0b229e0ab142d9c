import { sql } from '../../platform/db/sql';
import { daysBetween } from '../../platform/time';
import { NotificationKind } from '../kinds';
import { escapeHtml } from '../notify';
import { londonTime, registerReminderProvider, type DueNotification } from '../scheduler';
import { longDate, plural } from './format';

export const DIGEST_HOUR = 8;

/**
 * Weekdays from 08:00 Europe/London: each liaison worker gets one digest of the sleepover requests
 * still waiting for a decision in their constellations (none when nothing waits). It lists
 * households, kinds, dates and numbers of children: no child's name, no case reference.
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
    const byLiaison = new Map<string, any[]>();
    for (const r of rows as any[]) {
      let list = byLiaison.get(r.liaison_worker_id);
      if (!list) byLiaison.set(r.liaison_worker_id, (list = []));
      list.push(r);
    }
    return [...byLiaison.entries()].map(([liaison, list]): DueNotification => {
      const lines = list.map(
        (r) =>
          `${r.constellation_name}: ${r.household_name}, ${r.kind === 'EMERGENCY' ? 'EMERGENCY' : 'planned'}, ${plural(r.children, 'child', 'children')}, ` +
          `${plural(daysBetween(r.start_date, r.end_date), 'night')} from ${longDate(r.start_date)}`,
      );
      const title = `${plural(list.length, 'sleepover request')} waiting for a decision`;
      return {
        kind: NotificationKind.REQUESTS_DIGEST,
        dedupeKey: `${NotificationKind.REQUESTS_DIGEST}:${today}`,
        recipients: [liaison],
        subject: null,
        render: () => ({
          title,
          text: `Still waiting for a decision this morning:\n${lines.map((l) => `- ${l}`).join('\n')}`,
          html: `<p>Still waiting for a decision this morning:</p>\n<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
        }),
      };
    });
  },
});
