import crypto from 'node:crypto';
import type http from 'node:http';
import { Repeater } from '@graphql-yoga/subscription';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload, Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { App } from '../app';
import { Ctx, eventContextOf, subscriberContext } from '../context';
import type { TokenClaims } from '../viewer';
import { bearerToken, clientAddress } from './client';
import type { DocumentGate } from './document-gate';
import { collapseErrors, formatError, logUnexpected } from './errors';
import { hasNul } from './limits';

/**
 * A subscription document is a few hundred bytes; a frame is capped well above that and checked
 * by ws before anything is parsed or anyone is authenticated.
 */
export const MAX_FRAME_BYTES = 64 * 1024;

/** graphql-ws close codes: the token is no longer good (log in again), or the user may no longer connect. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/** Deactivations and password changes are broadcast, so every replica closes the user's sockets. */
const USER_DEACTIVATED_TOPIC = 'hubnet:userDeactivated';
const CREDENTIALS_CHANGED_TOPIC = 'hubnet:credentialsChanged';

/** Who a socket is connected as, from the token it opened with; every operation checks it again. */
interface SocketSession {
  token: string;
  claims: TokenClaims;
  ended: boolean;
  expiry: NodeJS.Timeout;
}
type SocketExtra = Extra & { session?: SocketSession };
type SocketCtx = WsContext<Record<string, unknown> | undefined, SocketExtra>;

export interface SocketPipeline {
  validationRules: readonly ValidationRule[];
  parseOptions: Parameters<typeof parse>[1];
}

export interface SocketServer {
  dispose(): Promise<void>;
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql, under the HTTP path's rules:
 * the same parse limit and validation rules (graphql-armor's limits, NUL check, no introspection
 * in production), the same error masking, and authentication per operation — token expiry,
 * deactivation and password change are checked for every subscribe, and the socket is closed
 * (4401 / 4403) the moment the token stops being good.
 *
 * Only subscriptions are served here. Queries and mutations go over HTTP, where the request id,
 * idempotency keys, rate limits by client address and CSRF prevention live; a socket answers
 * them with BAD_REQUEST, so there is one way in for each kind of operation.
 */
export function startSocketServer(app: App, schema: GraphQLSchema, httpServer: http.Server, pipeline: SocketPipeline, documents: DocumentGate): SocketServer {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_FRAME_BYTES });
  const users = new UserSockets();
  const operations: SocketOperations = { app, schema, rules: [...specifiedRules, ...pipeline.validationRules], pipeline, documents, sessions: new WeakMap() };
  const format = errorFormatter(app.config.production);

  const cleanup = useServer<Record<string, unknown> | undefined, { session?: SocketSession }>(
    {
      schema,
      onConnect: (ctx) => connect(app, ctx, users),
      onSubscribe: (ctx, _id, payload) => startOperation(operations, ctx, payload),

      // A subscription's events stop as soon as its socket's session ends (an expired token, a password change).
      subscribe: (args) => {
        const session = operations.sessions.get(args.contextValue as Ctx);
        return subscribeWithContextPerEvent(app, args, () => !!session && !session.ended && Date.now() < session.claims.expiresAt);
      },

      onNext(_ctx, _id, _payload, args, result) {
        if (!result.errors?.length) return;
        return { ...result, errors: format(args.contextValue as Ctx, result.errors) };
      },

      onError(_ctx, _id, _payload, errors) {
        return format(null, errors);
      },
    },
    wsServer,
  );
  const broadcasts = closeSocketsOnUserChanges(app, users);

  return {
    async dispose() {
      for (const b of broadcasts) await b.return?.();
      await cleanup.dispose();
    },
  };
}

/** What starting an operation needs: the HTTP path's pipeline, and where each operation's session is kept. */
interface SocketOperations {
  app: App;
  schema: GraphQLSchema;
  /** graphql-js's rules and the HTTP path's. */
  rules: readonly ValidationRule[];
  pipeline: SocketPipeline;
  documents: DocumentGate;
  /** The session each operation's context was made for, so its events stop when the session ends. */
  sessions: WeakMap<Ctx, SocketSession>;
}

/**
 * graphql-ws's onSubscribe: authenticated again, the document through the trusted-documents gate,
 * parsed and validated as on HTTP, then run with a context of its own; otherwise the errors.
 */
