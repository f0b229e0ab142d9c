import type http from 'node:http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';
import { DeregistrationReason } from '../households/enums';
import { escapeFormula } from '../placements/history-import.service';
import type { App } from '../platform/app';
import { Ctx } from '../platform/context';
import { sql } from '../platform/db/sql';
import { idOf, toGlobalId } from '../platform/graphql/ids';
import { auditExport, exportRequestId, plainAnswer, streamCsv } from '../platform/http/csv-export';
import { authenticate, type RouteHandler } from '../platform/http/server';
import { isValidDate } from '../platform/time';
import { canExportSupportLog, LATEST } from '../support/support.policy';
import { allReturns } from './returns.resolver';
import { canReadAllReturns } from './returns.policy';
import type { ConstellationReturnType } from './returns.types';

export const RETURNS_EXPORT_PATH = '/exports/constellation-returns.csv';
export const SUPPORT_LOG_EXPORT_PATH = '/exports/support-log.csv';
const PAGE_ROWS = 2_000;
const MAX_PERIOD_DAYS = 5 * 365 + 1;

/** Text a spreadsheet could take for a formula is written as text. */
const text = (v: string | null | undefined) => (v == null ? '' : escapeFormula(v));
const num = (v: number | null | undefined) => (v == null ? '' : String(v));
const bool = (v: boolean | null | undefined) => (v == null ? '' : String(v));

interface Started {
  em: EntityManager;
  viewer: Viewer;
  url: URL;
  requestId: string;
}

const exportLog = (app: App, s: Started) => app.log.child({ requestId: s.requestId });

/** Method, bearer token; 405/401 answered here. */
async function start(req: http.IncomingMessage, res: http.ServerResponse, app: App): Promise<Started | null> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET') {
    plainAnswer(res, 405, 'Use GET.', { allow: 'GET' });
    return null;
  }
  const em = app.orm.em.fork() as unknown as EntityManager;
  const viewer = await authenticate(app, em, req.headers.authorization);
  if (!viewer || viewer === 'invalid') {
    plainAnswer(res, 401, 'Log in: send Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer' });
    return null;
  }
  return { em, viewer, url, requestId: exportRequestId(req) };
}

// ---------- every constellation's return ----------

const REASONS = Object.values(DeregistrationReason);

export const RETURN_COLUMNS = [
  'constellation_id',
  'constellation',
  'from',
  'to',
  'children_looked_after',
  'children_with_three_or_more_placements',
  'three_or_more_placements_rate',
  'long_term_eligible',
  'long_term_stable',
  'long_term_stability_rate',
  'placement_endings',
  'unplanned_endings',
  'sleepover_nights_used',
  'households_at_start',
  'households_deregistered',
  'carer_retention_rate',
  'sleepovers_requested',
  'sleepovers_emergency_requested',
  'sleepovers_confirmed',
  'sleepovers_declined',
  'sleepover_child_nights_used',
  'sleepover_bed_nights_available',
  'sleepover_occupancy_rate',
  'sleepover_households_using',
  'sleepover_children_using',
  'sessions_held',
  'sessions_cancelled',
  'session_attendances',
  'session_households_attending',
  'support_contacts',
  'support_out_of_hours',
  'support_households_supported',
  'support_placements_at_risk',
  'support_at_risk_assessed',
  'support_at_risk_placements_held',
  'support_would_have_ended',
  'support_would_have_resigned',
  'support_safeguarding_concerns',
  'family_time_booked',
  'family_time_took_place',
  'sibling_contact_booked',
  'sibling_contact_took_place',
  'separated_siblings',
  'separated_siblings_with_contact',
  'retention_households_at_start',
  'retention_rate',
  ...REASONS.map((r) => `deregistered_${r.toLowerCase()}`),
];

