import { NotificationKind } from '../../src/notifications/kinds';
import { notify } from '../../src/notifications/notify';
import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { browserKeys, decryptPush, notifyCommitted, rows, simple, sleep, startPushService, startSmtp, until, vapidEnv } from './support';

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let push: Awaited<ReturnType<typeof startPushService>>;
const vapid = vapidEnv();
const email = async (userId: string) => (await rows(t.service.app, `select email from app_user where id = $1`, [userId]))[0].email as string;

beforeAll(async () => {
  smtp = await startSmtp();
  push = await startPushService();
  t = await startTestApp({
    HUBNET_WORKER: '1',
    SMTP_URL: smtp.url,
    NOTIFY_FROM: 'Hubnet Riverside <notify@hubnet.test>',
    NOTIFY_POLL_SECONDS: '0.5',
    NOTIFY_RETRY_DELAY_SECONDS: '1',
    NOTIFY_MAX_ATTEMPTS: '5',
    PUSH_ENDPOINT_HOSTS: '127.0.0.1',
    ...vapid,
  });
  w = await t.fx.world();
});
afterAll(async () => {
  await t.stop();
  await smtp.close();
  await push.close();
});

const REGISTER = `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { registered userErrors { code field message } } }`;
const PREFS = `mutation($i: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { preferences { kinds { kind email push } } userErrors { code field } } }`;
const MINE = `query { me { unreadNotificationCount notifications(first: 50) { edges { node { id kind title body read deliveries { channel status attempts deliveredAt } } } } } }`;

test('an emergency reaches the hub carer by real SMTP at once: text and HTML, subject is the title; latency measured', async () => {
  const to = await email(w.hubCarer.userId!);
  const latencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const before = smtp.to(to).length;
    const { committedAt } = await notifyCommitted(t.service.app, {
      kind: NotificationKind.EMERGENCY_SLEEPOVER_REQUESTED,
      recipients: [w.hubCarer.userId!],
      subject: { type: 'Household', id: w.satA },
      render: simple(`Emergency sleepover request ${i}`, 'Alder House asks for 1 bed tonight.'),
    });
    const mail = await until(() => smtp.to(to).length > before && smtp.to(to)[before], 10_000, 'the email');
    latencies.push(mail.at - committedAt);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  // Printed for the record: commit → SMTP server received, with the worker in the same process.
  console.log(`emergency email latency commit→SMTP (ms): median ${sorted[5]}, max ${sorted[9]}, all ${latencies.join(', ')}`);
  const m = smtp.to(to)[smtp.to(to).length - 1];
  expect(m.from).toBe('notify@hubnet.test');
  expect(m.subject).toBe('Emergency sleepover request 9');
  expect(m.raw).toMatch(/Content-Type: text\/plain/i);
  expect(m.raw).toMatch(/Content-Type: text\/html/i);
  expect(m.decoded).toContain('Alder House asks for 1 bed tonight.');
  expect(m.messageId).toMatch(/^<[0-9a-f-]{36}@hubnet\.test>$/);
  const api = await t.gql(MINE, {}, { token: w.hubCarer.token });
  const node = api.data.me.notifications.edges[0].node;
  expect(node.title).toBe('Emergency sleepover request 9');
  expect(node.kind).toBe('EMERGENCY_SLEEPOVER_REQUESTED');
  expect(node.deliveries).toEqual([{ channel: 'EMAIL', status: 'SENT', attempts: 1, deliveredAt: expect.any(String) }]);
  expect(api.data.me.unreadNotificationCount).toBe(10);
});

