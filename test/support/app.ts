import { loadConfig } from '../../src/platform/config';
import { startService, type RunningService } from '../../src/platform/boot';
import { createTestDb, type TestDb } from './db';
import { Fixtures } from './fixtures';

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: string[] }[];
  headers: Headers;
  /** SQL statements the request sent (the x-sql-statements header). */
  statements: number;
}

export interface TestApp {
  db: TestDb;
  service: RunningService;
  url: string;
  fx: Fixtures;
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: { token?: string | null; headers?: Record<string, string> }): Promise<GqlResult<T>>;
  stop(): Promise<void>;
}

/**
 * Boots the real service in-process (HTTP and WebSocket on a free port) on a fresh database, the
 * way a frontend would meet it. One per test file.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDb();
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', PORT: '0', HUBNET_DATA_DIR: 'memory', JWT_SECRET: 'test-secret-0123456789', LOG_LEVEL: 'silent', ...env });
  const service = await startService({ ...config, databaseUrl: db.url, skipMigrations: true }, { orm: db.orm });
  const fx = new Fixtures(db, service.app);
  const gql = async (query: string, variables: Record<string, unknown> = {}, opts: { token?: string | null; headers?: Record<string, string> } = {}) => {
    const res = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.headers ?? {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: any; errors?: any[] };
    return { status: res.status, data: body.data, errors: body.errors, headers: res.headers, statements: Number(res.headers.get('x-sql-statements') ?? -1) };
  };
  return {
    db,
    service,
    url: service.url,
    fx,
    gql,
    async stop() {
      await service.stop();
      await db.drop();
    },
  };
}
