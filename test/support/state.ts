import type { TestApp } from './app';

/**
 * A fingerprint of every table (row count and a hash of all rows), so a test can show that a
 * refused request wrote nothing anywhere — not only in the table it was aimed at.
 */
export async function dbState(t: TestApp): Promise<Record<string, string>> {
  const tables = await t.fx.sql<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'mikro_orm%'
      order by 1`,
  );
  const parts = tables.map(({ name }) => `select '${name}' as t, count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from "${name}" x`);
  const rows = await t.fx.sql<{ t: string; n: number; h: string }>(parts.join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** Runs `fn` and asserts the database is exactly as it was before (no row added, changed or removed). */
export async function expectNothingWritten<T>(t: TestApp, fn: () => Promise<T>): Promise<T> {
  const before = await dbState(t);
  const result = await fn();
  expect(await dbState(t)).toEqual(before);
  return result;
}

export interface AuditRow {
  id: string;
  action: string;
  actor_id: string | null;
  subject_id: string;
  request_id: string | null;
  summary: Record<string, unknown> | null;
  at: Date;
}

/** Audit events of one action, oldest first. */
export async function auditOf(t: TestApp, action: string): Promise<AuditRow[]> {
  return t.fx.sql<AuditRow>(`select id, action, actor_id, subject_id, request_id, summary, at from audit_event where action = $1 order by at, id`, [action]);
}

/** The one audit event written for a request (by its x-request-id). */
export async function auditOfRequest(t: TestApp, requestId: string | null): Promise<AuditRow[]> {
  return t.fx.sql<AuditRow>(`select id, action, actor_id, subject_id, request_id, summary, at from audit_event where request_id = $1`, [requestId]);
}