async function startOperation(ops: SocketOperations, ctx: SocketCtx, payload: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
  const { app, schema } = ops;
  const em = app.orm.em.fork() as unknown as Ctx['em'];
  const viewer = await reauthenticate(app, ctx, em);
  if (!viewer) return [new GraphQLError('Your session has ended; log in again.', { extensions: { code: 'UNAUTHENTICATED' } })];
  // Trusted documents hold here as on HTTP: an operation may be named by id, and with
  // HUBNET_TRUSTED_DOCUMENTS=only nothing unregistered runs.
  const untrusted = await ops.documents.socket(payload);
  if (untrusted) return untrusted;
  const document = subscriptionDocument(schema, ops.rules, ops.pipeline, payload);
  if (Array.isArray(document)) return document;
  const address = clientAddress(ctx.extra.request, app.config.trustProxy);
  const base = subscriberContextFor(app, em, viewer, address);
  ops.sessions.set(base, ctx.extra.session!);
  return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: base };
}

/**
 * Errors as HTTP masks them (formatError), logged when unexpected; an internal error carries the
 * request id of the operation's context, when there is one.
 */
function errorFormatter(production: boolean) {
  return (ctx: Ctx | null, errors: readonly GraphQLError[]) => {
    if (ctx) logUnexpected(ctx, errors);
    return collapseErrors(
      errors.map((e) => {
        const f = formatError(e.toJSON(), production);
        if (f.extensions?.code === 'INTERNAL_SERVER_ERROR' && ctx) (f.extensions as Record<string, unknown>).requestId = ctx.requestId;
        return f;
      }),
    );
  };
}

/** Each user's open sockets, so that deactivation or a password change closes them at once. */
class UserSockets {
  private readonly byUser = new Map<string, Set<WebSocket>>();

  add(userId: string, socket: WebSocket): void {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(socket);
    socket.once('close', () => set.delete(socket));
  }

  end(userId: string, code: number, reason: string): void {
    for (const s of this.byUser.get(userId) ?? []) s.close(code, reason);
    this.byUser.delete(userId);
  }
}

function endSession(session: SocketSession | undefined, socket: WebSocket, code: number, reason: string): void {
  if (session) {
    session.ended = true;
    clearTimeout(session.expiry);
  }
  socket.close(code, reason);
}

/**
 * graphql-ws's onConnect: the socket is accepted only with a good token of an active user
 * (connectionParams.authorization = 'Bearer <token>'), and closed when that token expires.
 */
export async function connect(app: App, ctx: SocketCtx, users: UserSockets): Promise<boolean> {
  const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
  const token = bearerToken(typeof raw === 'string' ? raw : null);
  const claims = token ? await app.auth.verify(token) : null;
  const em = app.orm.em.fork() as unknown as Ctx['em'];
  const user = claims ? await app.auth.standing(em, claims.userId) : null;
  if (!token || !claims || !user || user.generation !== claims.generation) {
    // No token, a bad or expired one, or one older than the password: log in again.
    ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
    return false;
  }
  const viewer = user.active ? await app.auth.loadViewer(em, claims.userId, claims.generation) : null;
  if (!viewer) {
    ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden');
    return false;
  }
  const socket = ctx.extra.socket;
  // Closed when the token expires, without waiting for the next operation to notice.
  const expiry = setTimeout(() => endSession(ctx.extra.session, socket, CLOSE_UNAUTHORIZED, 'Unauthorized'), Math.max(0, claims.expiresAt - Date.now()));
  expiry.unref();
  ctx.extra.session = { token, claims, ended: false, expiry };
  users.add(viewer.userId, socket);
  socket.once('close', () => clearTimeout(expiry));
  return true;
}

/** The viewer for an operation on this socket, or null once the socket has been closed for it. */
async function reauthenticate(app: App, ctx: SocketCtx, em: Ctx['em']) {
  const session = ctx.extra.session;
  if (!session || session.ended) return null;
  const claims = await app.auth.verify(session.token);
  if (!claims) {
    endSession(session, ctx.extra.socket, CLOSE_UNAUTHORIZED, 'Unauthorized');
    return null;
  }
  const user = await app.auth.standing(em, claims.userId);
  if (!user?.active) {
    endSession(session, ctx.extra.socket, CLOSE_FORBIDDEN, 'Forbidden');
    return null;
  }
  if (user.generation !== claims.generation) {
    endSession(session, ctx.extra.socket, CLOSE_UNAUTHORIZED, 'Unauthorized');
    return null;
  }
  return app.auth.loadViewer(em, claims.userId, claims.generation);
}

