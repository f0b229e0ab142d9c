import { NotificationKind } from '../../src/notifications/kinds';
import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { browserKeys, notifyCommitted, rows, simple, vapidEnv } from './support';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
const ids: string[] = [];
beforeAll(async () => {
  t = await startTestApp({ PUSH_ENDPOINT_HOSTS: 'push.example.test,127.0.0.1', ...vapidEnv() });
  w = await t.fx.world();
  for (let i = 0; i < 5; i++) {
    const r = await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_CONFIRMED, recipients: [w.carerA.userId!], subject: { type: 'Household', id: w.satA }, render: simple(`N${i}`) });
    ids.push(r.ids[0]);
  }
});
afterAll(async () => t.stop());

const LIST = `query($first: Int, $after: String, $unread: Boolean) { me { unreadNotificationCount notifications(first: $first, after: $after, unreadOnly: $unread) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id title read readAt createdAt subjectId } } } } }`;
const MARK = `mutation($i: MarkNotificationsReadInput!) { markNotificationsRead(input: $i) { unreadCount notifications { id read } userErrors { code field } } }`;

test('me.notifications: newest first, paged by cursor, unreadOnly; no channel configured and still recorded', async () => {
  const p1 = await t.gql(LIST, { first: 2 }, { token: w.carerA.token });
  expect(p1.errors).toBeUndefined();
  expect(p1.data.me.notifications.totalCount).toBe(5);
  expect(p1.data.me.notifications.edges.map((e: any) => e.node.title)).toEqual(['N4', 'N3']);
  expect(p1.data.me.notifications.edges[0].node.subjectId).toBe(gid('Household', w.satA));
  const p2 = await t.gql(LIST, { first: 10, after: p1.data.me.notifications.pageInfo.endCursor }, { token: w.carerA.token });
  expect(p2.data.me.notifications.edges.map((e: any) => e.node.title)).toEqual(['N2', 'N1', 'N0']);
  expect(p2.data.me.notifications.pageInfo.hasNextPage).toBe(false);
  expect((await t.gql(LIST, { first: 101 }, { token: w.carerA.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect((await t.gql(LIST, { after: 'bogus' }, { token: w.carerA.token })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  // Nothing configured to send them through: skipped once a worker looks, recorded all the same.
  expect((await rows(t.service.app, `select count(*)::int n from notification_delivery where recipient_id = $1`, [w.carerA.userId]))[0].n).toBe(5);
});

test("markNotificationsRead by ids and all; another user's ids read as unknown and change nothing", async () => {
  const r = await t.gql(MARK, { i: { ids: [gid('Notification', ids[0]), gid('Notification', ids[1])] } }, { token: w.carerA.token });
  expect(r.data.markNotificationsRead.userErrors).toEqual([]);
  expect(r.data.markNotificationsRead.unreadCount).toBe(3);
  expect(r.data.markNotificationsRead.notifications.every((n: any) => n.read)).toBe(true);
  const unread = await t.gql(LIST, { unread: true }, { token: w.carerA.token });
  expect(unread.data.me.notifications.edges.map((e: any) => e.node.title)).toEqual(['N4', 'N3', 'N2']);
  const foreign = await t.gql(MARK, { i: { ids: [gid('Notification', ids[2])] } }, { token: w.carerB.token });
  expect(foreign.data.markNotificationsRead.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'ids'] }]);
  const none = await t.gql(MARK, { i: {} }, { token: w.carerA.token });
  expect(none.data.markNotificationsRead.userErrors[0].code).toBe('INVALID_INPUT');
  expect((await t.gql(LIST, {}, { token: w.carerA.token })).data.me.unreadNotificationCount).toBe(3);
  const all = await t.gql(MARK, { i: { all: true } }, { token: w.carerA.token });
  expect(all.data.markNotificationsRead).toEqual({ unreadCount: 0, notifications: null, userErrors: [] });
});

test("a notification is its recipient's alone: node() and User.notifications read as null for anyone else", async () => {
  const own = await t.gql(`query($id: ID!) { node(id: $id) { ... on Notification { title } } }`, { id: gid('Notification', ids[0]) }, { token: w.carerA.token });
  expect(own.data.node).toEqual({ title: 'N0' });
  for (const token of [w.carerB.token, w.admin.token, w.foreignAdmin.token]) {
    const r = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: gid('Notification', ids[0]) }, { token });
    expect(r.data.node).toBeNull();
  }
  const other = await t.gql(
    `query($id: ID!) { node(id: $id) { ... on User { notifications { totalCount } notificationPreferences { kinds { kind } } unreadNotificationCount } } }`,
    { id: gid('User', w.carerA.userId!) },
    { token: w.admin.token },
  );
  expect(other.data.node).toEqual({ notifications: null, notificationPreferences: null, unreadNotificationCount: null });
});

test('preferences: defaults on, partial updates, duplicates refused with nothing written', async () => {
  const q = await t.gql(`{ me { notificationPreferences { emailAvailable pushAvailable pushSubscriptionCount kinds { kind email push } } } }`, {}, { token: w.carerB.token });
  const prefs = q.data.me.notificationPreferences;
  expect(prefs).toMatchObject({ emailAvailable: false, pushAvailable: true, pushSubscriptionCount: 0 });
  expect(prefs.kinds).toHaveLength(Object.values(NotificationKind).length);
  expect(prefs.kinds.every((k: any) => k.email && k.push)).toBe(true);
  const M = `mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { preferences { kinds { kind email push } } userErrors { code field } } }`;
  const dup = await t.gql(
    M,
    {
      i: {
        preferences: [
          { kind: 'SESSION_REMINDER', push: false },
          { kind: 'SESSION_REMINDER', email: false },
        ],
      },
    },
    { token: w.carerB.token },
  );
  expect(dup.data.updateNotificationPreferences.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'preferences', '1', 'kind'] }]);
  expect(await rows(t.service.app, `select 1 from notification_preference where user_id = $1`, [w.carerB.userId])).toHaveLength(0);
  await t.gql(M, { i: { preferences: [{ kind: 'SESSION_REMINDER', push: false }] } }, { token: w.carerB.token });
  const r = await t.gql(M, { i: { preferences: [{ kind: 'SESSION_REMINDER', email: false }] } }, { token: w.carerB.token });
  expect(r.data.updateNotificationPreferences.preferences.kinds.find((k: any) => k.kind === 'SESSION_REMINDER')).toEqual({ kind: 'SESSION_REMINDER', email: false, push: false });
});

