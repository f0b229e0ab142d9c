import { NotificationKind } from '../../src/notifications/kinds';
import { deliverBatch, INTERRUPTED, markBatchDead } from '../../src/notifications/delivery';
import { smtpChannel } from '../../src/notifications/channels/email';
import { startNotifications, type NotificationRuntime } from '../../src/notifications/worker';
import { loadConfig } from '../../src/platform/config';
import type { Orm } from '../../src/platform/db/orm';
import { createHubnetOrm } from '../../src/app/orm';
import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';
import { notifyCommitted, rows, simple, sleep, startSmtp, until } from './support';

/**
 * The outbox under failure: the API process here runs no worker (HUBNET_WORKER=0), and the tests
 * start and stop workers as separate runtimes, as `npm run worker` replicas would be. On a real
 * PostgreSQL each worker has its own ORM and pg-boss pool (a separate replica in all but process);
 * on the embedded database they share its one connection.
 */
let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const extraOrms: Orm[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ SMTP_URL: smtp.url });
  w = await t.fx.world();
});
afterAll(async () => {
  await t.stop();
  for (const o of extraOrms) await o.close(true);
  await smtp.close();
});

async function worker(): Promise<NotificationRuntime> {
  const app = t.service.app;
  let orm = app.orm;
  if (!embedded()) {
    orm = await createHubnetOrm({ url: t.db.url, poolMax: 4 });
    extraOrms.push(orm);
  }
  const config = loadConfig({ SMTP_URL: smtp.url, NOTIFY_POLL_SECONDS: '0.5', NOTIFY_RETRY_DELAY_SECONDS: '1', NOTIFY_CONCURRENCY: '4' });
  return startNotifications({ orm, log: app.log, config: config.notifications, vapid: null, databaseUrl: embedded() ? null : t.db.url, work: true, schedule: false });
}

const deliveries = (ids: string[]) => rows(t.service.app, `select status, attempts from notification_delivery where notification_id = any($1::uuid[]) and channel = 'EMAIL'`, [ids]);

test('committed while no worker runs (it crashed after the commit): a worker started later delivers it, once', async () => {
  const to = (await rows(t.service.app, `select email from app_user where id = $1`, [w.hubCarer.userId]))[0].email;
  const { ids } = await notifyCommitted(t.service.app, {
    kind: NotificationKind.EMERGENCY_SLEEPOVER_REQUESTED,
    recipients: [w.hubCarer.userId!],
    render: simple('Emergency sleepover request'),
  });
  expect(await deliveries(ids)).toEqual([{ status: 'PENDING', attempts: 0 }]);
  await sleep(1000);
  expect(smtp.to(to)).toHaveLength(0);

  const first = await worker();
  await until(() => smtp.to(to).length === 1, 15_000, 'the delivery');
  await first.stop();
  // A restart (a new worker, the old job history in place) sends nothing again.
  const second = await worker();
  await sleep(2000);
  await second.stop();
  expect(smtp.to(to)).toHaveLength(1);
  expect(await deliveries(ids)).toEqual([{ status: 'SENT', attempts: 1 }]);
});

