import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../auth/roles';
import { sql } from '../platform/db/sql';
import { EMAIL_REQUIRED_KINDS, NotificationChannel, type NotificationKind } from './kinds';
import { enqueueDeliveries, wakeDeliveryWorkers } from './queue';

/** Who a notification is rendered for: enough to decide what they may be told. */
export interface Recipient {
  userId: string;
  organisationId: string;
  name: string;
  role: Role;
  /** CARER only: their household (a carer may be told the first names of its children, no others). */
  householdId: string | null;
}

export interface Rendered {
  /** Email subject and push title: never names a child. */
  title: string;
  text: string;
  html: string;
}

export interface NotifyInput {
  kind: NotificationKind;
  recipients: readonly string[];
  /** The entity it is about (GraphQL type name and database id), for the client to open. */
  subject?: { type: string; id: string } | null;
  /** Called once per recipient, with what they may see decided by the caller. */
  render: (recipient: Recipient) => Rendered;
  /** Not sent before this instant (batching); now when omitted. */
  deliverAt?: Date | null;
  /**
   * Notifications with the same key for the same recipient and channel, made while the first one's
   * window is still open, go out as one message at the end of that window.
   */
  batchKey?: string | null;
  /** At most one notification per (recipient, dedupeKey): scheduled reminders, replayed events. */
  dedupeKey?: string | null;
}

/** What notify needs of the caller's transaction: its EntityManager, and after-commit hooks when it has them. */
export interface NotifyTx {
  em: EntityManager;
  afterCommit?(fn: () => void | Promise<void>): void;
}

const MAX_TITLE = 200;
const MAX_BODY = 20_000;

/**
 * Records notifications and their deliveries IN the caller's transaction (the outbox): a rolled-back
 * change notifies no one, a committed one is delivered even if the process dies right after the
 * commit. Deactivated users and users of another organisation than the first recipient's are
 * skipped. Returns the ids of the notifications written (a dedupe hit writes nothing).
 */
export async function notify(tx: NotifyTx, input: NotifyInput): Promise<string[]> {
  const em = tx.em;
  const ids = [...new Set(input.recipients)];
  if (!ids.length) return [];
  const people = await recipientsOf(em, input.kind, ids);
  if (!people.length) return [];
  // A notification never crosses the tenant boundary, whatever a caller passes.
  const org = people[0].organisation_id;
  const recipients = people.filter((p) => p.organisation_id === org);

  const rows = recipients.map((p) => {
    const r = input.render({ userId: p.id, organisationId: p.organisation_id, name: p.name, role: p.role, householdId: p.household_id ?? null });
    return { person: p, id: crypto.randomUUID(), ...clean(r) };
  });
  const kept = await writeNotifications(em, org, input, rows);
  if (!kept.length) return [];
  await writeDeliveries(em, org, input, kept);
  const deliverAt = input.deliverAt ?? null;
  if (tx.afterCommit && (!deliverAt || deliverAt.getTime() <= Date.now())) tx.afterCommit(wakeDeliveryWorkers);
  return kept.map((r) => r.id);
}

/** An active recipient, with the channels they take this kind of notification on. */
interface Person {
  id: string;
  organisation_id: string;
  name: string;
  role: Role;
  household_id: string | null;
  email: boolean;
  push: boolean;
}

/** A notification rendered for one recipient, with its id. */
type Written = Rendered & { person: Person; id: string };

async function recipientsOf(em: EntityManager, kind: NotificationKind, ids: string[]): Promise<Person[]> {
  return sql<Person>(
    em,
    `select u.id, u.organisation_id, u.name, u.role,
            case when u.role = 'CARER' then c.household_id end as household_id,
            coalesce(p.email, true) or $3::boolean as email,
            coalesce(p.push, true) and exists (select 1 from push_subscription s where s.user_id = u.id) as push
       from app_user u
       left join carer c on c.user_id = u.id
       left join notification_preference p on p.user_id = u.id and p.kind = $2
      where u.id = any($1::uuid[]) and u.active
      order by u.id`,
    [ids, kind, EMAIL_REQUIRED_KINDS.has(kind)],
  );
}

/** Inserts the notifications; those a dedupe key already had are not written. Returns the ones written. */
async function writeNotifications(em: EntityManager, org: string, input: NotifyInput, rows: Written[]): Promise<Written[]> {
  const inserted = await sql(
    em,
    `insert into notification (id, organisation_id, recipient_id, kind, title, body_text, body_html, subject_type, subject_id, dedupe_key)
     select x.id, $2, x.recipient_id, $3, x.title, x.body_text, x.body_html, $4, $5, $6
       from unnest($1::uuid[], $7::uuid[], $8::text[], $9::text[], $10::text[]) as x(id, recipient_id, title, body_text, body_html)
     on conflict (recipient_id, dedupe_key) do nothing
     returning id`,
    [
      rows.map((r) => r.id),
      org,
      input.kind,
      input.subject?.type ?? null,
      input.subject?.id ?? null,
      input.dedupeKey ?? null,
      rows.map((r) => r.person.id),
      rows.map((r) => r.title),
      rows.map((r) => r.text),
      rows.map((r) => r.html),
    ],
  );
  const written = new Set(inserted.map((r) => r.id as string));
  return rows.filter((r) => written.has(r.id));
}