/**
 * The payload's document when it is one subscription that passes the HTTP path's parse limit and
 * validation rules; otherwise the errors to answer with, labelled as Apollo labels them on HTTP.
 */
export function subscriptionDocument(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  pipeline: SocketPipeline,
  payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
): DocumentNode | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(payload.query, pipeline.parseOptions);
  } catch (err) {
    return [err instanceof GraphQLError ? err : new GraphQLError('The query could not be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return [new GraphQLError('Name the operation to run.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
  if (operation.operation !== 'subscription') {
    return [new GraphQLError('Only subscriptions are served over WebSocket; send queries and mutations over HTTP.', { extensions: { code: 'BAD_REQUEST' } })];
  }
  const invalid = validate(schema, document, rules);
  // Limit errors are recognised by formatError.
  if (invalid.length) return invalid.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } }));
  if (hasNul(payload.variables)) return [new GraphQLError('Text may not contain NUL characters.', { extensions: { code: 'BAD_USER_INPUT' } })];
  return document;
}

/**
 * Deactivation and password changes close the user's sockets here at once, and are broadcast so
 * every other replica closes theirs. Returns the broadcast listeners, to stop on dispose.
 */
function closeSocketsOnUserChanges(app: App, users: UserSockets) {
  app.onUserDeactivated.add((userId) => {
    users.end(userId, CLOSE_FORBIDDEN, 'Forbidden');
    app.pubsub.publish(USER_DEACTIVATED_TOPIC, userId);
  });
  app.onCredentialsChanged.add((userId) => {
    users.end(userId, CLOSE_UNAUTHORIZED, 'Unauthorized');
    app.pubsub.publish(CREDENTIALS_CHANGED_TOPIC, userId);
  });
  return [
    listen(app, USER_DEACTIVATED_TOPIC, (userId) => users.end(userId, CLOSE_FORBIDDEN, 'Forbidden')),
    listen(app, CREDENTIALS_CHANGED_TOPIC, (userId) => users.end(userId, CLOSE_UNAUTHORIZED, 'Unauthorized')),
  ];
}

function listen(app: App, topic: string, fn: (userId: string) => void) {
  const events = app.pubsub.subscribe(topic);
  void (async () => {
    for await (const userId of events) if (typeof userId === 'string') fn(userId);
  })().catch((err) => app.log.error({ err, topic }, 'socket broadcast stopped'));
  return events;
}

function subscriberContextFor(app: App, em: Ctx['em'], viewer: NonNullable<Ctx['viewer']>, address: string | null): Ctx {
  const requestId = crypto.randomUUID();
  return new Ctx(app, em, viewer, requestId, app.log.child({ requestId, transport: 'ws' }), null, address, null);
}

/**
 * graphql-js executes every event of a subscription with the one context made when it started;
 * here each event gets its own (DESIGN.md: a subscription forks per event) — the one the
 * subscription's source bound to the event, or a fresh one — so no entity or DataLoader result
 * outlives its event, and a subscriber who has been deactivated gets nothing more.
 */
async function subscribeWithContextPerEvent(app: App, args: ExecutionArgs, live: () => boolean) {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const userId = (args.contextValue as Ctx).viewer?.userId;
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const events = stream[Symbol.asyncIterator]();
    // A source that fails to close (e.g. its Redis subscription) is logged, not left to crash the process.
    stop.then(() => events.return?.()).catch((err) => app.log.warn({ err }, 'closing a subscription source failed'));
    for (;;) {
      const next = await events.next();
      if (next.done || !userId || !live()) break;
      const ctx = eventContextOf(next.value) ?? (await subscriberContext(app, userId));
      if (!ctx.viewer) break;
      await push(await execute({ ...args, rootValue: next.value, contextValue: ctx }));
    }
    stop();
  });
}
