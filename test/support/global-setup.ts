import { startEmbeddedDatabase } from '../../src/platform/db/embedded';

/**
 * Tests run against TEST_DATABASE_URL (CI: the machine's real PostgreSQL) or, when it is unset, an
 * embedded PGlite served over the wire protocol. Each test file then creates its own database.
 */
export default async function globalSetup(): Promise<void> {
  // Login-failure counters in Redis outlive a run (15 minutes): each run counts its own, so a run
  // started soon after another (CI runs the suite twice) is not refused by the last one's.
  process.env.REDIS_KEY_PREFIX ??= `hubnet-test-${process.pid}-${Date.now()}:`;
  if (!process.env.TEST_DATABASE_URL) {
    const db = await startEmbeddedDatabase('memory');
    (globalThis as any).__HUBNET_EMBEDDED__ = db;
    process.env.TEST_DATABASE_URL = db.url;
    process.env.HUBNET_TEST_EMBEDDED = '1';
  }
}
