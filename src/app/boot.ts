import { createAuthenticator } from '../auth/authenticator';
import { LoginLimiter } from '../auth/login-limiter';
import { resolveJwtSecret, TokenService } from '../auth/tokens';
import { resolveTrustedDocument, resolveTrustedHttpRequest } from '../documents/trusted-documents';
import type { App } from '../platform/app';
import { startProblem, type Config } from '../platform/config';
import { migrateUp } from '../platform/db/migrate';
import type { Orm } from '../platform/db/orm';
import type { DocumentGate } from '../platform/http/document-gate';
import { startHttpServer } from '../platform/http/server';
import { createLogger, type Logger } from '../platform/log';
import { createHubnetPubSub } from '../platform/pubsub';
import { openDatabase, type Database } from './database';
import { startNotificationRuntime } from './notifications';
import { routes } from './routes';
import { hubnetSchema } from './schema';
// Cascade handlers and scheduled reminders register as they load.
import './handlers';

export interface RunningService {
  app: App;
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * Boots the service: database (embedded unless DATABASE_URL), migrations, schema, HTTP and
 * WebSocket. Tests boot it in-process the same way against their own database.
 */
export interface StartOptions {
  beforeServe?: (app: App, embedded: boolean) => Promise<void>;
  /** An ORM already connected (tests share theirs, so the embedded database keeps one connection). */
  orm?: Orm;
  /** The database behind `orm` has a single connection (the embedded one): nothing may open another. */
  singleConnection?: boolean;
}

export async function startService(config: Config, hooks: StartOptions = {}): Promise<RunningService> {
  const log = createLogger(config.logLevel);
  const problem = hooks.orm ? null : startProblem(config);
  if (problem) throw new Error(problem);
  const db: Database | null = hooks.orm ? null : await openDatabase(config, log);
  const orm = hooks.orm ?? db!.orm;
  const url = db?.url ?? config.databaseUrl!;
  const embedded = db?.embedded != null;
  if (!config.skipMigrations) {
    const applied = await migrateUp(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const singleConnection = embedded || (hooks.singleConnection ?? false);
  const app = await assembleApp(config, orm, log, singleConnection ? null : url);
  await hooks.beforeServe?.(app, embedded);
  const http = await startHttpServer(app, hubnetSchema(app.pubsub), { routes, documents: trustedDocumentGate(app) });
  let stopped = false;
  return {
    app,
    url: http.url,
    embedded,
    async stop() {
      if (stopped) return;
      stopped = true;
      await http.stop();
      await app.notifications.stop();
      await app.pubsub.close();
      await app.loginLimiter.close();
      await db?.close();
    },
  };
}

/** The long-lived services, each capability's where it has one. `queueUrl` null: the queue shares the ORM's one connection. */
async function assembleApp(config: Config, orm: Orm, log: Logger, queueUrl: string | null): Promise<App> {
  const tokens = new TokenService(resolveJwtSecret(config.jwtSecret, config.dataDir));
  return {
    config,
    orm,
    log,
    pubsub: createHubnetPubSub(config.redisUrl),
    auth: createAuthenticator(tokens),
    tokens,
    loginLimiter: new LoginLimiter(config.redisUrl, config.redisKeyPrefix),
    onUserDeactivated: new Set(),
    onCredentialsChanged: new Set(),
    notifications: await startNotificationRuntime(config, orm, log, queueUrl, config.notifications.worker),
  };
}

function trustedDocumentGate(app: App): DocumentGate {
  return {
    http: (req, res, search, body) => resolveTrustedHttpRequest(app, req, res, search, body),
    socket: (payload) => resolveTrustedDocument(app, payload),
  };
}
