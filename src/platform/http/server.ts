import crypto from 'node:crypto';
import http from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Repeater } from '@graphql-yoga/subscription';
import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from '../../auth/tokens';
import { loadViewer, type Viewer } from '../../auth/viewer';
import type { App } from '../app';
import { Ctx, eventContextOf, subscriberContext } from '../context';
import { countStatements, currentStatementCount, installStatementCounter } from '../db/statement-counter';

/** Codes a client may see as they are; anything else is masked with the request id. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
const MAX_BODY_BYTES = 1_000_000;

/** Deactivations are broadcast so every replica closes the user's sockets, not only the one that handled it. */
const USER_DEACTIVATED_TOPIC = 'hubnet:userDeactivated';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, app: App) => Promise<boolean>;

export interface HttpServer {
  server: http.Server;
  url: string;
  stop(): Promise<void>;
}

/** Masks the unexpected: message replaced, code INTERNAL_SERVER_ERROR; the request id is added later. */
function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  if (code && CLIENT_CODES.has(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

function requestPlugin(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const err of errors) {
            const code = err.extensions?.code as string | undefined;
            if (code && CLIENT_CODES.has(code)) continue;
            contextValue.log.error({ err: err.originalError ?? err, path: err.path }, 'unexpected error');
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}

/**
 * graphql-js executes every event of a subscription with the one context made when it started;
 * here each event gets its own (DESIGN.md: a subscription forks per event) — the one the
 * subscription's source bound to the event, or a fresh one — so no entity or DataLoader result
 * outlives its event, and a subscriber who has been deactivated gets nothing more.
 */
async function subscribeWithContextPerEvent(app: App, args: ExecutionArgs) {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const userId = (args.contextValue as Ctx).viewer?.userId;
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const events = stream[Symbol.asyncIterator]();
    stop.then(() => events.return?.());
    for (;;) {
      const next = await events.next();
      if (next.done || !userId) break;
      const ctx = eventContextOf(next.value) ?? (await subscriberContext(app, userId));
      if (!ctx.viewer) break;
      await push(await execute({ ...args, rootValue: next.value, contextValue: ctx }));
    }
    stop();
  });
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function authenticate(app: App, em: Ctx['em'], authorization: string | null | undefined): Promise<Viewer | null | 'invalid'> {
  const token = bearerToken(authorization);
  if (!token) return authorization ? 'invalid' : null;
  const userId = await app.tokens.verify(token);
  if (!userId) return 'invalid';
  const viewer = await loadViewer(em, userId);
  return viewer ?? 'invalid';
}

export async function startHttpServer(app: App, schema: GraphQLSchema, routes: RouteHandler[] = []): Promise<HttpServer> {
  installStatementCounter();
  const httpServer = http.createServer();
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const sockets = new Map<string, Set<{ close(code: number, reason: string): void }>>();

  const wsCleanup = useServer<Record<string, unknown>, { userId?: string; viewer?: Viewer }>(
    {
      schema,
      subscribe: (args) => subscribeWithContextPerEvent(app, args),
      async onConnect(ctx) {
        const em = app.orm.em.fork();
        const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const viewer = await authenticate(app, em as any, typeof auth === 'string' ? auth : null);
        if (!viewer || viewer === 'invalid') return false;
        ctx.extra.userId = viewer.userId;
        let set = sockets.get(viewer.userId);
        if (!set) sockets.set(viewer.userId, (set = new Set()));
        set.add(ctx.extra.socket);
        ctx.extra.socket.once('close', () => set!.delete(ctx.extra.socket));
        return true;
      },
      // The operation's context carries only who subscribed; each event builds its own Ctx.
      context: async (ctx) => {
        const em = app.orm.em.fork();
        const viewer = await loadViewer(em as any, ctx.extra.userId!);
        const requestId = crypto.randomUUID();
        return new Ctx(app, em as any, viewer, requestId, app.log.child({ requestId }));
      },
    },
    wsServer,
  );
  const closeSockets = (userId: string) => {
    for (const s of sockets.get(userId) ?? []) s.close(4403, 'Forbidden');
    sockets.delete(userId);
  };
  app.onUserDeactivated.add((userId) => {
    closeSockets(userId);
    app.pubsub.publish(USER_DEACTIVATED_TOPIC, userId);
  });
  const deactivations = app.pubsub.subscribe(USER_DEACTIVATED_TOPIC);
  void (async () => {
    for await (const userId of deactivations) if (typeof userId === 'string') closeSockets(userId);
  })().catch((err) => app.log.error({ err }, 'deactivation broadcast stopped'));

  const apollo = new ApolloServer<Ctx>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    introspection: !app.config.production,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await deactivations.return?.();
              await wsCleanup.dispose();
            },
          };
        },
      },
      requestPlugin(),
      ...(app.config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();

  httpServer.on('request', (req, res) => {
    const { result } = countStatements(() => handle(req, res));
    result.catch((err) => {
      app.log.error({ err }, 'request failed');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (url.pathname === '/readyz') {
      const ok = await app.orm.isConnected().catch(() => false);
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'not ready' }));
      return;
    }
    for (const route of routes) if (await route(req, res, app)) return;
    if (url.pathname !== '/graphql') {
      res.writeHead(404).end();
      return;
    }
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || crypto.randomUUID();
    const log = app.log.child({ requestId });
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (body === null) {
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Request body too large","extensions":{"code":"BAD_REQUEST"}}]}');
      return;
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    let parsedBody: unknown = undefined;
    if (body) {
      try {
        parsedBody = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Body is not JSON","extensions":{"code":"BAD_REQUEST"}}]}');
        return;
      }
    }
    const started = process.hrtime.bigint();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsedBody },
      context: async () => {
        const em = app.orm.em.fork();
        const auth = await authenticate(app, em as any, req.headers.authorization);
        if (auth === 'invalid') {
          // A token that is bad, expired, or of a deactivated user: refuse the whole request.
          const { GraphQLError } = await import('graphql');
          throw new GraphQLError('Your session has ended; log in again.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        const idem = req.headers['idempotency-key'];
        return new Ctx(app, em as any, auth, requestId, log, typeof idem === 'string' && idem ? idem : null, req.socket.remoteAddress ?? null);
      },
    });
    const outHeaders: Record<string, string> = { 'x-request-id': requestId };
    // Statements per request are held to the query's shape by tests and benchmarks.
    if (!app.config.production) outHeaders['x-sql-statements'] = String(currentStatementCount() ?? 0);
    for (const [k, v] of response.headers) outHeaders[k] = v;
    res.writeHead(response.status ?? 200, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    log.info({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.status ?? 200 }, 'graphql');
  }

  await new Promise<void>((resolve) => httpServer.listen(app.config.port, resolve));
  const addr = httpServer.address() as { port: number };
  return {
    server: httpServer,
    url: `http://localhost:${addr.port}/graphql`,
    async stop() {
      await apollo.stop();
    },
  };
}
