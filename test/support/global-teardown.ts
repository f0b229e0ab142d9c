export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as any).__HUBNET_EMBEDDED__;
  if (db) await db.close();
}