test('web push: a real encrypted request with a VAPID Authorization header reaches the browser endpoint', async () => {
  const keys = browserKeys();
  const endpoint = `${push.base}/push/liaison-browser`;
  const reg = await t.gql(REGISTER, { i: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } } }, { token: w.liaison.token });
  expect(reg.data.registerPushSubscription).toEqual({ registered: true, userErrors: [] });
  const before = push.requests.length;
  const { ids } = await notifyCommitted(t.service.app, {
    kind: NotificationKind.EMERGENCY_SLEEPOVER_REQUESTED,
    recipients: [w.liaison.id],
    subject: null,
    render: simple('Emergency sleepover request', 'Alder House asks for 1 bed tonight at Riverside.'),
  });
  const req = await until(() => push.requests.slice(before).find((r) => r.path === '/push/liaison-browser'), 10_000, 'the push request');
  expect(req.headers['content-encoding']).toBe('aes128gcm');
  expect(req.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.VAPID_PUBLIC_KEY}$`));
  expect(req.headers.urgency).toBe('high');
  expect(Number(req.headers.ttl)).toBeGreaterThan(0);
  const payload = JSON.parse(decryptPush(req.body, keys));
  expect(payload).toEqual({
    title: 'Emergency sleepover request',
    body: 'Alder House asks for 1 bed tonight at Riverside.',
    kind: 'EMERGENCY_SLEEPOVER_REQUESTED',
    notificationIds: [gid('Notification', ids[0])],
  });
  await until(async () => (await rows(t.service.app, `select status from notification_delivery where notification_id = $1 and channel = 'PUSH'`, [ids[0]]))[0].status === 'SENT');
  // The email went too, separately.
  await until(async () => (await rows(t.service.app, `select status from notification_delivery where notification_id = $1 and channel = 'EMAIL'`, [ids[0]]))[0].status === 'SENT');
});

test('a subscription the push service says is gone (410) is removed; the delivery is skipped, not retried', async () => {
  const keys = browserKeys();
  const endpoint = `${push.base}/push/gone`;
  push.answer('/push/gone', 410);
  await t.gql(REGISTER, { i: { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } } }, { token: w.carerA.token });
  const { ids } = await notifyCommitted(t.service.app, {
    kind: NotificationKind.SLEEPOVER_CONFIRMED,
    recipients: [w.carerA.userId!],
    render: simple('Sleepover confirmed'),
  });
  const d = await until(async () => {
    const [r] = await rows(t.service.app, `select status, attempts, last_error from notification_delivery where notification_id = $1 and channel = 'PUSH'`, [ids[0]]);
    return r.status === 'SKIPPED' && r;
  });
  expect(d).toMatchObject({ attempts: 1, last_error: 'push subscriptions expired' });
  expect(await rows(t.service.app, `select 1 from push_subscription where endpoint = $1`, [endpoint])).toHaveLength(0);
});

test('a rolled-back change writes no notification, queues no job and sends nothing', async () => {
  const to = await email(w.carerB.userId!);
  const app = t.service.app;
  const em = app.orm.em.fork();
  await expect(
    em.transactional(async (tx) => {
      await notify({ em: tx }, { kind: NotificationKind.SLEEPOVER_DECLINED, recipients: [w.carerB.userId!], render: simple('Sleepover declined') });
      const seen = await tx.execute(`select count(*)::int as n from notification where recipient_id = ?`, [w.carerB.userId!]);
      expect(seen[0].n).toBe(1);
      throw new Error('the change failed');
    }),
  ).rejects.toThrow('the change failed');
  expect(await rows(app, `select 1 from notification where recipient_id = $1`, [w.carerB.userId!])).toHaveLength(0);
  expect(await rows(app, `select 1 from notification_delivery where recipient_id = $1`, [w.carerB.userId!])).toHaveLength(0);
  await sleep(1500);
  expect(smtp.to(to)).toHaveLength(0);
});

test('preferences: email off for a kind sends no email of that kind, yet the notification is readable', async () => {
  const to = await email(w.carerB.userId!);
  const off = await t.gql(PREFS, { i: { preferences: [{ kind: 'SLEEPOVER_CONFIRMED', email: false }] } }, { token: w.carerB.token });
  expect(off.data.updateNotificationPreferences.userErrors).toEqual([]);
  const kinds = off.data.updateNotificationPreferences.preferences.kinds;
  expect(kinds.find((k: any) => k.kind === 'SLEEPOVER_CONFIRMED')).toEqual({ kind: 'SLEEPOVER_CONFIRMED', email: false, push: true });
  expect(kinds.find((k: any) => k.kind === 'SLEEPOVER_DECLINED')).toEqual({ kind: 'SLEEPOVER_DECLINED', email: true, push: true });
  await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_CONFIRMED, recipients: [w.carerB.userId!], render: simple('Sleepover confirmed for Birch House') });
  await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_DECLINED, recipients: [w.carerB.userId!], render: simple('Sleepover declined for Birch House') });
  await until(() => smtp.to(to).length === 1, 10_000, 'the declined email');
  await sleep(1000);
  expect(smtp.to(to).map((m) => m.subject)).toEqual(['Sleepover declined for Birch House']);
  const api = await t.gql(MINE, {}, { token: w.carerB.token });
  const nodes = api.data.me.notifications.edges.map((e: any) => e.node);
  expect(nodes.map((n: any) => n.title)).toEqual(['Sleepover declined for Birch House', 'Sleepover confirmed for Birch House']);
  expect(nodes[1].deliveries).toEqual([]);
});

test('planned requests within the window go out as one email per recipient', async () => {
  const to = await email(w.hubCarer.userId!);
  const before = smtp.to(to).length;
  const deliverAt = new Date(Date.now() + 2500);
  for (const household of ['Alder House', 'Birch House', 'Cedar House']) {
    await notifyCommitted(t.service.app, {
      kind: NotificationKind.SLEEPOVER_REQUESTED,
      recipients: [w.hubCarer.userId!, w.liaison.id],
      subject: { type: 'Constellation', id: w.k },
      render: simple(`Sleepover request from ${household}`, `${household} asks for 2 nights.`),
      deliverAt,
      batchKey: `constellation:${w.k}`,
    });
  }
  await sleep(1000);
  expect(smtp.to(to).length).toBe(before);
  const mail = await until(() => smtp.to(to).length > before && smtp.to(to)[before], 15_000, 'the batched email');
  expect(mail.at).toBeGreaterThanOrEqual(deliverAt.getTime() - 50);
  expect(mail.subject).toBe('3 new sleepover requests');
  for (const h of ['Alder House', 'Birch House', 'Cedar House']) expect(mail.decoded).toContain(`${h} asks for 2 nights.`);
  await sleep(1500);
  expect(smtp.to(to).length).toBe(before + 1);
  const batches = await rows(
    t.service.app,
    `select d.recipient_id, d.channel, count(distinct d.batch_id)::int as batches, count(*)::int as n, bool_and(d.status = 'SENT') as sent
       from notification_delivery d join notification n on n.id = d.notification_id
      where n.kind = 'SLEEPOVER_REQUESTED' group by d.recipient_id, d.channel order by d.channel`,
  );
  // Per recipient and channel: three notifications, one batch, all sent (the liaison also by push).
  expect(batches.every((b: any) => b.batches === 1 && b.n === 3 && b.sent)).toBe(true);
  expect(batches.map((b: any) => b.channel).sort()).toEqual(['EMAIL', 'EMAIL', 'PUSH']);
});

test('deactivating a user removes their push subscriptions and skips what is still queued for them', async () => {
  const keys = browserKeys();
  await t.gql(REGISTER, { i: { endpoint: `${push.base}/push/ssw`, keys: { p256dh: keys.p256dh, auth: keys.auth } } }, { token: w.ssw.token });
  const { ids } = await notifyCommitted(t.service.app, {
    kind: NotificationKind.SESSION_SCHEDULED,
    recipients: [w.ssw.id],
    render: simple('New session'),
    deliverAt: new Date(Date.now() + 60_000),
  });
  const r = await t.gql(`mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { userErrors { code } } }`, { i: { userId: gid('User', w.ssw.id) } }, { token: w.admin.token });
  expect(r.data.deactivateUser.userErrors).toEqual([]);
  expect(await rows(t.service.app, `select 1 from push_subscription where user_id = $1`, [w.ssw.id])).toHaveLength(0);
  const d = await rows(t.service.app, `select channel, status, last_error from notification_delivery where notification_id = $1 order by channel`, [ids[0]]);
  expect(d).toEqual([
    { channel: 'EMAIL', status: 'SKIPPED', last_error: 'recipient deactivated' },
    { channel: 'PUSH', status: 'SKIPPED', last_error: 'recipient deactivated' },
  ]);
  // And a deactivated user is not notified at all.
  expect((await notifyCommitted(t.service.app, { kind: NotificationKind.SESSION_SCHEDULED, recipients: [w.ssw.id], render: simple('x') })).ids).toEqual([]);
});

test('a failing SMTP server: retried with growing backoff, DEAD after 5 attempts, visible in the API; push still delivered', async () => {
  const keys = browserKeys();
  await t.gql(REGISTER, { i: { endpoint: `${push.base}/push/manager`, keys: { p256dh: keys.p256dh, auth: keys.auth } } }, { token: w.manager.token });
  const to = await email(w.manager.id);
  smtp.fail(451, 'Try again later');
  const attemptsBefore = smtp.attempts.length;
  const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.REQUESTS_DIGEST, recipients: [w.manager.id], render: simple('Requests waiting') });
  await until(() => push.requests.some((r) => r.path === '/push/manager'), 10_000, 'the push');
  const dead = await until(
    async () => {
      const [d] = await rows(t.service.app, `select status, attempts, last_error from notification_delivery where notification_id = $1 and channel = 'EMAIL'`, [ids[0]]);
      return d.status === 'DEAD' && d;
    },
    80_000,
    'the delivery to die',
  );
  expect(dead.attempts).toBe(5);
  expect(dead.last_error).toMatch(/451/);
  const tries = smtp.attempts.slice(attemptsBefore);
  expect(tries).toHaveLength(5);
  const gaps = tries.slice(1).map((x, i) => x - tries[i]);
  // Exponential backoff (1 s base, with jitter): the last wait is well over the first.
  expect(gaps[3]).toBeGreaterThan(gaps[0] * 2);
  expect(smtp.to(to)).toHaveLength(0);
  // pg-boss dead-lettered the job too.
  await until(
    async () =>
      (
        await rows(
          t.service.app,
          `select 1 from pgboss.job where name = 'hubnet-notification-dead' and data->>'batchId' = (select batch_id::text from notification_delivery where notification_id = $1 and channel = 'EMAIL')`,
          [ids[0]],
        )
      ).length === 1,
    10_000,
    'the dead-letter job',
  );
  const api = await t.gql(MINE, {}, { token: w.manager.token });
  expect(api.data.me.notifications.edges[0].node.deliveries).toEqual([
    { channel: 'EMAIL', status: 'DEAD', attempts: 5, deliveredAt: null },
    { channel: 'PUSH', status: 'SENT', attempts: 1, deliveredAt: expect.any(String) },
  ]);
  smtp.recover();
}, 120_000);
