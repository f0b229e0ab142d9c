import WebSocket from 'ws';

/**
 * The graphql-transport-ws protocol spoken by hand, so a test sees exactly what the server sends:
 * each message, the close code and reason.
 */
export interface RawSocket {
  ws: WebSocket;
  /** Resolves with the close code and reason once the server (or the test) closes the socket. */
  closed: Promise<{ code: number; reason: string }>;
  messages: any[];
  /** Sends a subscribe message and resolves with the first next/error for it, or the close. */
  run(query: string, variables?: Record<string, unknown>): Promise<{ type: 'next' | 'error' | 'closed'; payload: any }>;
  close(): void;
}

let ids = 0;

export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/** Opens a socket and, with `init`, sends connection_init with the token; resolves when acknowledged or closed. */
export async function openSocket(httpUrl: string, token: string | null, opts: { init?: boolean } = {}): Promise<RawSocket & { acked: boolean }> {
  const ws = new WebSocket(wsUrl(httpUrl), 'graphql-transport-ws');
  const messages: any[] = [];
  const waiters = new Set<() => void>();
  let closeInfo: { code: number; reason: string } | null = null;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => {
      closeInfo = { code, reason: reason.toString() };
      resolve(closeInfo);
      for (const w of waiters) w();
    });
  });
  ws.on('error', () => undefined);
  ws.on('message', (data) => {
    messages.push(JSON.parse((data as Buffer).toString('utf8')));
    for (const w of waiters) w();
  });
  const until = (pred: () => boolean, ms = 5000) =>
    new Promise<void>((resolve) => {
      if (pred()) return resolve();
      const done = () => {
        if (pred() || closeInfo) {
          waiters.delete(done);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(done);
        resolve();
      }, ms);
      waiters.add(done);
    });
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  let acked = false;
  if (opts.init !== false && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
    await until(() => messages.some((m) => m.type === 'connection_ack'));
    acked = messages.some((m) => m.type === 'connection_ack');
  }
  return {
    ws,
    closed,
    messages,
    acked,
    async run(query, variables = {}) {
      const id = String(++ids);
      if (ws.readyState !== WebSocket.OPEN) return { type: 'closed', payload: closeInfo };
      ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
      const mine = () => messages.find((m) => m.id === id && (m.type === 'next' || m.type === 'error'));
      await until(() => !!mine());
      const m = mine();
      return m ? { type: m.type, payload: m.payload } : { type: 'closed', payload: closeInfo };
    },
    close() {
      ws.close();
    },
  };
}

/** Errors of a run's answer, whichever way they came (an error message, or errors in a next). */
export function errorsOf(r: { type: string; payload: any }): { message: string; extensions?: Record<string, unknown> }[] {
  if (r.type === 'error') return r.payload;
  if (r.type === 'next') return r.payload.errors ?? [];
  return [];
}
