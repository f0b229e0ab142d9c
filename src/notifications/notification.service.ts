import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from '../platform/context';
import { findRows, mapRow } from '../platform/db/rows';
import { sql, sqlOne } from '../platform/db/sql';
import { readPage, toConnection, type PageArgs } from '../platform/graphql/connection';
import { badUserInput } from '../platform/graphql/errors';
import { idOf, toGlobalId } from '../platform/graphql/ids';
import { Problems, refuse, UserErrorCode } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { onUserDeactivated } from '../users/user.service';
import { ALL_KINDS, EMAIL_REQUIRED_KINDS, type NotificationKind } from './kinds';
import { Notification } from './notification.entity';
import type { MarkNotificationsReadInput, NotificationPreferences, RegisterPushSubscriptionInput, UpdateNotificationPreferencesInput } from './notification.types';

const MAX_IDS = 100;
const MAX_PUSH_SUBSCRIPTIONS = 20;

/** The viewer's own notifications, newest first; keyset on (created_at, id) at full precision. */
export async function listNotifications(ctx: Ctx, userId: string, args: PageArgs & { unreadOnly?: boolean | null }) {
  const page = readPage(args, ['timestamptz', 'text']);
  const after = page.after as [string, string] | null;
  if (after && (typeof after[0] !== 'string' || Number.isNaN(Date.parse(after[0])) || !idOf('Notification', after[1]))) {
    throw badUserInput('after is not a cursor of this list.');
  }
  const unreadOnly = args.unreadOnly ?? false;
  const rows = await sql(
    ctx.em,
    `select n.*, to_char(n.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at
       from notification n
      where n.recipient_id = $1 and (not $2::boolean or n.read_at is null)
        and ($3::timestamptz is null or (n.created_at, n.id) < ($3::timestamptz, $4::uuid))
      order by n.created_at desc, n.id desc limit $5`,
    [userId, unreadOnly, after?.[0] ?? null, after ? idOf('Notification', after[1]) : null, page.limit + 1],
  );
  const entities = rows.map((r) => ({ cursorAt: r.cursor_at as string, n: mapRow(ctx.em, Notification, r) }));
  return toConnection(
    entities,
    page,
    (e) => [e.cursorAt, toGlobalId('Notification', e.n.id)],
    (e) => e.n,
    async () => {
      const r = await sqlOne(ctx.em, `select count(*)::int as n from notification where recipient_id = $1 and (not $2::boolean or read_at is null)`, [userId, unreadOnly]);
      return r.n;
    },
  );
}

export async function unreadCount(em: EntityManager, userId: string): Promise<number> {
  const r = await sqlOne(em, `select count(*)::int as n from notification where recipient_id = $1 and read_at is null`, [userId]);
  return r.n;
}

export async function markNotificationsRead(tx: Tx, input: MarkNotificationsReadInput): Promise<Outcome<{ notifications: Notification[] | null; unreadCount: number }>> {
  const { em, viewer } = tx;
  const p = new Problems();
  const all = input.all === true;
  const given = input.ids ?? [];
  if (!all && given.length === 0) p.add(UserErrorCode.INVALID_INPUT, 'Give the notifications to mark read, or all: true.', ['input', 'ids']);
  if (given.length > MAX_IDS) p.add(UserErrorCode.INVALID_INPUT, `At most ${MAX_IDS} notifications at once; use all: true for more.`, ['input', 'ids']);
  p.throwIfAny();
  if (all) {
    await sql(em, `update notification set read_at = now() where recipient_id = $1 and read_at is null`, [viewer.userId]);
    return { payload: { notifications: null, unreadCount: 0 }, subject: { type: 'User', id: viewer.userId }, summary: { all: true } };
  }
  const ids = given.map((g) => idOf('Notification', g));
  const rows = ids.every((x) => x)
    ? await findRows(em, Notification, `update notification set read_at = coalesce(read_at, now()) where id = any($1::uuid[]) and recipient_id = $2 returning *`, [ids, viewer.userId])
    : [];
  // Another user's notification reads exactly like an unknown one.
  if (rows.length !== new Set(ids).size) refuse(UserErrorCode.NOT_FOUND, 'No such notification.', ['input', 'ids']);
  const byId = new Map(rows.map((n) => [n.id, n]));
  return {
    payload: { notifications: [...new Set(ids as string[])].map((id) => byId.get(id)!), unreadCount: await unreadCount(em, viewer.userId) },
    subject: { type: 'User', id: viewer.userId },
    summary: { count: rows.length },
  };
}

export async function preferencesOf(em: EntityManager, userId: string, available: { email: boolean; push: boolean }): Promise<NotificationPreferences> {
  const rows = await sql(em, `select kind, email, push from notification_preference where user_id = $1`, [userId]);
  const subs = await sqlOne(em, `select count(*)::int as n from push_subscription where user_id = $1`, [userId]);
  const set = new Map(rows.map((r) => [r.kind as string, r]));
  return {
    kinds: ALL_KINDS.map((kind) => ({ kind, email: EMAIL_REQUIRED_KINDS.has(kind) || (set.get(kind)?.email ?? true), push: set.get(kind)?.push ?? true })),
    pushSubscriptionCount: subs.n,
    emailAvailable: available.email,
    pushAvailable: available.push,
  };
}

