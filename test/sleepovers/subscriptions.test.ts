import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { startService, type RunningService } from '../../src/app/boot';
import { loadConfig } from '../../src/platform/config';
import { SLEEPOVER_TOPIC } from '../../src/sleepovers/sleepover.events';
import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';
import { day, gid } from '../support/fixtures';
import { ask, decide } from './support';

/**
 * sleepoverChanged over graphql-ws, across two server processes sharing Redis: mutations go to
 * one, subscribers listen on the other. On a real PostgreSQL the second is a real child process
 * (`node src/app/main.ts`); the embedded database has a single connection, so there the second is a
 * second service in this process with its own Redis pub/sub.
 */
jest.setTimeout(120_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = 'test-secret-0123456789'; // the one startTestApp uses, so tokens work on both

let t: TestApp;
let w: Awaited<ReturnType<TestApp['fx']['world']>>;
let otherUrl: string;
let child: ChildProcess | null = null;
let second: RunningService | null = null;
let redis: Redis;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await startTestApp({ REDIS_URL });
  w = await t.fx.world();
  redis = new Redis(REDIS_URL);
  if (embedded()) {
    const config = loadConfig({ ...process.env, PORT: '0', REDIS_URL, JWT_SECRET, HUBNET_DATA_DIR: 'memory', LOG_LEVEL: 'silent', HUBNET_WORKER: '0' });
    second = await startService({ ...config, databaseUrl: t.db.url, skipMigrations: true }, { orm: t.db.orm, singleConnection: true });
    otherUrl = second.url;
  } else {
    const port = await freePort();
    let output = '';
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/app/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: t.db.url, PORT: String(port), REDIS_URL, JWT_SECRET, HUBNET_SKIP_MIGRATIONS: '1', HUBNET_WORKER: '0', LOG_LEVEL: 'warn', NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    otherUrl = `http://127.0.0.1:${port}/graphql`;
    await until(
      () =>
        fetch(otherUrl.replace('/graphql', '/healthz')).then(
          (r) => r.ok,
          () => false,
        ),
      `the second process to listen (output so far: ${output})`,
      90_000,
    );
  }
});

afterAll(async () => {
  redis?.disconnect();
  if (child) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await second?.stop();
  await t.stop();
});

const SUBSCRIPTION = `subscription($k: ID) { sleepoverChanged(constellationId: $k) {
  kind at sleepoverId constellation { name }
  sleepover { id status kind childCount children { firstName sleepoverNotes } household { name } requestedBy { name } notes }
  nights { date bedsBooked bedsFree blocked blockedReason } } }`;

interface Listener {
  events: any[];
  connected: boolean;
  closedWith: number | null;
  client: Client;
}

function listen(url: string, token: string, constellationId: string | null): Listener {
  const l: Listener = { events: [], connected: false, closedWith: null, client: null as unknown as Client };
  l.client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { connected: () => void (l.connected = true), closed: (e) => void (l.closedWith = (e as { code: number }).code) },
  });
  l.client.subscribe(
    { query: SUBSCRIPTION, variables: { k: constellationId } },
    {
      next: (v) => void l.events.push(v.errors ? { errors: v.errors } : v.data!.sleepoverChanged),
      error: (e) => void l.events.push({ error: String((e as { code?: number }).code ?? e) }),
      complete: () => undefined,
    },
  );
  return l;
}

/** Redis subscribes asynchronously: wait until it counts the new listeners before publishing. */
async function subscribedOnRedis(before: number) {
  await until(async () => ((await redis.pubsub('NUMSUB', SLEEPOVER_TOPIC)) as [string, number])[1] > before, 'the Redis subscription');
}
const numsub = async () => ((await redis.pubsub('NUMSUB', SLEEPOVER_TOPIC)) as [string, number])[1];

