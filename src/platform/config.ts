import path from 'node:path';

/** Every setting comes from the environment (DESIGN.md: configuration from environment variables only). */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  /** Directory for the embedded database and generated secrets; 'memory' keeps nothing on disk. */
  dataDir: string;
  jwtSecret: string | undefined;
  redisUrl: string | undefined;
  /** Prefix of the keys this service keeps in Redis (several deployments, or test runs, on one Redis). */
  redisKeyPrefix: string;
  skipMigrations: boolean;
  logLevel: string;
  production: boolean;
  /** Pool size for a real PostgreSQL; the embedded one always has exactly one connection. */
  poolMax: number;
  /** sql() prepares statements by name per connection (off behind a pooler in transaction mode). */
  preparedStatements: boolean;
  publicUrl: string | undefined;
  /** Behind a load balancer: take the client address from X-Forwarded-For's first hop. */
  trustProxy: boolean;
  /** Report SQL statements per request in x-sql-statements (always outside production). */
  statementHeader: boolean;
  bootstrapAdmin?: { email: string; password: string; organisation: string };
  notifications: NotificationsConfig;
  /** The in-browser IDE at /graphql (and introspection with it): on outside production, HUBNET_IDE=1 in it. */
  ide: boolean;
  /** 'only': just the registered documents run; 'allow': registered ones by id, or any document. */
  trustedDocuments: 'allow' | 'only';
}

export interface NotificationsConfig {
  /** Run the delivery worker and the reminder scheduler inside this process (HUBNET_WORKER=0: API only). */
  worker: boolean;
  /** smtp(s)://user:pass@host:port; no email is sent without it (notifications are still recorded). */
  smtpUrl: string | undefined;
  from: string;
  vapidPublicKey: string | undefined;
  vapidPrivateKey: string | undefined;
  vapidSubject: string | undefined;
  /** Hosts (or parent domains) a push subscription's endpoint may point at. */
  pushEndpointHosts: string[];
  pollSeconds: number;
  maxAttempts: number;
  /** Backoff base: attempt n waits about retryDelaySeconds × 2^(n-1) (with jitter). */
  retryDelaySeconds: number;
  concurrency: number;
}

/** The push services browsers use (Chrome/Edge via FCM, Firefox, Windows, Safari). */
const DEFAULT_PUSH_HOSTS = ['fcm.googleapis.com', 'android.googleapis.com', 'push.services.mozilla.com', 'notify.windows.com', 'push.apple.com'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const bootstrapEmail = env.HUBNET_BOOTSTRAP_ADMIN_EMAIL;
  const bootstrapPassword = env.HUBNET_BOOTSTRAP_ADMIN_PASSWORD;
  return {
    port: Number(env.PORT ?? 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.HUBNET_DATA_DIR === 'memory' ? 'memory' : path.resolve(env.HUBNET_DATA_DIR ?? '.hubnet-data'),
    jwtSecret: env.JWT_SECRET || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? '',
    skipMigrations: env.HUBNET_SKIP_MIGRATIONS === '1',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    production: env.NODE_ENV === 'production',
    poolMax: Number(env.DB_POOL_MAX ?? 10),
    preparedStatements: env.DB_PREPARED_STATEMENTS !== '0',
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: env.TRUST_PROXY === '1',
    statementHeader: env.NODE_ENV !== 'production' || env.HUBNET_STATEMENT_HEADER === '1',
    bootstrapAdmin:
      bootstrapEmail && bootstrapPassword
        ? { email: bootstrapEmail, password: bootstrapPassword, organisation: env.HUBNET_BOOTSTRAP_ORGANISATION ?? 'Hubnet' }
        : undefined,
    notifications: {
      worker: env.HUBNET_WORKER !== '0',
      smtpUrl: env.SMTP_URL || undefined,
      from: env.NOTIFY_FROM || 'Hubnet <no-reply@hubnet.invalid>',
      vapidPublicKey: env.VAPID_PUBLIC_KEY || undefined,
      vapidPrivateKey: env.VAPID_PRIVATE_KEY || undefined,
      vapidSubject: env.VAPID_SUBJECT || undefined,
      pushEndpointHosts: env.PUSH_ENDPOINT_HOSTS ? env.PUSH_ENDPOINT_HOSTS.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean) : DEFAULT_PUSH_HOSTS,
      pollSeconds: Math.max(0.5, Number(env.NOTIFY_POLL_SECONDS ?? 2)),
      maxAttempts: Math.max(1, Math.floor(Number(env.NOTIFY_MAX_ATTEMPTS ?? 5))),
      retryDelaySeconds: Math.max(1, Math.floor(Number(env.NOTIFY_RETRY_DELAY_SECONDS ?? 60))),
      concurrency: Math.max(1, Math.floor(Number(env.NOTIFY_CONCURRENCY ?? 4))),
    },
    ide: env.NODE_ENV === 'production' ? env.HUBNET_IDE === '1' : env.HUBNET_IDE !== '0',
    trustedDocuments: trustedDocumentsMode(env.HUBNET_TRUSTED_DOCUMENTS),
  };
}

function trustedDocumentsMode(value: string | undefined): 'allow' | 'only' {
  if (value === undefined || value === '' || value === 'allow') return 'allow';
  if (value === 'only') return 'only';
  // A typo here must not quietly leave the server open to any document.
  throw new Error(`HUBNET_TRUSTED_DOCUMENTS must be 'allow' or 'only', not '${value}'`);
}
