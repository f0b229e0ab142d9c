import crypto from 'node:crypto';
import { once } from 'node:events';
import type http from 'node:http';
import { finished } from 'node:stream/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { stringify, type Stringifier } from 'csv-stringify';
import { Role } from '../auth/roles';
import type { Viewer } from '../auth/viewer';
import { sql } from '../platform/db/sql';
import { toGlobalId } from '../platform/graphql/ids';
import { authenticate, type RouteHandler } from '../platform/http/server';
import { escapeFormula, HISTORY_COLUMNS } from './history-import.service';

export const EXPORT_PATH = '/exports/placements.csv';
export const EXPORT_FILENAME = 'hubnet-placement-history.csv';
export const EXPORT_DESCRIPTION =
  "Hubnet placement history with SSDA903 reason-for-placement-change codes; not the SSDA903 return (no legal status, reason for new episode or placement type)";
/** Rows fetched per statement: the export never holds more than one page in memory. */
export const EXPORT_PAGE_ROWS = 2_000;
const EXPORT_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];

type Key = [reference: string, start: string, id: string];

/**
 * One page of the organisation's placement episodes in the export's order (child reference, start
 * date; the id only breaks ties the overlap constraint already rules out), after `after`.
 */
async function page(em: EntityManager, organisationId: string, after: Key | null): Promise<any[]> {
  return sql(
    em,
    `select c.reference, c.first_name, c.date_of_birth, pl.id, pl.start_date, pl.end_date, pl.end_reason, pl.setting,
            coalesce(h.name, pl.provider_name) as household, pl.kind, pl.unplanned
       from placement pl
       join child c on c.id = pl.child_id and c.organisation_id = $1
       left join household h on h.id = pl.household_id
      where pl.organisation_id = $1
        and ($2::text is null or (c.reference, pl.start_date, pl.id) > ($2::text, $3::date, $4::uuid))
      order by c.reference, pl.start_date, pl.id
      limit $5`,
    [organisationId, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, EXPORT_PAGE_ROWS],
  );
}

function record(r: any): Record<(typeof HISTORY_COLUMNS)[number], string> {
  return {
    child_reference: escapeFormula(r.reference),
    first_name: escapeFormula(r.first_name),
    date_of_birth: r.date_of_birth,
    start_date: r.start_date,
    end_date: r.end_date ?? '',
    end_reason: r.end_reason ?? '',
    setting: r.setting,
    household: escapeFormula(r.household ?? ''),
    kind: r.kind,
    unplanned: r.unplanned == null ? '' : String(r.unplanned),
  };
}

function refuse(res: http.ServerResponse, status: 401 | 403 | 405, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(`${message}\n`);
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

/** Who exported what, when: the file holds every child's care history. */
async function auditExport(em: EntityManager, viewer: Viewer, requestId: string) {
  await sql(em, `insert into audit_event (organisation_id, actor_id, action, subject_id, request_id, summary) values ($1, $2, 'Placement.exportHistory', $3, $4, $5)`, [
    viewer.organisationId,
    viewer.userId,
    toGlobalId('Organisation', viewer.organisationId),
    requestId,
    JSON.stringify({ format: 'csv' }),
  ]);
}

/**
 * GET /exports/placements.csv: the viewer's organisation's placement history (Hubnet's records,
 * with SSDA903 reason-for-placement-change codes), ordered by child reference and start date, in the
 * columns the import reads. Not the SSDA903 return: no legal status, reason for new episode or
 * placement type; the response says so in its headers, since a note inside the file would be read
 * back by the import as data. Bearer token;
 * ADMIN, FOSTERING_MANAGER and SUPERVISING_SOCIAL_WORKER only. Streamed page by page, with
 * backpressure, so memory does not grow with the organisation. Pages are separate statements (no
 * transaction is held open while a slow client reads), so an episode changed during the export
 * may appear as it was or as it is.
 */
export const placementsExportRoute: RouteHandler = async (req, res, app) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== EXPORT_PATH) return false;
  if (req.method !== 'GET') {
    refuse(res, 405, 'Use GET.', { allow: 'GET' });
    return true;
  }
  const em = app.orm.em.fork() as unknown as EntityManager;
  const viewer = await authenticate(app, em, req.headers.authorization);
  if (!viewer || viewer === 'invalid') {
    refuse(res, 401, 'Log in: send Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer' });
    return true;
  }
  if (!EXPORT_ROLES.includes(viewer.role)) {
    refuse(res, 403, 'Only administrators, fostering managers and supervising social workers can export placements.');
    return true;
  }
  const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || crypto.randomUUID();
  const log = app.log.child({ requestId });
  await auditExport(em, viewer, requestId);

  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${EXPORT_FILENAME}"`,
    'content-description': EXPORT_DESCRIPTION,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-request-id': requestId,
  });
  const out = stringify({ header: true, columns: [...HISTORY_COLUMNS] });
  let closed = false;
  const gone = once(res, 'close').then(() => void (closed = true), () => void (closed = true));
  out.pipe(res);
  let rows = 0;
  try {
    let after: Key | null = null;
    for (;;) {
      const batch = await page(em, viewer.organisationId, after);
      for (const r of batch) {
        if (!out.write(record(r))) await drained(out, gone);
        if (closed) break;
      }
      if (closed && !res.writableFinished) {
        log.info({ rows }, 'placement export abandoned by the client');
        out.destroy();
        return true;
      }
      rows += batch.length;
      if (batch.length < EXPORT_PAGE_ROWS) break;
      const last = batch[batch.length - 1];
      after = [last.reference, last.start_date, last.id];
    }
    out.end();
    await finished(res);
    log.info({ rows }, 'placements exported');
  } catch (err) {
    // The headers are out: cutting the connection short is the only way to tell the client the file is incomplete.
    if (closed && !res.writableFinished) log.info({ rows }, 'placement export abandoned by the client');
    else log.error({ err, rows }, 'placement export failed');
    out.destroy();
    res.destroy();
  }
  return true;
};