test('a worker that died mid-send (row claimed, lease run out) is not sent again: at most once, the row marked INTERRUPTED', async () => {
  const to = (await rows(t.service.app, `select email from app_user where id = $1`, [w.liaison.id]))[0].email;
  const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_CONFIRMED, recipients: [w.liaison.id], render: simple('Sleepover confirmed') });
  // What a worker leaves behind when it dies between its claim and the SMTP answer: the message
  // may already be in the recipient's inbox, so sending it again could make a second one.
  await rows(t.service.app, `update notification_delivery set status = 'SENDING', attempts = 1, locked_until = now() - interval '1 second' where notification_id = $1`, [ids[0]]);
  const [{ batch_id }] = await rows(t.service.app, `select batch_id from notification_delivery where notification_id = $1`, [ids[0]]);
  const runtime = await worker();
  // The restarted worker's job for the batch (pg-boss retries a job whose worker vanished).
  const email = smtpChannel(smtp.url, 'x@hubnet.test');
  const outcome = await deliverBatch(t.service.app.orm, { email, push: null }, batch_id, { maxAttempts: 5, leaseSeconds: 60, messageIdDomain: 'hubnet.test' }, t.service.app.log);
  email.close();
  await sleep(2000);
  await runtime.stop();
  expect(outcome).toEqual({ state: 'interrupted', rows: 1 });
  expect(smtp.to(to)).toHaveLength(0);
  const [d] = await rows(t.service.app, `select status, attempts, last_error from notification_delivery where notification_id = $1`, [ids[0]]);
  expect(d).toEqual({ status: 'INTERRUPTED', attempts: 1, last_error: INTERRUPTED });
  // Still readable in the app.
  const [n] = await rows(t.service.app, `select title from notification where id = $1`, [ids[0]]);
  expect(n.title).toBe('Sleepover confirmed');
});

test('a send that outlives its lease is marked interrupted by the next worker, and SENT when it does finish: one message', async () => {
  const to = (await rows(t.service.app, `select email from app_user where id = $1`, [w.manager.id]))[0].email;
  const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_DECLINED, recipients: [w.manager.id], render: simple('Sleepover declined') });
  const [{ batch_id }] = await rows(t.service.app, `select batch_id from notification_delivery where notification_id = $1`, [ids[0]]);
  const real = smtpChannel(smtp.url, 'x@hubnet.test');
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const slow = {
    send: async (m: any) => {
      await held;
      await real.send(m);
    },
    close: () => real.close(),
  };
  const opts = { maxAttempts: 5, leaseSeconds: 1, messageIdDomain: 'hubnet.test' };
  const first = deliverBatch(t.service.app.orm, { email: slow, push: null }, batch_id, opts, t.service.app.log);
  await until(async () => (await rows(t.service.app, `select status from notification_delivery where notification_id = $1`, [ids[0]]))[0].status === 'SENDING', 5000, 'the claim');
  await sleep(1500);
  const second = await deliverBatch(t.service.app.orm, { email: real, push: null }, batch_id, opts, t.service.app.log);
  expect(second).toEqual({ state: 'interrupted', rows: 1 });
  release();
  expect(await first).toEqual({ state: 'sent', rows: 1 });
  real.close();
  expect(smtp.to(to)).toHaveLength(1);
  const [d] = await rows(t.service.app, `select status, attempts, last_error from notification_delivery where notification_id = $1`, [ids[0]]);
  expect(d).toEqual({ status: 'SENT', attempts: 1, last_error: null });
});

test('a batch pg-boss gave up on: what was waiting is DEAD, a send cut off is INTERRUPTED (it may have left)', async () => {
  const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_DECLINED, recipients: [w.admin.id, w.otherLiaison.id], render: simple('Sleepover declined') });
  const [{ batch_id: first }] = await rows(t.service.app, `select batch_id from notification_delivery where notification_id = $1`, [ids[0]]);
  const [{ batch_id: second }] = await rows(t.service.app, `select batch_id from notification_delivery where notification_id = $1`, [ids[1]]);
  await rows(t.service.app, `update notification_delivery set status = 'SENDING', attempts = 1, locked_until = now() - interval '1 second' where notification_id = $1`, [ids[0]]);
  expect(await markBatchDead(t.service.app.orm, first)).toBe(1);
  expect(await markBatchDead(t.service.app.orm, second)).toBe(1);
  const d = await rows(t.service.app, `select notification_id, status, last_error from notification_delivery where notification_id = any($1::uuid[]) and channel = 'EMAIL'`, [ids]);
  expect(d.find((x: any) => x.notification_id === ids[0])).toMatchObject({ status: 'INTERRUPTED', last_error: INTERRUPTED });
  expect(d.find((x: any) => x.notification_id === ids[1])).toMatchObject({ status: 'DEAD', last_error: 'gave up' });
});

