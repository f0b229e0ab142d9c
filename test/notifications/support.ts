import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SMTPServer } from 'smtp-server';
import webpush from 'web-push';
import { notify, type NotifyInput } from '../../src/notifications/notify';
import type { App } from '../../src/platform/app';
import { sql } from '../../src/platform/db/sql';

export interface ReceivedMail {
  at: number;
  from: string;
  to: string[];
  raw: string;
  /** Headers and bodies with quoted-printable soft breaks and escapes undone, for content checks. */
  decoded: string;
  subject: string;
  messageId: string;
}

/** A real SMTP server on 127.0.0.1: receives what nodemailer sends, or refuses it with `failWith`. */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  const attempts: number[] = [];
  let failWith: { code: number; message: string } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // No reverse DNS of 127.0.0.1: the latency measured is the service's, not the test server's.
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        attempts.push(Date.now());
        if (failWith) {
          const err = Object.assign(new Error(failWith.message), { responseCode: failWith.code });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const decoded = decodeQuotedPrintable(raw);
        received.push({
          at: Date.now(),
          from: session.envelope.mailFrom ? (session.envelope.mailFrom as { address: string }).address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          decoded,
          subject: header(raw, 'subject'),
          messageId: header(raw, 'message-id'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as any).server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** Every DATA the server saw, accepted or refused. */
    attempts,
    fail(code: number, message = 'Mailbox temporarily unavailable') {
      failWith = { code, message };
    },
    recover() {
      failWith = null;
    },
    to(address: string) {
      return received.filter((m) => m.to.includes(address));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head);
  return m ? m[1].trim() : '';
}

function decodeQuotedPrintable(s: string): string {
  return s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A browser's push subscription keys, with the private half to decrypt what arrives. */
export function browserKeys() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  return { ecdh, p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url'), authBytes: auth };
}

export interface PushRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

/** A push service on 127.0.0.1: records Web Push requests; answers 201, or per path what it is told. */
export async function startPushService() {
  const requests: PushRequest[] = [];
  const answers = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ path, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() });
      res.writeHead(answers.get(path) ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    answer(path: string, status: number) {
      answers.set(path, status);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decrypts an aes128gcm Web Push body (RFC 8291) with the browser's keys: proves the payload is real. */
export function decryptPush(body: Buffer, keys: ReturnType<typeof browserKeys>): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const ecdhSecret = keys.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.ecdh.getPublicKey(), asPublic]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', ecdhSecret, keys.authBytes, keyInfo, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('not the last record of an aes128gcm message');
  return plain.subarray(0, end).toString('utf8');
}

export function vapidEnv() {
  const k = webpush.generateVAPIDKeys();
  return { VAPID_PUBLIC_KEY: k.publicKey, VAPID_PRIVATE_KEY: k.privateKey, VAPID_SUBJECT: 'mailto:ops@hubnet.test' };
}

/**
 * Runs notify() in a transaction of its own, as a capability's mutation would, and fires its
 * after-commit hooks (waking the worker). Returns the notification ids and the commit instant.
 */
export async function notifyCommitted(app: App, input: NotifyInput): Promise<{ ids: string[]; committedAt: number }> {
  const after: (() => void | Promise<void>)[] = [];
  const em = app.orm.em.fork() as unknown as EntityManager;
  const ids = await em.transactional((t) => notify({ em: t, afterCommit: (f) => after.push(f) }, input));
  const committedAt = Date.now();
  for (const f of after) await f();
  return { ids, committedAt };
}

export async function rows(app: App, text: string, params: unknown[] = []) {
  return sql(app.orm.em.fork() as unknown as EntityManager, text, params);
}

/** Polls until `check` holds (or fails the test after `ms`). */
export async function until<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, ms = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const simple =
  (title: string, text = 'Something happened.') =>
  () => ({ title, text, html: `<p>${text}</p>` });
