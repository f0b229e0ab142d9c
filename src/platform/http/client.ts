import crypto from 'node:crypto';
import type http from 'node:http';

/**
 * The value a forwarding header holds `hops` proxies from the right. Each trusted proxy appends
 * what it saw, so the entries left of that are the client's own writing and are never believed.
 * With fewer entries than hops the request did not come through every proxy: the leftmost is the
 * best there is.
 */
function forwarded(req: http.IncomingMessage, name: string, hops: number): string | undefined {
  if (hops <= 0) return undefined;
  const raw = req.headers[name];
  const list = (Array.isArray(raw) ? raw.join(',') : (raw ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) return undefined;
  return list[Math.max(0, list.length - hops)];
}

/** The client's address: the socket's peer, or with TRUST_PROXY=n the X-Forwarded-For entry n hops from the right. */
export function clientAddress(req: http.IncomingMessage, trustedHops: number): string | null {
  const hop = forwarded(req, 'x-forwarded-for', trustedHops);
  if (hop && /^[0-9A-Fa-f.:]{2,45}$/.test(hop)) return hop;
  return req.socket.remoteAddress ?? null;
}

/** scheme://host of a request, behind trusted proxies too; PUBLIC_URL takes precedence where it is set. */
export function requestOrigin(req: http.IncomingMessage, trustedHops: number): string | null {
  const host = forwarded(req, 'x-forwarded-host', trustedHops) || req.headers.host;
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return null;
  return `${forwarded(req, 'x-forwarded-proto', trustedHops) === 'https' ? 'https' : 'http'}://${host}`;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The request id the audit trail records. A client must not choose it: a header the client wrote
 * is only kept for the logs (clientRequestId). Behind trusted proxies (TRUST_PROXY ≥ 1), whose
 * edge sets or replaces X-Request-Id, a well-formed one is the request id, so one id follows the
 * request through the proxy's logs and ours; otherwise the id is this service's own.
 */
export function requestIds(req: http.IncomingMessage, trustedHops: number): { requestId: string; clientRequestId: string | undefined } {
  const sent = req.headers['x-request-id'];
  const wellFormed = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : undefined;
  if (wellFormed && trustedHops > 0) return { requestId: wellFormed, clientRequestId: undefined };
  return { requestId: crypto.randomUUID(), clientRequestId: wellFormed ?? (typeof sent === 'string' ? sent.slice(0, 64) : undefined) };
}

/** The token of an `Authorization: Bearer <token>` header; null for none or another scheme. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : null;
}
