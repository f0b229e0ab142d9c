import http from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { App } from '../app';
import { Ctx } from '../context';
import type { Logger } from '../log';
import { countStatements, currentStatementCount, installStatementCounter } from '../db/statement-counter';
import type { Viewer } from '../viewer';
import { bearerToken, clientAddress, requestIds, requestOrigin } from './client';
import { conformingStatus, refuseNonJsonPost } from './conformance';
import type { DocumentGate } from './document-gate';
import { errorPlugin, formatError } from './errors';
import { noNulVariables, operationRules } from './limits';
import { startSocketServer, type SocketServer } from './socket';

const MAX_BODY_BYTES = 1_000_000;
/** After a 413, how much more of the refused body is read and thrown away so the client can read the answer. */
const DRAIN_BYTES = 16 * MAX_BODY_BYTES;
const DRAIN_MS = 5_000;

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, app: App) => Promise<boolean>;

export interface HttpServerOptions {
  /** Plain-HTTP routes beside /graphql, tried in order. */
  routes: RouteHandler[];
  /** Trusted documents, for HTTP and WebSocket alike. */
  documents: DocumentGate;
}

export interface HttpServer {
  server: http.Server;
  url: string;
  stop(): Promise<void>;
}

/**
 * The viewer a bearer token stands for: null without one; 'invalid' for a bad or expired token,
 * one of a deactivated user, or one issued before the user's password last changed.
 */
export async function authenticate(app: App, em: Ctx['em'], authorization: string | null | undefined): Promise<Viewer | null | 'invalid'> {
  const token = bearerToken(authorization);
  if (!token) return authorization ? 'invalid' : null;
  const claims = await app.auth.verify(token);
  if (!claims) return 'invalid';
  const viewer = await app.auth.loadViewer(em, claims.userId, claims.generation);
  return viewer ?? 'invalid';
}

/**
 * HTTP and WebSocket on one port. Both transports take their parse limit, validation rules and
 * error formatting from the same place (operationRules, formatError), so an operation is held to
 * the same limits and shown the same errors whichever way it comes.
 */
export async function startHttpServer(app: App, schema: GraphQLSchema, options: HttpServerOptions): Promise<HttpServer> {
  installStatementCounter();
  const httpServer = http.createServer();
  const rules = operationRules(app.config.production, !app.config.production || app.config.ide);
  const sockets = startSocketServer(app, schema, httpServer, rules, options.documents);
  const apollo = createApollo(app, schema, httpServer, rules, sockets);
  await apollo.start();
  const handleGraphql = graphqlHandler(app, apollo, options.documents);
  const requests = serveRequests(app, httpServer, (req, res) => route(app, options.routes, handleGraphql, req, res));
  await listen(httpServer, app.config.port, app.config.host);
  return {
    server: httpServer,
    url: `http://${urlHost(app.config.host)}:${(httpServer.address() as { port: number }).port}/graphql`,
    async stop() {
      await requests.drain();
      await apollo.stop();
    },
  };
}

/**
 * Answers each request with `handle`, counting those in flight so that shutdown can refuse new
 * ones (503), let the ones in flight finish, and only then close the connections and the pool.
 */
function serveRequests(app: App, httpServer: http.Server, handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) {
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
  return {
    async drain() {
      // Refuse new connections and requests, let the ones in flight finish, then drop the rest.
      stopping = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      const deadline = Date.now() + 15_000;
      while (inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      httpServer.closeAllConnections();
    },
  };
}

function listen(httpServer: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
}

/** The address to put in a URL for the listening host (every interface is reached on loopback). */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function createApollo(app: App, schema: GraphQLSchema, httpServer: http.Server, rules: ReturnType<typeof operationRules>, sockets: SocketServer) {
  const production = app.config.production;
  return new ApolloServer<Ctx>({
    schema,
    parseOptions: rules.parseOptions,
    validationRules: rules.validationRules,
    formatError: (formatted) => formatError(formatted, production),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Credentials travel only in the Authorization header, which no cross-site simple request can
    // carry, and GET never runs mutations: plain GETs are answered as the specification asks.
    csrfPrevention: false,
    introspection: !production || app.config.ide,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo installs cache control by default, and it wraps every field's resolver to read
      // cache hints nobody sets here (no CDN caches per-user answers): ~5% of the dashboard's CPU.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await sockets.dispose();
            },
          };
        },
      },
      noNulVariables(),
      errorPlugin(),
      // Apollo's landing page loads its IDE from a CDN; the IDE is served from here (ide.ts).
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
}

