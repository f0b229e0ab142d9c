import { LoginLimiter } from '../auth/login-limiter';
import { resolveJwtSecret, TokenService } from '../auth/tokens';
import { resolveVapidKeys } from '../notifications/channels/push';
import { startNotifications } from '../notifications/worker';
import { resolvers } from '../resolvers';
import { routes } from '../routes';
import type { App } from './app';
import { startProblem, type Config } from './config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded';
import { migrateUp } from './db/migrate';
import { createOrm, type Orm } from './db/orm';
import { buildHubnetSchema } from './graphql/schema';
import { startHttpServer } from './http/server';
import { createLogger } from './log';
import { createHubnetPubSub } from './pubsub';

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
  let embeddedDb: EmbeddedDatabase | null = null;
  let url = config.databaseUrl;
  if (!url && !hooks.orm) {
    embeddedDb = await startEmbeddedDatabase(config.dataDir);
    url = embeddedDb.url;
    log.info({ dataDir: config.dataDir }, 'embedded PostgreSQL (PGlite) started');
  }
  const orm = hooks.orm ?? await createOrm({
    url: url!,
    // PGlite has one connection; nothing may wait on a second one inside a transaction.
    poolMax: embeddedDb ? 1 : config.poolMax,
    preparedStatements: !embeddedDb && config.preparedStatements,
    log: (message) => log.debug({ component: 'mikro-orm' }, message),
  });
  if (!config.skipMigrations) {
    const applied = await migrateUp(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
  }
  const pubsub = createHubnetPubSub(config.redisUrl);
  const singleConnection = embeddedDb !== null || (hooks.singleConnection ?? false);
  const notifications = await startNotifications({
    orm,
    log,
    config: config.notifications,
    vapid: resolveVapidKeys({
      publicKey: config.notifications.vapidPublicKey,
      privateKey: config.notifications.vapidPrivateKey,
      subject: config.notifications.vapidSubject,
      dataDir: config.dataDir,
      embedded: !config.databaseUrl,
      from: config.notifications.from,
    }),
    databaseUrl: singleConnection ? null : url!,
    work: config.notifications.worker,
  });
  const app: App = {
    config,
    orm,
    log,
    tokens: new TokenService(resolveJwtSecret(config.jwtSecret, config.dataDir)),
    loginLimiter: new LoginLimiter(config.redisUrl, config.redisKeyPrefix),
    pubsub,
    onUserDeactivated: new Set(),
    onCredentialsChanged: new Set(),
    notifications,
  };
  await hooks.beforeServe?.(app, embeddedDb !== null);
  const schema = buildHubnetSchema(resolvers, pubsub);
  const http = await startHttpServer(app, schema, routes);
  let stopped = false;
  return {
    app,
    url: http.url,
    embedded: embeddedDb !== null,
    async stop() {
      if (stopped) return;
      stopped = true;
      await http.stop();
      await notifications.stop();
      await pubsub.close();
      await app.loginLimiter.close();
      if (!hooks.orm) await orm.close(true);
      await embeddedDb?.close();
    },
  };
}
