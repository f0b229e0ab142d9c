import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface PushResult {
  /** Endpoints the push service accepted the message for. */
  delivered: string[];
  /** Endpoints the push service says are gone (404/410): the subscription is to be removed. */
  gone: string[];
  /** Other failures, worth another attempt. */
  failed: { endpoint: string; error: string }[];
}

export interface PushChannel {
  publicKey: string;
  send(targets: PushTarget[], payload: object, opts: { urgency: 'high' | 'normal'; topic: string }): Promise<PushResult>;
}

/**
 * Web Push (RFC 8030/8291/8292) with VAPID: the web-push package encrypts the payload (aes128gcm)
 * and signs the VAPID JWT; the request itself goes out with fetch and a timeout. Endpoints were
 * checked against the allowed push services when they were registered.
 */
export function webPushChannel(keys: VapidKeys): PushChannel {
  const vapidDetails = { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey };
  return {
    publicKey: keys.publicKey,
    async send(targets, payload, opts) {
      const body = JSON.stringify(payload);
      const result: PushResult = { delivered: [], gone: [], failed: [] };
      await Promise.all(
        targets.map(async (t) => {
          try {
            const req = webpush.generateRequestDetails({ endpoint: t.endpoint, keys: { p256dh: t.p256dh, auth: t.auth } }, body, {
              vapidDetails,
              // A reminder a day late is worse than none.
              TTL: 24 * 3600,
              urgency: opts.urgency,
              topic: opts.topic,
            });
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = String(v);
            const res = await fetch(req.endpoint, { method: req.method, headers, body: req.body ?? undefined, signal: AbortSignal.timeout(10_000), redirect: 'error' });
            await res.arrayBuffer().catch(() => undefined);
            if (res.status >= 200 && res.status < 300) result.delivered.push(t.endpoint);
            else if (res.status === 404 || res.status === 410) result.gone.push(t.endpoint);
            else result.failed.push({ endpoint: t.endpoint, error: `push service answered ${res.status}` });
          } catch (err) {
            result.failed.push({ endpoint: t.endpoint, error: describe(err) });
          }
        }),
      );
      return result;
    },
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * VAPID keys from VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY; for the embedded default (no DATABASE_URL)
 * a key pair generated once and kept in the data directory, like the JWT secret, so browsers'
 * subscriptions survive a restart. With a real database and no keys configured, push is off:
 * replicas generating their own keys would each reject the others' subscriptions.
 */
export function resolveVapidKeys(opts: { publicKey?: string; privateKey?: string; subject?: string; dataDir: string; embedded: boolean; from: string }): VapidKeys | null {
  const subject = opts.subject || `mailto:${addressOf(opts.from)}`;
  if (opts.publicKey && opts.privateKey) return { publicKey: opts.publicKey, privateKey: opts.privateKey, subject };
  if (!opts.embedded) return null;
  if (opts.dataDir === 'memory') return { ...webpush.generateVAPIDKeys(), subject };
  const file = path.join(opts.dataDir, 'vapid-keys.json');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys()), { mode: 0o600 });
  const k = JSON.parse(fs.readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
  return { publicKey: k.publicKey, privateKey: k.privateKey, subject };
}

function addressOf(from: string): string {
  const m = /<([^>]+)>/.exec(from);
  return (m ? m[1] : from).trim();
}

/** A topic (RFC 8030: at most 32 URL-safe base64 characters) stable per delivery batch. */
export function pushTopic(batchId: string): string {
  return crypto.createHash('sha256').update(batchId).digest('base64url').slice(0, 32);
}