test('request → confirm → cancel reach subscribers on the other process, each as they may see it', async () => {
  const before = await numsub();
  const hub = listen(otherUrl, w.hubCarer.token!, gid('Constellation', w.k)); // on the other process
  const birch = listen(otherUrl, w.carerB.token!, null); // a satellite carer of another household
  const liaison = listen(t.url, w.liaison.token, null); // on the process that makes the changes
  const hill = listen(otherUrl, w.carer2.token!, null); // another constellation: hears nothing
  await subscribedOnRedis(before);
  await new Promise((r) => setTimeout(r, 300)); // the in-process listener has no Redis count to wait on

  const asked = await ask(t, w.carerA.token, { k: w.k, children: [w.childA], start: day(3), end: day(5), kind: 'EMERGENCY', notes: 'Amy: asthma' });
  const id = asked.sleepover.id;
  await until(() => hub.events.length >= 1 && liaison.events.length >= 1, 'the REQUESTED event');
  // An emergency request reaches the hub at once, with what the hub needs to know.
  expect(hub.events[0]).toMatchObject({
    kind: 'REQUESTED',
    sleepoverId: id,
    constellation: { name: 'Riverside' },
    sleepover: {
      status: 'REQUESTED',
      kind: 'EMERGENCY',
      children: [{ firstName: 'Amy', sleepoverNotes: 'Needs a night light.' }],
      household: { name: 'Alder House' },
      requestedBy: { name: 'Ann Alder' },
      notes: 'Amy: asthma',
    },
    nights: [],
  });

  await decide(t, w.hubCarer.token, 'confirm', id);
  await until(() => hub.events.length >= 2 && birch.events.length >= 1, 'the CONFIRMED event');
  expect(hub.events[1]).toMatchObject({
    kind: 'CONFIRMED',
    sleepover: { status: 'CONFIRMED', children: [{ firstName: 'Amy' }] },
    nights: [
      { date: day(3), bedsBooked: 1, bedsFree: 1, blocked: false },
      { date: day(4), bedsBooked: 1, bedsFree: 1, blocked: false },
    ],
  });
  // Another household's carer sees booked nights only — and never heard of the request.
  expect(birch.events[0]).toMatchObject({
    kind: 'CONFIRMED',
    sleepoverId: id,
    sleepover: { status: 'CONFIRMED', childCount: 1, children: null, household: null, requestedBy: null, notes: null },
    nights: [
      { date: day(3), bedsBooked: 1 },
      { date: day(4), bedsBooked: 1 },
    ],
  });

  await decide(t, w.carerA.token, 'cancel', id, { reason: 'Better now' });
  await until(() => hub.events.length >= 3 && birch.events.length >= 2 && liaison.events.length >= 3, 'the CANCELLED event');
  expect(hub.events.map((e) => e.kind)).toEqual(['REQUESTED', 'CONFIRMED', 'CANCELLED']);
  expect(liaison.events.map((e) => e.kind)).toEqual(['REQUESTED', 'CONFIRMED', 'CANCELLED']);
  expect(hub.events[2]).toMatchObject({
    sleepover: { status: 'CANCELLED' },
    nights: [
      { bedsBooked: 0, bedsFree: 2 },
      { bedsBooked: 0, bedsFree: 2 },
    ],
  });
  expect(birch.events[1]).toMatchObject({ kind: 'CANCELLED', sleepover: null, nights: [{ bedsBooked: 0 }, { bedsBooked: 0 }] });
  expect(birch.events).toHaveLength(2);
  expect(hill.events).toEqual([]);

  // Closed nights: everyone in the constellation hears; only the hub and staff learn why.
  const block = await t.gql(
    `mutation($i: HubNightsInput!) { blockHubNights(input: $i) { userErrors { code } } }`,
    {
      i: { constellationId: gid('Constellation', w.k), from: day(10), to: day(11), reason: 'Hub on holiday' },
    },
    { token: w.hubCarer.token },
  );
  expect(block.data.blockHubNights.userErrors).toEqual([]);
  await until(() => hub.events.length >= 4 && birch.events.length >= 3, 'the NIGHTS_BLOCKED event');
  expect(hub.events[3]).toMatchObject({ kind: 'NIGHTS_BLOCKED', sleepoverId: null, sleepover: null, nights: [{ date: day(10), blocked: true, blockedReason: 'Hub on holiday' }] });
  expect(birch.events[2]).toMatchObject({ kind: 'NIGHTS_BLOCKED', nights: [{ date: day(10), blocked: true, blockedReason: null }] });
  expect(hill.events).toEqual([]);

  for (const l of [hub, birch, liaison, hill]) await l.client.dispose();
  // Ended subscriptions let go of their Redis subscription.
  await until(async () => (await numsub()) === before, 'the Redis subscriptions to end');
});

test('a deactivated user’s subscription is closed, on the other process too', async () => {
  const birch = listen(otherUrl, w.carerB.token!, null);
  await until(() => birch.connected, 'the connection');
  const r = await t.gql(`mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { userErrors { code } } }`, { i: { userId: gid('User', w.carerB.userId!) } }, { token: w.admin.token });
  expect(r.data.deactivateUser.userErrors).toEqual([]);
  await until(() => birch.closedWith !== null, 'the socket to close');
  expect(birch.closedWith).toBe(4403);
  // And it cannot come back.
  const again = listen(otherUrl, w.carerB.token!, null);
  await until(() => again.closedWith !== null, 'the refused connection');
  expect(again.closedWith).toBe(4403);
  await again.client.dispose();
});

test('a subscription needs a valid bearer token in the connection parameters', async () => {
  const anonymous = listen(otherUrl, 'not-a-token', null);
  await until(() => anonymous.closedWith !== null, 'the refused connection');
  // 4401: the token is no good, log in again (4403 is for a user who may not connect at all).
  expect(anonymous.closedWith).toBe(4401);
  await anonymous.client.dispose();
});