async function route(app: App, routes: RouteHandler[], graphql: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>, req: http.IncomingMessage, res: http.ServerResponse) {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  if (pathname === '/readyz') {
    const ok = await app.orm.isConnected().catch(() => false);
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'not ready' }));
    return;
  }
  for (const r of routes) if (await r(req, res, app)) return;
  if (pathname !== '/graphql') {
    res.writeHead(404).end();
    return;
  }
  await graphql(req, res);
}

function graphqlHandler(app: App, apollo: ApolloServer<Ctx>, documents: DocumentGate) {
  return async function handleGraphql(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { requestId, clientRequestId } = requestIds(req, app.config.trustProxy);
    const log = app.log.child({ requestId, ...(clientRequestId ? { clientRequestId } : {}) });
    if (refuseNonJsonPost(req, res)) return;
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (body === null) {
      refuseTooLarge(req, res);
      return;
    }
    let parsedBody: unknown = undefined;
    if (body) {
      try {
        parsedBody = JSON.parse(body);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"Body is not JSON","extensions":{"code":"BAD_REQUEST"}}]}');
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const trusted = await documents.http(req, res, url.search, parsedBody);
    if (!trusted) return;
    const started = process.hrtime.bigint();
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: trusted.search, body: trusted.body },
      context: () => requestContext(app, req, requestId, log),
    });
    // Answers are per user: no shared cache may keep them (Apollo's cache control is off).
    const outHeaders: Record<string, string> = { 'x-request-id': requestId, 'cache-control': 'no-store' };
    // Statements per request are held to the query's shape by tests and benchmarks.
    if (app.config.statementHeader) outHeaders['x-sql-statements'] = String(currentStatementCount() ?? 0);
    for (const [k, v] of response.headers) outHeaders[k] = v;
    const status = conformingStatus(response.status ?? 200, response.headers.get('content-type'), response.body);
    res.writeHead(status, outHeaders);
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    log.info({ ms: Number(process.hrtime.bigint() - started) / 1e6, status }, 'graphql');
  };
}

async function requestContext(app: App, req: http.IncomingMessage, requestId: string, log: Logger): Promise<Ctx> {
  const em = app.orm.em.fork() as unknown as Ctx['em'];
  let auth: Awaited<ReturnType<typeof authenticate>>;
  try {
    auth = await authenticate(app, em, req.headers.authorization);
  } catch (err) {
    // No context means no request plugin: log here, and give the client the request id.
    log.error({ err }, 'could not build the request context');
    throw new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, http: { status: 503 } } });
  }
  if (auth === 'invalid') {
    // A token that is bad, expired, of a deactivated user, or older than the password: refuse the whole request.
    throw new GraphQLError('Your session has ended; log in again.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
  const idem = req.headers['idempotency-key'];
  const hops = app.config.trustProxy;
  return new Ctx(app, em, auth, requestId, log, typeof idem === 'string' && idem ? idem : null, clientAddress(req, hops), requestOrigin(req, hops));
}

/** The body as text, or null when it is over MAX_BODY_BYTES (declared or sent). */
async function readBody(req: http.IncomingMessage): Promise<string | null> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return null;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
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

/**
 * 413 for a body over the limit. A client still sending reads no answer if the connection is
 * reset under it, so the rest of the body is read and thrown away (up to a bound in bytes and
 * time) before the connection closes; a client that keeps sending past that is cut off.
 */
function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end('{"errors":[{"message":"Request body too large (at most 1 MB)","extensions":{"code":"BAD_REQUEST"}}]}');
  if (req.complete) return;
  let drained = 0;
  const cutOff = setTimeout(() => req.socket.destroy(), DRAIN_MS);
  cutOff.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.socket.destroy();
  });
  req.once('end', () => clearTimeout(cutOff));
  req.once('close', () => clearTimeout(cutOff));
  req.resume();
}
