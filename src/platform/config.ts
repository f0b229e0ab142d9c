import path from 'node:path';

/** Every setting comes from the environment (DESIGN.md: configuration from environment variables only). */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  /** Directory for the embedded database and generated secrets; 'memory' keeps nothing on disk. */
  dataDir: string;
  jwtSecret: string | undefined;
  redisUrl: string | undefined;
  skipMigrations: boolean;
  logLevel: string;
  production: boolean;
  /** Pool size for a real PostgreSQL; the embedded one always has exactly one connection. */
  poolMax: number;
  publicUrl: string | undefined;
  /** Behind a load balancer: take the client address from X-Forwarded-For's first hop. */
  trustProxy: boolean;
  /** Report SQL statements per request in x-sql-statements (always outside production). */
  statementHeader: boolean;
  bootstrapAdmin?: { email: string; password: string; organisation: string };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const bootstrapEmail = env.HUBNET_BOOTSTRAP_ADMIN_EMAIL;
  const bootstrapPassword = env.HUBNET_BOOTSTRAP_ADMIN_PASSWORD;
  return {
    port: Number(env.PORT ?? 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.HUBNET_DATA_DIR === 'memory' ? 'memory' : path.resolve(env.HUBNET_DATA_DIR ?? '.hubnet-data'),
    jwtSecret: env.JWT_SECRET || undefined,
    redisUrl: env.REDIS_URL || undefined,
    skipMigrations: env.HUBNET_SKIP_MIGRATIONS === '1',
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    production: env.NODE_ENV === 'production',
    poolMax: Number(env.DB_POOL_MAX ?? 10),
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: env.TRUST_PROXY === '1',
    statementHeader: env.NODE_ENV !== 'production' || env.HUBNET_STATEMENT_HEADER === '1',
    bootstrapAdmin:
      bootstrapEmail && bootstrapPassword
        ? { email: bootstrapEmail, password: bootstrapPassword, organisation: env.HUBNET_BOOTSTRAP_ORGANISATION ?? 'Hubnet' }
        : undefined,
  };
}