test('push subscriptions: only https endpoints of allowed push services, valid keys; remove; the public key is published', async () => {
  const pk = await t.gql(`{ webPushPublicKey }`);
  expect(pk.data.webPushPublicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
  const R = `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { registered userErrors { code field } } }`;
  const k = browserKeys();
  const keys = { p256dh: k.p256dh, auth: k.auth };
  for (const endpoint of ['http://push.example.test/x', 'https://intranet.example.test/x', 'https://169.254.169.254/latest', 'not a url', 'https://user:pw@push.example.test/x']) {
    const r = await t.gql(R, { i: { endpoint, keys } }, { token: w.carerB.token });
    expect(r.data.registerPushSubscription.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'endpoint'] }]);
  }
  const badKeys = await t.gql(R, { i: { endpoint: 'https://push.example.test/ok', keys: { p256dh: 'AAAA', auth: 'short' } } }, { token: w.carerB.token });
  expect(badKeys.data.registerPushSubscription.userErrors.map((e: any) => e.field.join('.'))).toEqual(['input.keys.p256dh', 'input.keys.auth']);
  expect(await rows(t.service.app, `select 1 from push_subscription`)).toHaveLength(0);
  const ok = await t.gql(R, { i: { endpoint: 'https://fcm.push.example.test/send/abc', keys } }, { token: w.carerB.token });
  expect(ok.data.registerPushSubscription).toEqual({ registered: true, userErrors: [] });
  // The same browser registered by another login moves to that login.
  await t.gql(R, { i: { endpoint: 'https://fcm.push.example.test/send/abc', keys } }, { token: w.carerA.token });
  expect(await rows(t.service.app, `select user_id from push_subscription`)).toEqual([{ user_id: w.carerA.userId }]);
  const X = `mutation($i: RemovePushSubscriptionInput!) { removePushSubscription(input: $i) { removed userErrors { code } } }`;
  expect((await t.gql(X, { i: { endpoint: 'https://fcm.push.example.test/send/abc' } }, { token: w.carerB.token })).data.removePushSubscription.removed).toBe(false);
  expect((await t.gql(X, { i: { endpoint: 'https://fcm.push.example.test/send/abc' } }, { token: w.carerA.token })).data.removePushSubscription.removed).toBe(true);
  // The audit trail names the action, never the endpoint or keys.
  const audit = await rows(t.service.app, `select summary::text as s from audit_event where action = 'Notification.registerPush'`);
  expect(audit.length).toBeGreaterThan(0);
  expect(audit.every((a: any) => !a.s.includes('push.example.test') && !a.s.includes(k.auth))).toBe(true);
});