export function returnRecord(r: ConstellationReturnType): Record<string, string> {
  const st = r.stability;
  const sl = r.sleepovers;
  const se = r.sessions;
  const su = r.support;
  const c = r.contact;
  const byReason = new Map((r.retention.deregistered ?? []).map((d) => [d.reason, d.count]));
  return {
    constellation_id: r.constellation ? toGlobalId('Constellation', r.constellation.id) : '',
    constellation: r.constellation ? text(r.constellation.name) : 'Households in no constellation',
    from: r.from,
    to: r.to,
    children_looked_after: num(st.childrenLookedAfter),
    children_with_three_or_more_placements: num(st.childrenWithThreeOrMorePlacements),
    three_or_more_placements_rate: num(st.threeOrMorePlacementsRate),
    long_term_eligible: num(st.longTermEligible),
    long_term_stable: num(st.longTermStable),
    long_term_stability_rate: num(st.longTermStabilityRate),
    placement_endings: num(st.placementEndings),
    unplanned_endings: num(st.unplannedEndings),
    sleepover_nights_used: num(st.sleepoverNightsUsed),
    households_at_start: num(st.householdsAtStart),
    households_deregistered: num(st.householdsDeregistered),
    carer_retention_rate: num(st.carerRetentionRate),
    sleepovers_requested: num(sl?.requested),
    sleepovers_emergency_requested: num(sl?.emergencyRequested),
    sleepovers_confirmed: num(sl?.confirmed),
    sleepovers_declined: num(sl?.declined),
    sleepover_child_nights_used: num(sl?.nightsUsed),
    sleepover_bed_nights_available: num(sl?.bedNightsAvailable),
    sleepover_occupancy_rate: num(sl?.occupancyRate),
    sleepover_households_using: num(sl?.householdsUsing),
    sleepover_children_using: num(sl?.childrenUsing),
    sessions_held: num(se?.held),
    sessions_cancelled: num(se?.cancelled),
    session_attendances: num(se?.attendances),
    session_households_attending: num(se?.householdsAttending),
    support_contacts: num(su?.contacts),
    support_out_of_hours: num(su?.outOfHours),
    support_households_supported: num(su?.householdsSupported),
    support_placements_at_risk: num(su?.placementsAtRisk),
    support_at_risk_assessed: num(su?.atRiskAssessed),
    support_at_risk_placements_held: num(su?.atRiskPlacementsHeld),
    support_would_have_ended: num(su?.wouldHaveEnded),
    support_would_have_resigned: num(su?.wouldHaveResigned),
    support_safeguarding_concerns: num(su?.safeguardingConcerns),
    family_time_booked: num(c.familyTimeBooked),
    family_time_took_place: num(c.familyTimeTookPlace),
    sibling_contact_booked: num(c.siblingContactBooked),
    sibling_contact_took_place: num(c.siblingContactTookPlace),
    separated_siblings: num(c.separatedSiblings),
    separated_siblings_with_contact: num(c.separatedSiblingsWithContact),
    retention_households_at_start: num(r.retention.householdsAtStart),
    retention_rate: num(r.retention.retentionRate),
    ...Object.fromEntries(REASONS.map((x) => [`deregistered_${x.toLowerCase()}`, r.retention.deregistered ? String(byReason.get(x) ?? 0) : ''])),
  };
}

/**
 * GET /exports/constellation-returns.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: every constellation's
 * return by name, then the comparison group, one row each, the figures flattened into columns.
 * Organisation-wide staff only (as constellationReturns); audited.
 */
export const constellationReturnsExportRoute: RouteHandler = async (req, res, app) => {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== RETURNS_EXPORT_PATH) return false;
  const s = await start(req, res, app);
  if (!s) return true;
  if (!canReadAllReturns(s.viewer)) {
    plainAnswer(res, 403, 'Only administrators, fostering managers and supervising social workers can export the returns.');
    return true;
  }
  const from = s.url.searchParams.get('from');
  const to = s.url.searchParams.get('to');
  if (!isValidDate(from) || !isValidDate(to) || from > to || (Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PERIOD_DAYS) {
    plainAnswer(res, 400, 'Give from and to as YYYY-MM-DD, from not after to, at most five years apart.');
    return true;
  }
  await auditExport(s.em, s.viewer, 'ConstellationReturn.export', toGlobalId('Organisation', s.viewer.organisationId), s.requestId, { from, to });
  const ctx = new Ctx(app, s.em, s.viewer, s.requestId, app.log.child({ requestId: s.requestId }));
  const returns = await allReturns(ctx, s.viewer, from, to);
  await streamCsv(res, exportLog(app, s), { filename: `constellation-returns-${from}-${to}.csv`, columns: RETURN_COLUMNS, requestId: s.requestId }, async () => ({
    rows: returns.map(returnRecord),
    next: null,
  }));
  return true;
};

