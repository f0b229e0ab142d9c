import crypto from 'node:crypto';
import { once } from 'node:events';
import type http from 'node:http';
import { finished } from 'node:stream/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify, type Stringifier } from 'csv-stringify';
import type { Viewer } from '../viewer';
import { sql } from '../db/sql';
import type { Logger } from '../log';

/** A short plain-text answer to a request that gets no file. */
export function plainAnswer(res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(`${message}\n`);
}

/** The request's id for the logs and the audit trail: the caller's (bounded), or a new one. */
export function exportRequestId(req: http.IncomingMessage): string {
  return (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || crypto.randomUUID();
}

/** Who exported what, when: an export hands personal data out of the service, so each one is audited. */
export async function auditExport(em: EntityManager, viewer: Viewer, action: string, subjectId: string, requestId: string, summary: Record<string, unknown> = {}): Promise<void> {
  await sql(em, `insert into audit_event (organisation_id, actor_id, action, subject_id, request_id, summary) values ($1, $2, $3, $4, $5, $6)`, [
    viewer.organisationId,
    viewer.userId,
    action,
    subjectId,
    requestId,
    JSON.stringify({ format: 'csv', ...summary }),
  ]);
}

/** Waits until the stringifier takes more, or the client has gone (then there is no point). */
async function drained(out: Stringifier, gone: Promise<void>): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([once(out, 'drain', { signal: ac.signal }), gone]);
  } finally {
    ac.abort();
  }
}

export interface CsvPage<K> {
  rows: Record<string, string>[];
  /** Where the next page starts; null after the last one. */
  next: K | null;
}

/**
 * Answers 200 with a CSV file streamed page by page with backpressure, so memory holds one page
 * whatever the size of the export; a client that goes away stops it. Once the headers are out an
 * error can only cut the connection short, which tells the client the file is incomplete.
 */
export async function streamCsv<K>(
  res: http.ServerResponse,
  log: Logger,
  file: { filename: string; columns: readonly string[]; requestId: string; headers?: Record<string, string> },
  pages: (after: K | null) => Promise<CsvPage<K>>,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${file.filename}"`,
    ...file.headers,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': file.requestId,
  });
  const out = stringify({ header: true, columns: [...file.columns] });
  let closed = false;
  const gone = once(res, 'close').then(
    () => void (closed = true),
    () => void (closed = true),
  );
  out.pipe(res);
  let rows = 0;
  const filename = file.filename;
  try {
    let after: K | null = null;
    for (;;) {
      const page: CsvPage<K> = await pages(after);
      for (const r of page.rows) {
        if (!out.write(r)) await drained(out, gone);
        if (closed) break;
      }
      if (closed && !res.writableFinished) {
        log.info({ rows, filename }, 'export abandoned by the client');
        out.destroy();
        return;
      }
      rows += page.rows.length;
      if (page.next == null) break;
      after = page.next;
    }
    out.end();
    await finished(res);
    log.info({ rows, filename }, 'exported');
  } catch (err) {
    if (closed && !res.writableFinished) log.info({ rows, filename }, 'export abandoned by the client');
    else log.error({ err, rows, filename }, 'export failed');
    out.destroy();
    res.destroy();
  }
}
