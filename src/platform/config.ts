import path from 'node:path';

/** Every setting comes from the environment (DESIGN.md: configuration from environment variables only). */
export interface Config {
  port: number;
  /** Address to listen on: loopback outside production, every interface in production (a container's port). */
  host: string;
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
  /**
   * Proxies in front of the service that append to X-Forwarded-For (0: none, the socket's peer is
   * the client). The client address is the entry that many hops from the right; anything further
   * left was written by the client and is never believed.
   */
  trustProxy: number;
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
    host: env.HOST || (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
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
    trustProxy: trustedHops(env.TRUST_PROXY),
    statementHeader: env.NODE_ENV !== 'production' || env.HUBNET_STATEMENT_HEADER === '1',
    bootstrapAdmin: bootstrapEmail && bootstrapPassword ? { email: bootstrapEmail, password: bootstrapPassword, organisation: env.HUBNET_BOOTSTRAP_ORGANISATION ?? 'Hubnet' } : undefined,
    notifications: {
      worker: env.HUBNET_WORKER !== '0',
      smtpUrl: env.SMTP_URL || undefined,
      from: env.NOTIFY_FROM || 'Hubnet <no-reply@hubnet.invalid>',
      vapidPublicKey: env.VAPID_PUBLIC_KEY || undefined,
      vapidPrivateKey: env.VAPID_PRIVATE_KEY || undefined,
      vapidSubject: env.VAPID_SUBJECT || undefined,
      pushEndpointHosts: env.PUSH_ENDPOINT_HOSTS
        ? env.PUSH_ENDPOINT_HOSTS.split(',')
            .map((h) => h.trim().toLowerCase())
            .filter(Boolean)
        : DEFAULT_PUSH_HOSTS,
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

/** TRUST_PROXY as a number of hops; `true` (the old spelling) is one. Anything else is refused at start. */
function trustedHops(value: string | undefined): number {
  if (value == null || value === '' || value === 'false') return 0;
  if (value === 'true') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new Error(`TRUST_PROXY must be the number of proxies in front of the service (0-10), not ${JSON.stringify(value)}.`);
  return n;
}

/**
 * Why this configuration may not start, or null. Production runs on the operator's PostgreSQL
 * only: without DATABASE_URL it would start an embedded database (and a development setup might
 * load demo data with public logins into it).
 */
export function startProblem(config: Config): string | null {
  if (config.production && !config.databaseUrl) {
    return 'NODE_ENV=production needs DATABASE_URL (a PostgreSQL 14+ connection string); the embedded database is for development only.';
  }
  return null;
}