export async function updateNotificationPreferences(tx: Tx, input: UpdateNotificationPreferencesInput) {
  const { em, viewer } = tx;
  const p = new Problems();
  const seen = new Set<NotificationKind>();
  input.preferences.forEach((pref, i) => {
    if (seen.has(pref.kind)) p.add(UserErrorCode.INVALID_INPUT, `${pref.kind} is listed twice.`, ['input', 'preferences', String(i), 'kind']);
    if (pref.email === false && EMAIL_REQUIRED_KINDS.has(pref.kind)) {
      p.add(UserErrorCode.INVALID_INPUT, `${pref.kind} always goes by email: it cannot be switched off.`, ['input', 'preferences', String(i), 'email']);
    }
    seen.add(pref.kind);
  });
  p.throwIfAny();
  const current = await sql(em, `select kind, email, push from notification_preference where user_id = $1 for update`, [viewer.userId]);
  const byKind = new Map(current.map((r) => [r.kind as string, r]));
  const next = input.preferences.map((pref) => ({
    kind: pref.kind,
    email: pref.email ?? byKind.get(pref.kind)?.email ?? true,
    push: pref.push ?? byKind.get(pref.kind)?.push ?? true,
  }));
  if (next.length) {
    await sql(
      em,
      `insert into notification_preference (user_id, kind, email, push, updated_at)
       select $1, x.kind, x.email, x.push, now() from unnest($2::text[], $3::boolean[], $4::boolean[]) as x(kind, email, push)
       on conflict (user_id, kind) do update set email = excluded.email, push = excluded.push, updated_at = now()`,
      [viewer.userId, next.map((n) => n.kind), next.map((n) => n.email), next.map((n) => n.push)],
    );
  }
  const channels = tx.ctx.app.notifications.channels;
  return {
    payload: { preferences: await preferencesOf(em, viewer.userId, { email: !!channels.email, push: !!channels.push }) },
    subject: { type: 'User', id: viewer.userId },
    summary: { kinds: next.map((n) => n.kind) },
  };
}

/**
 * A browser's push subscription for the viewer. The endpoint is a URL this service will POST to,
 * so it must be https on a known push service (PUSH_ENDPOINT_HOSTS), never an arbitrary host.
 * Registering an endpoint someone else of the same organisation registered moves it to the
 * viewer: it is one browser. One registered in another organisation stays there (an endpoint is
 * not a secret, and must not become a way to take another organisation's notifications).
 */
export async function registerPushSubscription(tx: Tx, input: RegisterPushSubscriptionInput) {
  const { em, viewer } = tx;
  const cfg = tx.ctx.app.config;
  const p = new Problems();
  const endpoint = input.endpoint.trim();
  if (!endpointAllowed(endpoint, cfg.notifications.pushEndpointHosts, cfg.production)) {
    p.add(UserErrorCode.INVALID_INPUT, 'The endpoint must be an https URL of a browser push service.', ['input', 'endpoint']);
  }
  const p256dh = decodeKey(input.keys.p256dh);
  if (!p256dh || p256dh.length !== 65 || p256dh[0] !== 0x04) p.add(UserErrorCode.INVALID_INPUT, 'keys.p256dh must be an uncompressed P-256 public key, base64url.', ['input', 'keys', 'p256dh']);
  const auth = decodeKey(input.keys.auth);
  if (!auth || auth.length !== 16) p.add(UserErrorCode.INVALID_INPUT, 'keys.auth must be 16 bytes, base64url.', ['input', 'keys', 'auth']);
  p.throwIfAny();
  if (!tx.ctx.app.notifications.pushPublicKey) refuse(UserErrorCode.INVALID_STATE, 'This service does not send Web Push.', ['input', 'endpoint']);
  const saved = await sql(
    em,
    `insert into push_subscription (user_id, organisation_id, endpoint, p256dh, auth) values ($1, $2, $3, $4, $5)
     on conflict (endpoint) do update set user_id = excluded.user_id,
       p256dh = excluded.p256dh, auth = excluded.auth, created_at = now()
       where push_subscription.organisation_id = excluded.organisation_id
     returning id`,
    [viewer.userId, viewer.organisationId, endpoint, input.keys.p256dh.trim(), input.keys.auth.trim()],
  );
  if (!saved.length) refuse(UserErrorCode.INVALID_INPUT, 'This endpoint cannot be registered.', ['input', 'endpoint']);
  // A user's oldest browsers go first beyond the limit.
  await sql(
    em,
    `delete from push_subscription where user_id = $1 and id not in (
       select id from push_subscription where user_id = $1 order by created_at desc, id limit $2)`,
    [viewer.userId, MAX_PUSH_SUBSCRIPTIONS],
  );
  return { payload: { registered: true }, subject: { type: 'User', id: viewer.userId } };
}

export async function removePushSubscription(tx: Tx, endpoint: string) {
  const { em, viewer } = tx;
  const rows = await sql(em, `delete from push_subscription where endpoint = $1 and user_id = $2 returning id`, [endpoint.trim(), viewer.userId]);
  return { payload: { removed: rows.length > 0 }, subject: { type: 'User', id: viewer.userId } };
}

function endpointAllowed(endpoint: string, hosts: string[], production: boolean): boolean {
  if (endpoint.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  // Plain http only to a push service under test on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback && !production)) return false;
  // Push services listen on 443; another port would make this service a probe of the host's other services.
  if (url.protocol === 'https:' && url.port !== '') return false;
  return hosts.some((h) => host === h || host.endsWith(`.${h}`));
}

function decodeKey(s: string): Buffer | null {
  const v = s.trim();
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(v) || v.length > 200) return null;
  return Buffer.from(v.replace(/=+$/, ''), 'base64url');
}

// A deactivated user's browsers stop at once and nothing still queued reaches them.
onUserDeactivated(async (tx, userId) => {
  await sql(tx.em, `delete from push_subscription where user_id = $1`, [userId]);
  await sql(
    tx.em,
    `update notification_delivery set status = 'SKIPPED', last_error = 'recipient deactivated', locked_until = null
      where recipient_id = $1 and status in ('PENDING', 'RETRYING')`,
    [userId],
  );
});
