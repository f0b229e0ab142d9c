import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../auth/roles';
import { sql } from '../platform/db/sql';
import { toGlobalId } from '../platform/graphql/ids';
import { auditExport, exportRequestId, plainAnswer, streamCsv } from '../platform/http/csv-export';
import { authenticate, type RouteHandler } from '../platform/http/server';
import { escapeFormula, HISTORY_COLUMNS } from './history-import.service';

export const EXPORT_PATH = '/exports/placements.csv';
export const EXPORT_FILENAME = 'hubnet-placement-history.csv';
export const EXPORT_DESCRIPTION = 'Hubnet placement history with SSDA903 reason-for-placement-change codes; not the SSDA903 return (no legal status, reason for new episode or placement type)';
/** Rows fetched per statement: the export never holds more than one page in memory. */
export const EXPORT_PAGE_ROWS = 2_000;
const EXPORT_ROLES: readonly Role[] = [Role.ADMIN, Role.FOSTERING_MANAGER, Role.SUPERVISING_SOCIAL_WORKER];

type Key = [reference: string, start: string, id: string];

/**
 * One page of the organisation's placement episodes in the export's order (child reference, start
 * date; the id only breaks ties the overlap constraint already rules out), after `after`.
 */
interface EpisodeRow {
  reference: string;
  first_name: string;
  date_of_birth: string;
  id: string;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
  setting: string;
  household: string | null;
  kind: string;
  unplanned: boolean | null;
}

async function page(em: EntityManager, organisationId: string, after: Key | null): Promise<EpisodeRow[]> {
  return sql<EpisodeRow>(
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

function record(r: EpisodeRow): Record<(typeof HISTORY_COLUMNS)[number], string> {
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
    plainAnswer(res, 405, 'Use GET.', { allow: 'GET' });
    return true;
  }
  const em = app.orm.em.fork() as unknown as EntityManager;
  const viewer = await authenticate(app, em, req.headers.authorization);
  if (!viewer || viewer === 'invalid') {
    plainAnswer(res, 401, 'Log in: send Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer' });
    return true;
  }
  if (!EXPORT_ROLES.includes(viewer.role)) {
    plainAnswer(res, 403, 'Only administrators, fostering managers and supervising social workers can export placements.');
    return true;
  }
  const requestId = exportRequestId(req);
  await auditExport(em, viewer, 'Placement.exportHistory', toGlobalId('Organisation', viewer.organisationId), requestId);
  await streamCsv<Key>(res, app.log.child({ requestId }), { filename: EXPORT_FILENAME, columns: HISTORY_COLUMNS, requestId, headers: { 'content-description': EXPORT_DESCRIPTION } }, async (after) => {
    const batch = await page(em, viewer.organisationId, after);
    const last = batch[batch.length - 1];
    return { rows: batch.map(record), next: batch.length < EXPORT_PAGE_ROWS ? null : [last.reference, last.start_date, last.id] };
  });
  return true;
};
