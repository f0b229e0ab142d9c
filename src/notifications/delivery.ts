import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../platform/db/orm';
import { sql, sqlOne } from '../platform/db/sql';
import { toGlobalId } from '../platform/graphql/ids';
import type { Logger } from '../platform/log';
import type { EmailChannel } from './channels/email';
import { pushTopic, type PushChannel } from './channels/push';
import { batchTitle, NotificationChannel, NotificationKind, pushUrgency } from './kinds';
import { escapeHtml } from './notify';

export interface Channels {
  email: EmailChannel | null;
  push: PushChannel | null;
}

export interface DeliveryOptions {
  maxAttempts: number;
  /** How long a claim holds; a worker that dies mid-send is taken over after it. */
  leaseSeconds: number;
  /** Domain for Message-IDs. */
  messageIdDomain: string;
}

export type DeliveryOutcome =
  | { state: 'nothing' }
  | { state: 'notYet'; at: Date }
  | { state: 'sent' | 'skipped'; rows: number }
  | { state: 'retrying' | 'dead'; rows: number; error: string }
  /** Only rows whose send was cut off were found; they are marked DEAD and not sent again. */
  | { state: 'interrupted'; rows: number };

/** last_error of an INTERRUPTED row: what operators read next to the status. */
export const INTERRUPTED = 'interrupted mid-send (worker stopped before the channel answered); not resent, so that it goes at most once';

interface Claimed {
  id: string;
  notification_id: string;
  recipient_id: string;
  channel: NotificationChannel;
  attempts: number;
}

/**
 * Delivers one batch (the job's unit): claims its due rows, sends one message per channel, and
 * records the result. At most once per (notification, channel): the claim is one UPDATE that
 * moves rows from PENDING/RETRYING to SENDING, so of any number of workers (or duplicate jobs)
 * exactly one gets each row; a row that was SENT is never claimed again. A row whose worker died
 * mid-send (lease run out) may or may not have left, so it is never sent again: it is marked
 * INTERRUPTED and logged, so that at most one message goes per recipient and
 * channel (a duplicate emergency alert at 3 a.m. is the worse failure; the lost one
 * stays readable in the app and visible to operators). No transaction is open while talking to SMTP
 * or a push service.
 */
export async function deliverBatch(orm: Orm, channels: Channels, batchId: string, opts: DeliveryOptions, log: Logger): Promise<DeliveryOutcome> {
  const em = orm.em.fork() as unknown as EntityManager;
  const claim = await claimBatch(em, batchId, opts);
  if (!claim) return { state: 'nothing' };
  if (claim.notYet) return { state: 'notYet', at: claim.notYet };
  if (claim.interrupted) log.error({ batchId, rows: claim.interrupted }, 'notification delivery interrupted mid-send; not resent (at most once)');
  const rows = claim.rows;
  if (!rows.length) return claim.interrupted ? { state: 'interrupted', rows: claim.interrupted } : { state: 'nothing' };
  const ids = rows.map((r) => r.id);
  const channel = rows[0].channel;
  try {
    const result = await send(em, channels, batchId, channel, rows, opts);
    if (result.skipped) {
      await sql(em, `update notification_delivery set status = 'SKIPPED', last_error = $2, locked_until = null where id = any($1::uuid[]) and status = 'SENDING'`, [ids, result.skipped]);
      return { state: 'skipped', rows: ids.length };
    }
    // A send that outlived its lease was marked INTERRUPTED by whoever looked next; it did leave.
    await sql(
      em,
      `update notification_delivery set status = 'SENT', delivered_at = now(), last_error = null, locked_until = null
        where id = any($1::uuid[]) and status in ('SENDING', 'INTERRUPTED')`,
      [ids],
    );
    return { state: 'sent', rows: ids.length };
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    const after = await sql(
      em,
      `update notification_delivery
          set status = case when attempts >= $2 then 'DEAD' else 'RETRYING' end, last_error = $3, locked_until = null
        where id = any($1::uuid[]) and status = 'SENDING'
        returning status`,
      [ids, opts.maxAttempts, error],
    );
    const dead = after.some((r) => r.status === 'DEAD');
    log[dead ? 'error' : 'warn']({ batchId, channel, attempts: rows[0].attempts, error }, dead ? 'notification delivery dead' : 'notification delivery failed; will retry');
    return { state: dead ? 'dead' : 'retrying', rows: ids.length, error };
  }
}

/**
 * In one transaction: the batch's due rows moved to SENDING, and rows whose send was cut off
 * (lease run out) marked INTERRUPTED. Null when there is no such batch; `notYet` while its window
 * is still open.
 */