// ---------- one constellation's support log ----------

export const SUPPORT_LOG_COLUMNS = [
  'entry_id',
  'at',
  'household',
  'child_reference',
  'channel',
  'out_of_hours',
  'topics',
  'summary',
  'action',
  'follow_up_on',
  'placement_at_risk',
  'would_have_ended',
  'would_have_resigned',
  'safeguarding',
  'escalated_to',
  'escalated_at',
  'amends_id',
  'recorded_in_error',
  'recorded_by',
  'created_at',
];

/**
 * GET /exports/support-log.csv?constellationId=…: the constellation's support log as listed (each
 * chain once, as its latest version, withdrawn ones flagged), newest first. Organisation-wide staff
 * and the constellation's liaison worker; audited.
 */
export const supportLogExportRoute: RouteHandler = async (req, res, app) => {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== SUPPORT_LOG_EXPORT_PATH) return false;
  const s = await start(req, res, app);
  if (!s) return true;
  const id = idOf('Constellation', s.url.searchParams.get('constellationId') ?? '');
  const k = id ? (await sql(s.em, `select id, name from constellation where id = $1 and organisation_id = $2`, [id, s.viewer.organisationId]))[0] : null;
  if (!canExportSupportLog(s.viewer, k?.id ?? null)) {
    plainAnswer(res, 403, "Only organisation-wide staff and the constellation's liaison worker can export its support log.");
    return true;
  }
  if (!k) {
    plainAnswer(res, 404, 'No such constellation.');
    return true;
  }
  await auditExport(s.em, s.viewer, 'SupportLogEntry.export', toGlobalId('Constellation', k.id), s.requestId, {});
  await streamCsv<[string, string]>(res, exportLog(app, s), { filename: 'support-log.csv', columns: SUPPORT_LOG_COLUMNS, requestId: s.requestId }, async (a) => {
    const rows = await sql(
      s.em,
      `select e.*, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at, h.name as household_name, c.reference as child_reference, u.name as recorded_by_name
         from support_log_entry e
         join household h on h.id = e.household_id
         left join child c on c.id = e.child_id
         left join app_user u on u.id = e.recorded_by_id
        where e.constellation_id = $1 and e.organisation_id = $2 and ${LATEST('e')}
          and ($3::timestamptz is null or (e.at, e.id) < ($3::timestamptz, $4::uuid))
        order by e.at desc, e.id desc limit $5`,
      [k.id, s.viewer.organisationId, a?.[0] ?? null, a?.[1] ?? null, PAGE_ROWS],
    );
    const iso = (v: unknown) => (v == null ? '' : new Date(v as string).toISOString());
    return {
      rows: rows.map((r) => ({
        entry_id: toGlobalId('SupportLogEntry', r.id),
        at: iso(r.at),
        household: text(r.household_name),
        child_reference: text(r.child_reference),
        channel: r.channel,
        out_of_hours: bool(r.out_of_hours),
        topics: (r.topics as string[]).join(';'),
        summary: text(r.summary),
        action: text(r.action),
        follow_up_on: r.follow_up_on ?? '',
        placement_at_risk: bool(r.placement_at_risk),
        would_have_ended: bool(r.would_have_ended),
        would_have_resigned: bool(r.would_have_resigned),
        safeguarding: bool(r.chain_safeguarding),
        escalated_to: text(r.escalated_to),
        escalated_at: iso(r.escalated_at),
        amends_id: r.amends_id ? toGlobalId('SupportLogEntry', r.amends_id) : '',
        recorded_in_error: bool(r.recorded_in_error),
        recorded_by: text(r.recorded_by_name),
        created_at: iso(r.created_at),
      })),
      // The cursor keeps the instant at full precision, so no row is skipped or repeated.
      next: rows.length < PAGE_ROWS ? null : [rows[rows.length - 1].cursor_at, rows[rows.length - 1].id],
    };
  });
  return true;
};
