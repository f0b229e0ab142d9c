import autocannon from 'autocannon';
import { Pool } from 'undici';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

export interface Request {
  body: string;
  headers: Record<string, string>;
}

/** Closed loop: `connections` clients each sending the next request when the last one answered. */
export async function closedLoop(url: string, connections: number, seconds: number, next: () => Request): Promise<LoadResult> {
  const first = next();
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: first.headers,
    body: first.body,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const r = next();
          return { ...req, method: 'POST', headers: r.headers, body: r.body };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    requests: result.requests.total,
  };
}

/**
 * Open loop: requests are sent on a fixed schedule whatever the answers, and each latency is
 * measured from when the request was due, so a stalled server cannot hide its queue
 * (no coordinated omission).
 */
export async function openLoop(url: string, rate: number, seconds: number, next: () => Request): Promise<LoadResult & { dropped: number }> {
  const u = new URL(url);
  const pool = new Pool(u.origin, { connections: 256, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let dropped = 0;
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = next();
    pending.push(
      pool
        .request({ path: u.pathname, method: 'POST', headers: r.headers, body: r.body, headersTimeout: 10_000, bodyTimeout: 10_000 })
        .then(async (res) => {
          const text = await res.body.text();
          if (res.statusCode !== 200 || text.includes('"errors"')) errors++;
          latencies.push(performance.now() - due);
        })
        .catch(() => {
          dropped++;
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Infinity;
  // A request that never answered (10 s) counts as an error: the rate was not sustained.
  return { rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), errors: errors + dropped, requests: latencies.length, dropped };
}

/** A GraphQL request as the apps send it, with a bearer token. */
export const graphqlRequest = (token: string, query: string, variables: Record<string, unknown>): Request => ({
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ query, variables }),
});

/** Sends one request, checks it answered without errors, and returns the statements it took (NaN when not reported). */
export async function probe(url: string, r: Request, allowUserErrors = false): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: r.headers, body: r.body });
  const body = await res.text();
  if (res.status !== 200 || (!allowUserErrors && body.includes('"errors"'))) throw new Error(`request failed (${res.status}): ${body.slice(0, 500)}`);
  return Number(res.headers.get('x-sql-statements') ?? NaN);
}