async function claimBatch(em: EntityManager, batchId: string, opts: DeliveryOptions): Promise<{ notYet: Date | null; rows: Claimed[]; interrupted: number } | null> {
  return em.transactional(async (t) => {
    // Locking the leader first waits for a request that is joining the batch right now, so the
    // UPDATE below (a new snapshot) sees its row; later joiners find the batch closed.
    const leader = await sqlOne(
      t,
      `select status, (extract(epoch from deliver_after) * 1000)::float8 as deliver_after_ms, deliver_after > now() as early from notification_delivery where id = $1 for update`,
      [batchId],
    );
    if (!leader) return null;
    if (leader.status === 'PENDING' && leader.early) return { notYet: new Date(leader.deliver_after_ms), rows: [] as Claimed[], interrupted: 0 };
    const interrupted = await sql(
      t,
      `update notification_delivery set status = 'INTERRUPTED', last_error = $2, locked_until = null
        where batch_id = $1 and status = 'SENDING' and locked_until < now()
        returning id`,
      [batchId, INTERRUPTED],
    );
    const rows = await sql<Claimed>(
      t,
      `update notification_delivery
          set status = 'SENDING', attempts = attempts + 1, locked_until = now() + make_interval(secs => $2)
        where batch_id = $1 and deliver_after <= now() and status in ('PENDING', 'RETRYING')
        returning id, notification_id, recipient_id, channel, attempts`,
      [batchId, opts.leaseSeconds],
    );
    return { notYet: null, rows, interrupted: interrupted.length };
  });
}

/** Sends the claimed rows as one message; returns a reason when there is nothing to send them through. */
async function send(em: EntityManager, channels: Channels, batchId: string, channel: NotificationChannel, rows: Claimed[], opts: DeliveryOptions): Promise<{ skipped?: string }> {
  const items = await sql(
    em,
    `select n.id, n.kind, n.title, n.body_text, n.body_html, u.id as user_id, u.email, u.name, u.active
       from notification n join app_user u on u.id = n.recipient_id
      where n.id = any($1::uuid[]) order by n.created_at, n.id`,
    [rows.map((r) => r.notification_id)],
  );
  if (!items.length) return { skipped: 'notification removed' };
  const user = items[0];
  if (!user.active) return { skipped: 'recipient deactivated' };
  const kind = items[0].kind as NotificationKind;
  if (channel === NotificationChannel.EMAIL) {
    if (!channels.email) return { skipped: 'email not configured' };
    const m = composeEmail(user.name, kind, items);
    await channels.email.send({ to: user.email, subject: m.subject, text: m.text, html: m.html, messageId: `<${batchId}@${opts.messageIdDomain}>` });
    return {};
  }
  if (!channels.push) return { skipped: 'push not configured' };
  const targets = await sql(em, `select endpoint, p256dh, auth from push_subscription where user_id = $1 order by created_at`, [user.user_id]);
  if (!targets.length) return { skipped: 'no push subscription' };
  const single = items.length === 1;
  const result = await channels.push.send(
    targets,
    {
      title: single ? items[0].title : batchTitle(kind, items.length),
      body: (single ? items[0].body_text : items.map((i) => i.title).join('\n')).slice(0, 1000),
      kind,
      notificationIds: items.map((i) => toGlobalId('Notification', i.id)),
    },
    { urgency: pushUrgency(kind), topic: pushTopic(batchId) },
  );
  if (result.gone.length) await sql(em, `delete from push_subscription where endpoint = any($1::text[])`, [result.gone]);
  // Delivered to at least one of the user's browsers: done (at most once per channel); retrying
  // for a browser that failed would repeat it on the ones that got it.
  if (result.delivered.length) return {};
  if (result.failed.length) throw new Error(`push failed: ${result.failed.map((f) => f.error).join('; ')}`);
  return { skipped: 'push subscriptions expired' };
}

const FOOTER = 'You receive this because of your notification settings in Hubnet; you can change them in the app.';

/** Plain text and HTML; a batch becomes one message whose subject counts the items (and names no child). */
export function composeEmail(name: string, kind: NotificationKind, items: { title: string; body_text: string; body_html: string }[]) {
  const greeting = `Hello ${name},`;
  if (items.length === 1) {
    const i = items[0];
    return {
      subject: i.title,
      text: `${greeting}\n\n${i.body_text}\n\n-- \n${FOOTER}\n`,
      html: page(`<p>${escapeHtml(greeting)}</p>\n${i.body_html}`),
    };
  }
  return {
    subject: batchTitle(kind, items.length),
    text: `${greeting}\n\n${items.map((i) => `${i.title}\n${i.body_text}`).join('\n\n')}\n\n-- \n${FOOTER}\n`,
    html: page(`<p>${escapeHtml(greeting)}</p>\n${items.map((i) => `<h2 style="font-size:16px">${escapeHtml(i.title)}</h2>\n${i.body_html}`).join('\n<hr>\n')}`),
  };
}

function page(body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"></head>
<body style="font-family: -apple-system, 'Segoe UI', Roboto, sans-serif; line-height: 1.5; color: #1b1b1b">
${body}
<p style="color: #666; font-size: 12px">${escapeHtml(FOOTER)}</p>
</body></html>`;
}

/**
 * After pg-boss gave up on a job (dead-letter queue): whatever of its batch is unfinished is DEAD,
 * or INTERRUPTED where a send was cut off (it may have left).
 */
export async function markBatchDead(orm: Orm, batchId: string): Promise<number> {
  const em = orm.em.fork() as unknown as EntityManager;
  const rows = await sql(
    em,
    `update notification_delivery
        set status = case when status = 'SENDING' then 'INTERRUPTED' else 'DEAD' end, locked_until = null,
            last_error = case when status = 'SENDING' then $2 else coalesce(last_error, 'gave up') end
      where batch_id = $1 and (status in ('PENDING', 'RETRYING') or (status = 'SENDING' and locked_until < now())) returning id`,
    [batchId, INTERRUPTED],
  );
  return rows.length;
}