/**
 * A delivery per notification and channel the recipient takes, joining a batch still open for
 * their (recipient, channel) where the input has a batch key, and a job per new batch.
 */
async function writeDeliveries(em: EntityManager, org: string, input: NotifyInput, kept: Written[]): Promise<void> {
  const deliveries: { id: string; notificationId: string; recipientId: string; channel: NotificationChannel }[] = [];
  for (const r of kept) {
    if (r.person.email) deliveries.push({ id: crypto.randomUUID(), notificationId: r.id, recipientId: r.person.id, channel: NotificationChannel.EMAIL });
    if (r.person.push) deliveries.push({ id: crypto.randomUUID(), notificationId: r.id, recipientId: r.person.id, channel: NotificationChannel.PUSH });
  }
  const deliverAt = input.deliverAt ?? null;
  const batchKey = input.batchKey ? `${input.kind}:${input.batchKey}` : null;
  // Rows joining a batch still open for their (recipient, channel) take its leader's id and window.
  const joined = batchKey ? await openBatches(em, batchKey, deliveries) : new Map<string, { batchId: string; deliverAfter: Date }>();
  const batchIds = deliveries.map((d) => joined.get(`${d.recipientId}|${d.channel}`)?.batchId ?? d.id);
  if (!deliveries.length) return;
  await sql(
    em,
    `insert into notification_delivery (id, notification_id, organisation_id, recipient_id, channel, batch_key, batch_id, deliver_after)
     select x.id, x.notification_id, $2, x.recipient_id, x.channel, $3, x.batch_id, coalesce(x.deliver_after, now())
       from unnest($1::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::uuid[], $8::timestamptz[]) as x(id, notification_id, recipient_id, channel, batch_id, deliver_after)`,
    [
      deliveries.map((d) => d.id),
      org,
      batchKey,
      deliveries.map((d) => d.notificationId),
      deliveries.map((d) => d.recipientId),
      deliveries.map((d) => d.channel),
      batchIds,
      deliveries.map((d) => joined.get(`${d.recipientId}|${d.channel}`)?.deliverAfter ?? deliverAt),
    ],
  );
  // One job per new batch; rows that joined an open batch ride on its leader's job.
  await enqueueDeliveries(
    em,
    deliveries.filter((d, i) => batchIds[i] === d.id).map((d) => ({ batchId: d.id, startAfter: deliverAt })),
  );
}

/**
 * The open batch (leader row still PENDING, window not yet over) for each (recipient, channel).
 * A transaction-scoped advisory lock per (recipient, channel, key) makes concurrent requests agree
 * on one batch, and the leader row is locked FOR UPDATE so the worker's claim (which locks it
 * first) either sees the joining row or runs before it and leaves it to start a new batch.
 */
async function openBatches(em: EntityManager, batchKey: string, deliveries: { recipientId: string; channel: string }[]) {
  const out = new Map<string, { batchId: string; deliverAfter: Date }>();
  if (!deliveries.length) return out;
  const recipients = deliveries.map((d) => d.recipientId);
  const channels = deliveries.map((d) => d.channel);
  await sql(
    em,
    `select pg_advisory_xact_lock(hashtextextended('notification-batch|' || x.r || '|' || x.c || '|' || $3, 0))
       from (select distinct r, c from unnest($1::uuid[], $2::text[]) as u(r, c) order by r, c) x`,
    [recipients, channels, batchKey],
  );
  const rows = await sql(
    em,
    `select d.recipient_id, d.channel, d.batch_id, (extract(epoch from d.deliver_after) * 1000)::float8 as deliver_after_ms
       from notification_delivery d
       join unnest($1::uuid[], $2::text[]) as x(r, c) on d.recipient_id = x.r and d.channel = x.c
      where d.batch_key = $3 and d.status = 'PENDING' and d.id = d.batch_id and d.deliver_after > now()
      order by d.deliver_after
      for update of d`,
    [recipients, channels, batchKey],
  );
  for (const r of rows) {
    const k = `${r.recipient_id}|${r.channel}`;
    if (!out.has(k)) out.set(k, { batchId: r.batch_id, deliverAfter: new Date(r.deliver_after_ms) });
  }
  return out;
}

function clean(r: Rendered): Rendered {
  // A title is a header line: one line, bounded. Bodies are bounded so a message always fits.
  const title = r.title
    .replace(/[\r\n\t]+/g, ' ')
    .trim()
    .slice(0, MAX_TITLE);
  return { title, text: r.text.slice(0, MAX_BODY), html: r.html.slice(0, MAX_BODY) };
}

/** Escapes text for the HTML body. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