test('a claim still within its lease is not taken over', async () => {
  const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.SLEEPOVER_DECLINED, recipients: [w.carerA.userId!], render: simple('Sleepover declined') });
  await rows(t.service.app, `update notification_delivery set status = 'SENDING', attempts = 1, locked_until = now() + interval '1 hour' where notification_id = $1`, [ids[0]]);
  const [{ batch_id }] = await rows(t.service.app, `select batch_id from notification_delivery where notification_id = $1`, [ids[0]]);
  const email = smtpChannel(smtp.url, 'x@hubnet.test');
  const outcome = await deliverBatch(t.service.app.orm, { email, push: null }, batch_id, { maxAttempts: 5, leaseSeconds: 60, messageIdDomain: 'hubnet.test' }, t.service.app.log);
  email.close();
  expect(outcome).toEqual({ state: 'nothing' });
});

test('two workers racing over one queue deliver each notification exactly once', async () => {
  const recipients = [w.hubCarer.userId!, w.carerA.userId!, w.carerB.userId!, w.loneCarer.userId!, w.liaison.id, w.manager.id, w.admin.id, w.otherLiaison.id];
  const before = smtp.received.length;
  const a = await worker();
  const b = await worker();
  const all: string[] = [];
  // 5 rounds × 8 recipients, committed while both workers poll.
  for (let i = 0; i < 5; i++) {
    const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.SESSION_SCHEDULED, recipients, render: simple(`Session ${i}`) });
    all.push(...ids);
  }
  await until(() => smtp.received.length - before >= all.length, 30_000, 'every email');
  // And the same batches handed to both workers' delivery code at once, as duplicate jobs would be.
  const batches = (await rows(t.service.app, `select batch_id from notification_delivery where notification_id = any($1::uuid[])`, [all])).map((r: any) => r.batch_id);
  const email = smtpChannel(smtp.url, 'x@hubnet.test');
  const outcomes = await Promise.all(
    batches.flatMap((id: string) =>
      [1, 2].map(() => deliverBatch(t.service.app.orm, { email, push: null }, id, { maxAttempts: 5, leaseSeconds: 60, messageIdDomain: 'hubnet.test' }, t.service.app.log)),
    ),
  );
  email.close();
  await sleep(1500);
  await Promise.all([a.stop(), b.stop()]);
  expect(outcomes.every((o) => o.state === 'nothing')).toBe(true);
  const got = smtp.received.slice(before);
  expect(got).toHaveLength(all.length);
  expect(new Set(got.map((m) => m.messageId)).size).toBe(all.length);
  const ds = await deliveries(all);
  expect(ds.every((d: any) => d.status === 'SENT' && d.attempts === 1)).toBe(true);
}, 60_000);

test('racing claims on one batch: of concurrent deliverBatch calls exactly one sends', async () => {
  const { ids } = await notifyCommitted(t.service.app, { kind: NotificationKind.WAITLIST_PROMOTED, recipients: [w.carer2.userId!], render: simple('You have a place') });
  const [{ batch_id }] = await rows(t.service.app, `select batch_id from notification_delivery where notification_id = $1`, [ids[0]]);
  const orms = embedded() ? [t.service.app.orm] : [await createHubnetOrm({ url: t.db.url, poolMax: 2 }), await createHubnetOrm({ url: t.db.url, poolMax: 2 })];
  if (!embedded()) extraOrms.push(...orms);
  const email = smtpChannel(smtp.url, 'x@hubnet.test');
  const outcomes = await Promise.all(
    Array.from({ length: 6 }, (_, i) => deliverBatch(orms[i % orms.length], { email, push: null }, batch_id, { maxAttempts: 5, leaseSeconds: 60, messageIdDomain: 'hubnet.test' }, t.service.app.log)),
  );
  email.close();
  expect(outcomes.filter((o) => o.state === 'sent')).toHaveLength(1);
  expect(outcomes.filter((o) => o.state === 'nothing')).toHaveLength(5);
});
