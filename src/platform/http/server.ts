import crypto from 'node:crypto';
import http from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Repeater } from '@graphql-yoga/subscription';
import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { bearerToken } from '../../auth/tokens';
import { resolveTrustedDocument, resolveTrustedHttpRequest } from '../../documents/trusted-documents';
import { loadViewer, type Viewer } from '../../auth/viewer';
import type { App } from '../app';
import { Ctx, eventContextOf, subscriberContext } from '../context';
import { conformingStatus, refuseNonJsonPost } from './conformance';
import { armor, isLimitError, noNulLiterals, noNulVariables } from './limits';
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

/**
 * graphql-js quotes a refused variable value in full ("Variable "$i" got invalid value …"): a
 * 100 kB string would come straight back. Long quoted values are cut; the explanation stays.
 */
function shortenMessage(message: string): string {
  const cut = message.replace(/"((?:[^"\\]|\\.){60})(?:[^"\\]|\\.)+"/g, '"$1…"');
  return cut.length > 2000 ? `${cut.slice(0, 2000)}…` : cut;
}

/** Masks the unexpected: message replaced, code INTERNAL_SERVER_ERROR; the request id is added later. */
function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (isLimitError(formatted.message)) {
    return { message: formatted.message.replace(/^Syntax Error: /, ''), extensions: { code: 'QUERY_TOO_COMPLEX' } };
  }
  // graphql-armor re-parses documents to count tokens, so a plain syntax error can arrive labelled
  // as a validation failure; it is a parse failure.
  if (formatted.message.startsWith('Syntax Error:')) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && CLIENT_CODES.has(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, message: shortenMessage(formatted.message), extensions };
  }
  const requestId = formatted.extensions?.requestId;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } };
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

/** scheme://host of a request, behind a proxy too; PUBLIC_URL takes precedence where it is set. */
function requestOrigin(req: http.IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = (name: string) => (trustProxy ? (req.headers[name] as string | undefined)?.split(',')[0].trim() : undefined);
  const host = forwarded('x-forwarded-host') || req.headers.host;
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return null;
  return `${forwarded('x-forwarded-proto') === 'https' ? 'https' : 'http'}://${host}`;
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
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return null;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

export async function authenticate(app: App, em: Ctx['em'], authorization: string | null | undefined): Promise<Viewer | null | 'invalid'> {
  const token = bearerToken(authorization);
  if (!token) return authorization ? 'invalid' : null;
  const userId = await app.tokens.verify(token);
  if (!userId) return 'invalid';
  const viewer = await loadViewer(em, userId);
  return viewer ?? 'invalid';
}

function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string | null {
  const forwarded = trustProxy ? (req.headers['x-forwarded-for'] as string | undefined)?.split(',')[0]?.trim() : undefined;
  return forwarded || req.socket.remoteAddress || null;
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
      // Trusted documents hold here as on HTTP: an operation may be named by id, and with
      // HUBNET_TRUSTED_DOCUMENTS=only nothing unregistered runs.
      onSubscribe: async (_ctx, _id, payload) => (await resolveTrustedDocument(app, payload)) ?? undefined,
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
      // The operation's context carries only who subscribed; each event gets its own Ctx
      // (subscribeWithContextPerEvent above).
      context: (ctx) => subscriberContext(app, ctx.extra.userId!),
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

  const limits = armor(app.config.production);
  const apollo = new ApolloServer<Ctx>({
    schema,
    validationRules: [...limits.validationRules, noNulLiterals],
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Credentials travel only in the Authorization header, which no cross-site simple request can
    // carry, and GET never runs mutations: plain GETs are answered as the specification asks.
    csrfPrevention: false,
    introspection: !app.config.production || app.config.ide,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo installs cache control by default, and it wraps every field's resolver to read
      // cache hints nobody sets here (no CDN caches per-user answers): ~5% of the dashboard's CPU.
      ApolloServerPluginCacheControlDisabled(),
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
      noNulVariables(),
      ...limits.plugins,
      requestPlugin(),
      // Apollo's landing page loads its IDE from a CDN; the IDE is served from here (ide.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  // Requests being answered; shutdown waits for them before the pool closes.
  let inflight = 0;
  let stopping = false;
  httpServer.on('request', (req, res) => {
    if (stopping) {
      res.writeHead(503, { connection: 'close', 'content-type': 'application/json' }).end('{"errors":[{"message":"The service is shutting down","extensions":{"code":"UNAVAILABLE"}}]}');
      return;
    }
    inflight++;
    res.once('close', () => inflight--);
    // Counting runs each request in an AsyncLocalStorage context (a hook on every promise on
    // Node 20), so only when the count is reported.
    const result = app.config.statementHeader ? countStatements(() => handle(req, res)).result : handle(req, res);
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
    if (refuseNonJsonPost(req, res)) return;
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (body === null) {
      // The rest of the body is never read, so this connection cannot carry another request.
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"errors":[{"message":"Request body too large","extensions":{"code":"BAD_REQUEST"}}]}', () => req.socket.destroy());
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
    const trusted = await resolveTrustedHttpRequest(app, req, res, url.search, parsedBody);
    if (!trusted) return;
    const started = process.hrtime.bigint();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: trusted.search, body: trusted.body },
      context: async () => {
        const em = app.orm.em.fork();
        let auth: Awaited<ReturnType<typeof authenticate>>;
        try {
          auth = await authenticate(app, em as any, req.headers.authorization);
        } catch (err) {
          // No context means no request plugin: log here, and give the client the request id.
          log.error({ err }, 'could not build the request context');
          throw new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, http: { status: 503 } } });
        }
        if (auth === 'invalid') {
          // A token that is bad, expired, or of a deactivated user: refuse the whole request.
          throw new GraphQLError('Your session has ended; log in again.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        }
        const idem = req.headers['idempotency-key'];
        return new Ctx(app, em as any, auth, requestId, log, typeof idem === 'string' && idem ? idem : null, clientAddress(req, app.config.trustProxy), requestOrigin(req, app.config.trustProxy));
      },
    });
    // Answers are per user: no shared cache may keep them (Apollo's cache control is off).
    const outHeaders: Record<string, string> = { 'x-request-id': requestId, 'cache-control': 'no-store' };
    // Statements per request are held to the query's shape by tests and benchmarks.
    if (app.config.statementHeader) outHeaders['x-sql-statements'] = String(currentStatementCount() ?? 0);
    for (const [k, v] of response.headers) outHeaders[k] = v;
    const status = conformingStatus(response.status ?? 200, response.headers.get('content-type'), response.body as { kind: string; string?: string });
    res.writeHead(status, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    log.info({ ms: Number(process.hrtime.bigint() - started) / 1e6, status }, 'graphql');
  }

  await new Promise<void>((resolve) => httpServer.listen(app.config.port, resolve));
  const addr = httpServer.address() as { port: number };
  return {
    server: httpServer,
    url: `http://localhost:${addr.port}/graphql`,
    async stop() {
      // Refuse new connections and requests, let the ones in flight finish, then drain sockets.
      stopping = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      const deadline = Date.now() + 15_000;
      while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      httpServer.closeAllConnections();
      await apollo.stop();
    },
  };
}
