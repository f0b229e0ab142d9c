import type { EntityManager } from '@mikro-orm/postgresql';
import { longDate, plural } from '../notifications/format';
import { NotificationKind } from '../notifications/kinds';
import { escapeHtml, type Rendered } from '../notifications/notify';
import { londonTime, registerReminderProvider, type DueNotification } from '../notifications/scheduler';
import { sql } from '../platform/db/sql';
import { daysBetween } from '../platform/time';

export const DIGEST_HOUR = 8;
/** Consents ending within this many days appear on the liaison worker's digest. */
export const CONSENT_WARNING_DAYS = 14;

/**
 * Weekdays from 08:00 Europe/London: each liaison worker gets one digest of the sleepover requests
 * still waiting for a decision in their constellations, of the sleepover consents of their
 * satellites' children ending within two weeks, and of the support log's follow-ups due (on or
 * before today; a correction that clears followUpOn takes one off) — none when nothing waits. It
 * lists households, kinds, dates and numbers of children: no child's name, no case reference, no
 * support summary.
 */
registerReminderProvider({
  kind: NotificationKind.REQUESTS_DIGEST,
  async due(em, at) {
    const local = londonTime(at);
    if (local.weekday > 5 || local.hour < DIGEST_HOUR) return [];
    const today = local.toISODate()!;
    const byLiaison = new Map<string, DigestItems>();
    const entry = (id: string) => {
      let e = byLiaison.get(id);
      if (!e) byLiaison.set(id, (e = { requests: [], consents: [], followUps: [] }));
      return e;
    };
    for (const r of await waitingRequests(em, today)) entry(r.liaison_worker_id).requests.push(r);
    for (const r of await endingConsents(em, today)) entry(r.liaison_worker_id).consents.push(r);
    for (const r of await dueFollowUps(em, today)) entry(r.liaison_worker_id).followUps.push(r);
    return [...byLiaison.entries()].map(([liaison, items]): DueNotification => ({
      kind: NotificationKind.REQUESTS_DIGEST,
      dedupeKey: `${NotificationKind.REQUESTS_DIGEST}:${today}`,
      recipients: [liaison],
      subject: null,
      render: () => renderDigest(items, today),
    }));
  },
});

/** One liaison worker's digest: rows of the three statements below, theirs only. */
interface DigestItems {
  requests: WaitingRequest[];
  consents: EndingConsent[];
  followUps: DueFollowUp[];
}

interface ForLiaison {
  liaison_worker_id: string;
  constellation_name: string;
  household_name: string;
}
interface WaitingRequest extends ForLiaison {
  kind: string;
  start_date: string;
  end_date: string;
  children: number;
}
interface EndingConsent extends ForLiaison {
  ends: string;
}
interface DueFollowUp extends ForLiaison {
  follow_up_on: string;
}

/** Sleepover requests still waiting for a decision, in constellations with a liaison worker. */
function waitingRequests(em: EntityManager, today: string): Promise<WaitingRequest[]> {
  return sql<WaitingRequest>(
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
}

/** Consents running out within CONSENT_WARNING_DAYS, for the liaison worker to chase renewals. */
function endingConsents(em: EntityManager, today: string): Promise<EndingConsent[]> {
  return sql<EndingConsent>(
    em,
    `select k.liaison_worker_id, k.name as constellation_name, h.name as household_name, e.ends
       from constellation k
       join constellation_membership m on m.constellation_id = k.id and m.role = 'SATELLITE' and m.period @> $1::date
       join household h on h.id = m.household_id
       join placement pl on pl.household_id = h.id and pl.period @> $1::date
      cross join lateral (
        select least(s.expires_on, s.withdrawn_on) as ends from (
          select sc.expires_on, sc.withdrawn_on from sleepover_consent sc
           where sc.child_id = pl.child_id and sc.given_on <= $1::date
           order by sc.given_on desc, sc.recorded_at desc limit 1) s) e
      where k.liaison_worker_id is not null and e.ends > $1::date and e.ends <= $1::date + $2::int
      order by k.liaison_worker_id, e.ends, k.name, h.name`,
    [today, CONSENT_WARNING_DAYS],
  );
}

/** The support log's follow-ups due on or before today, not recorded in error nor amended since. */
function dueFollowUps(em: EntityManager, today: string): Promise<DueFollowUp[]> {
  return sql<DueFollowUp>(
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
}

function renderDigest({ requests, consents, followUps }: DigestItems, today: string): Rendered {
  const lines = requests.map(
    (r) =>
      `${r.constellation_name}: ${r.household_name}, ${r.kind === 'EMERGENCY' ? 'EMERGENCY' : 'planned'}, ${plural(r.children, 'child', 'children')}, ` +
      `${plural(daysBetween(r.start_date, r.end_date), 'night')} from ${longDate(r.start_date)}`,
  );
  const consentLines = consents.map((r) => `${r.constellation_name}: a child of ${r.household_name}, consent ends on ${longDate(r.ends)}`);
  const dueLines = followUps.map((r) => `${r.constellation_name}: ${r.household_name}, due ${r.follow_up_on === today ? 'today' : `since ${longDate(r.follow_up_on)}`}`);
  const title = [
    ...(requests.length ? [`${plural(requests.length, 'sleepover request')} waiting for a decision`] : []),
    ...(consents.length ? [`${plural(consents.length, 'sleepover consent')} ending soon`] : []),
    ...(followUps.length ? [`${plural(followUps.length, 'support follow-up')} due`] : []),
  ].join('; ');
  const sections = [
    ...(lines.length ? [{ head: 'Still waiting for a decision this morning:', items: lines }] : []),
    ...(consentLines.length ? [{ head: `Sleepover consent ending within ${CONSENT_WARNING_DAYS} days (ask for a renewal):`, items: consentLines }] : []),
    ...(dueLines.length ? [{ head: 'Support follow-ups due:', items: dueLines }] : []),
  ];
  return {
    title,
    text: sections.map((x) => `${x.head}\n${x.items.map((l) => `- ${l}`).join('\n')}`).join('\n\n'),
    html: sections.map((x) => `<p>${escapeHtml(x.head)}</p>\n<ul>${x.items.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`).join('\n'),
  };
}
