import type { EntityManager } from '@mikro-orm/postgresql';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { isManager } from '../auth/viewer';
import { sql } from '../platform/db/sql';
import { toGlobalId } from '../platform/graphql/ids';
import { refuse, userError, UserErrorCode, UserFacingError } from '../platform/graphql/user-errors';
import type { Outcome, Tx } from '../platform/mutation';
import { ageOn, isValidDate, todayLondon } from '../platform/time';
import { PlacementEndReason, PlacementKind, PlacementSetting } from './enums';

/**
 * Placement history import: a service arriving with years of episodes loads them from one CSV
 * file, all rows or none. Children are matched by case reference (or created); episodes are checked
 * against each other and against the placements already recorded, never against today's approvals
 * (a household's approval then is not on record). The columns are the export's
 * (src/placements/history-export.ts), so an export can be loaded into another organisation.
 */
export const HISTORY_COLUMNS = ['child_reference', 'first_name', 'date_of_birth', 'start_date', 'end_date', 'end_reason', 'setting', 'household', 'kind', 'unplanned'] as const;
export type HistoryColumn = (typeof HISTORY_COLUMNS)[number];

export const MAX_IMPORT_ROWS = 50_000;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Rows per insert statement. */
const INSERT_SLICE = 5_000;

function* slices<T>(list: T[], size = INSERT_SLICE): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

export interface ImportRowError {
  /** The line of the file the row starts on (the header is line 1); null for the file as a whole. */
  row: number | null;
  column: HistoryColumn | null;
  message: string;
}

export interface ImportReport {
  imported: number;
  childrenCreated: number;
  rowErrors: ImportRowError[];
}

interface Episode {
  row: number;
  reference: string;
  firstName: string;
  dateOfBirth: string;
  start: string;
  end: string | null;
  reason: PlacementEndReason | null;
  unplanned: boolean | null;
  setting: PlacementSetting;
  householdId: string | null;
  providerName: string | null;
  kind: PlacementKind;
}

// eslint-disable-next-line no-control-regex -- the control characters are what this pattern looks for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula, so the export writes such text
 * with a leading apostrophe (which spreadsheets show as text) and the import takes it off again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export function escapeFormula(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}
function unescapeFormula(v: string): string {
  return v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}
const REASONS = Object.values(PlacementEndReason) as string[];
const SETTINGS = Object.values(PlacementSetting) as string[];
const KINDS = Object.values(PlacementKind) as string[];

interface ParsedFile {
  header: { row: number; values: string[] };
  records: { row: number; values: string[] }[];
}

/** The text in pieces that never split a surrogate pair, so parsing yields to other requests between them. */
function* pieces(text: string, size = 64 * 1024): Generator<string> {
  for (let i = 0; i < text.length;) {
    let end = Math.min(i + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    yield text.slice(i, end);
    i = end;
  }
}

/** Splits the text into rows, each with the line it starts on; a file-level problem instead when it is not CSV we can read. */
async function parseCsv(text: string): Promise<ParsedFile | ImportRowError> {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    return { row: null, column: null, message: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into several imports.` };
  }
  const parsed: { record: string[]; info: { lines: number; empty_lines: number } }[] = [];
  try {
    // Rows with too few or too many values are reported row by row below, not as a parse failure.
    const parser = Readable.from(pieces(text)).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
    for await (const r of parser) parsed.push(r);
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      return { row: typeof line === 'number' && line > 0 ? line : null, column: null, message: `The file is not valid CSV: ${err.message}` };
    }
    throw err;
  }
  let prev = { lines: 0, empty_lines: 0 };
  const rows = parsed.map(({ record, info }) => {
    // info.lines is where the record ends; blank lines skipped before it are counted in empty_lines.
    const row = prev.lines + 1 + (info.empty_lines - prev.empty_lines);
    prev = info;
    return { row, values: record };
  });
  if (!rows.length) return { row: 1, column: null, message: `The file is empty: it needs a header row (${HISTORY_COLUMNS.join(',')}).` };
  const [header, ...records] = rows;
  // Spreadsheets leave rows of empty cells at the end of a sheet; they are not episodes.
  const data = records.filter((r) => r.values.some((v) => v.trim() !== ''));
  if (data.length > MAX_IMPORT_ROWS) {
    return { row: null, column: null, message: `The file has more than ${MAX_IMPORT_ROWS} rows: split it into several imports.` };
  }
  return { header, records: data };
}

/** Column positions from the header; every column named once, nothing unknown (a misspelt column would lose data). */
function readHeader(header: ParsedFile['header']): Map<HistoryColumn, number> | ImportRowError[] {
  const errors: ImportRowError[] = [];
  const at = new Map<HistoryColumn, number>();
  header.values.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(HISTORY_COLUMNS as readonly string[]).includes(name)) {
      errors.push({ row: header.row, column: null, message: `Unknown column "${raw.trim().slice(0, 50)}": the columns are ${HISTORY_COLUMNS.join(', ')}.` });
    } else if (at.has(name as HistoryColumn)) {
      errors.push({ row: header.row, column: name as HistoryColumn, message: `Column ${name} appears more than once.` });
    } else {
      at.set(name as HistoryColumn, i);
    }
  });
  const missing = HISTORY_COLUMNS.filter((c) => !at.has(c));
  if (missing.length) errors.push({ row: header.row, column: null, message: `The header row is missing ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')}.` });
  return errors.length ? errors : at;
}

interface OrgData {
  householdsByName: Map<string, string[]>;
  children: Map<string, { id: string; firstName: string; dateOfBirth: string }>;
  placements: Map<string, { start: string; end: string | null }[]>;
}

/** What the rows are checked against: three statements whatever the file's size. */
async function loadOrgData(em: EntityManager, organisationId: string, references: string[]): Promise<OrgData> {
  const households = await sql(em, `select id, name from household where organisation_id = $1`, [organisationId]);
  const householdsByName = new Map<string, string[]>();
  for (const h of households) {
    const key = nameKey(h.name);
    const same = householdsByName.get(key);
    if (same) same.push(h.id);
    else householdsByName.set(key, [h.id]);
  }
  const children = new Map<string, { id: string; firstName: string; dateOfBirth: string }>();
  for (const c of await sql(em, `select id, reference, first_name, date_of_birth from child where organisation_id = $1 and reference = any($2::text[])`, [organisationId, references])) {
    children.set(c.reference, { id: c.id, firstName: c.first_name, dateOfBirth: c.date_of_birth });
  }
  const placements = new Map<string, { start: string; end: string | null }[]>();
  const ids = [...children.values()].map((c) => c.id);
  for (const p of await sql(em, `select child_id, start_date, end_date from placement where child_id = any($1::uuid[]) order by start_date`, [ids])) {
    const list = placements.get(p.child_id);
    if (list) list.push({ start: p.start_date, end: p.end_date });
    else placements.set(p.child_id, [{ start: p.start_date, end: p.end_date }]);
  }
  return { householdsByName, children, placements };
}

function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

const range = (start: string, end: string | null) => `${start} to ${end ?? 'open'}`;

/** One row's cells, read and checked; each problem is added to the import's errors as it is found. */
class RowReader {
  constructor(
    private readonly rec: { row: number; values: string[] },
    private readonly at: Map<HistoryColumn, number>,
    private readonly today: string,
    private readonly errors: ImportRowError[],
  ) {}

  err(column: HistoryColumn, message: string): void {
    this.errors.push({ row: this.rec.row, column, message });
  }

  cell(c: HistoryColumn): string {
    return unescapeFormula((this.rec.values[this.at.get(c)!] ?? '').trim());
  }

  text(c: HistoryColumn, max: number, required: boolean): string | null {
    const v = this.cell(c);
    if (!v) {
      if (required) this.err(c, `${c} is required.`);
      return null;
    }
    if (v.length > max) this.err(c, `${c} must be at most ${max} characters.`);
    else if (CONTROL.test(v)) this.err(c, `${c} contains control characters.`);
    else return v;
    return null;
  }

  /** A real date, not in the future: only what has happened is imported. */
  date(c: HistoryColumn, required: boolean): string | null {
    const v = this.cell(c);
    if (!v) {
      if (required) this.err(c, `${c} is required.`);
      return null;
    }
    if (!isValidDate(v)) {
      this.err(c, `${c} must be a real date written YYYY-MM-DD (got "${this.cell(c).slice(0, 20)}").`);
      return null;
    }
    if (v > this.today) {
      this.err(c, `${c} is in the future: import only what has happened.`);
      return null;
    }
    return v;
  }

  oneOf(c: HistoryColumn, values: string[], v: string): string | null {
    const up = v.toUpperCase();
    if (values.includes(up)) return up;
    this.err(c, `${c} must be one of ${values.join(', ')} (got "${v.slice(0, 30)}").`);
    return null;
  }
}

/** Checks one row on its own; the episode when it is sound. */
function readRow(rec: { row: number; values: string[] }, at: Map<HistoryColumn, number>, org: OrgData, today: string, errors: ImportRowError[]): Episode | null {
  const before = errors.length;
  const r = new RowReader(rec, at, today, errors);
  const reference = r.text('child_reference', 50, true);
  const firstName = r.text('first_name', 100, true);
  const dateOfBirth = r.date('date_of_birth', true);
  const start = r.date('start_date', true);
  const end = r.date('end_date', false);
  const kindCell = r.cell('kind');
  if (!kindCell) r.err('kind', `kind is required: one of ${KINDS.join(', ')}.`);
  const kind = kindCell ? r.oneOf('kind', KINDS, kindCell) : null;
  const settingCell = r.cell('setting');
  const setting = settingCell ? r.oneOf('setting', SETTINGS, settingCell) : PlacementSetting.FOSTER_HOUSEHOLD;

  if (dateOfBirth && start) {
    if (start < dateOfBirth) r.err('start_date', 'start_date is before date_of_birth.');
    else if (ageOn(dateOfBirth, start) > 25) r.err('start_date', 'The child would be over 25 at start_date: a child looked after is at most 25.');
  }
  if (start && end && end <= start) r.err('end_date', 'end_date must be after start_date (it is the day the child moved on).');
  const { reason, unplanned } = readEnding(r);
  const { householdId, providerName } = readHome(r, org, setting);

  if (errors.length > before) return null;
  return {
    row: rec.row,
    reference: reference!,
    firstName: firstName!,
    dateOfBirth: dateOfBirth!,
    start: start!,
    end,
    reason: reason as PlacementEndReason | null,
    unplanned,
    setting: setting as PlacementSetting,
    householdId,
    providerName,
    kind: kind as PlacementKind,
  };
}

/** Why and how the placement ended: both given once it has ended (an end_date), neither while it continues. */
function readEnding(r: RowReader): { reason: string | null; unplanned: boolean | null } {
  const reasonCell = r.cell('end_reason');
  const unplannedCell = r.cell('unplanned');
  let reason: string | null = null;
  let unplanned: boolean | null = null;
  if (r.cell('end_date')) {
    if (!reasonCell) r.err('end_reason', `end_reason is required when the placement has ended: one of ${REASONS.join(', ')}.`);
    else reason = r.oneOf('end_reason', REASONS, reasonCell);
    if (!unplannedCell) r.err('unplanned', 'unplanned is required when the placement has ended: true or false.');
    else if (/^(true|false)$/i.test(unplannedCell)) unplanned = unplannedCell.toLowerCase() === 'true';
    else r.err('unplanned', `unplanned must be true or false (got "${unplannedCell.slice(0, 20)}").`);
  } else {
    if (reasonCell) r.err('end_reason', 'end_reason must be blank while the placement continues (no end_date).');
    if (unplannedCell) r.err('unplanned', 'unplanned must be blank while the placement continues (no end_date).');
  }
  return { reason, unplanned };
}

/** The household, found by its name, of a FOSTER_HOUSEHOLD placement; the provider's name of any other. */
function readHome(r: RowReader, org: OrgData, setting: string | null): { householdId: string | null; providerName: string | null } {
  const householdCell = r.text('household', 200, setting === PlacementSetting.FOSTER_HOUSEHOLD);
  if (setting !== PlacementSetting.FOSTER_HOUSEHOLD || !householdCell) return { householdId: null, providerName: setting ? householdCell : null };
  const found = org.householdsByName.get(nameKey(householdCell)) ?? [];
  if (found.length === 1) return { householdId: found[0], providerName: null };
  r.err('household', found.length ? `${found.length} households are called "${householdCell}": rename one so the name says which.` : `No household of this organisation is called "${householdCell}".`);
  return { householdId: null, providerName: null };
}

const overlaps = (a: { start: string; end: string | null }, b: { start: string; end: string | null }) => (b.end === null || a.start < b.end) && (a.end === null || b.start < a.end);

/** One child's rows against each other and against what is already recorded. */
function checkChild(episodes: Episode[], existing: { id: string; firstName: string; dateOfBirth: string } | undefined, recorded: { start: string; end: string | null }[], errors: ImportRowError[]) {
  const first = episodes[0];
  for (const e of episodes) {
    if (existing) {
      if (e.dateOfBirth !== existing.dateOfBirth) {
        errors.push({ row: e.row, column: 'date_of_birth', message: `Child ${e.reference} is already recorded with date_of_birth ${existing.dateOfBirth}.` });
      }
      if (nameKey(e.firstName) !== nameKey(existing.firstName)) {
        errors.push({ row: e.row, column: 'first_name', message: `Child ${e.reference} is already recorded with first_name ${existing.firstName}.` });
      }
    } else if (e !== first) {
      if (e.dateOfBirth !== first.dateOfBirth) errors.push({ row: e.row, column: 'date_of_birth', message: `date_of_birth differs from row ${first.row} (${first.dateOfBirth}) for the same child.` });
      if (nameKey(e.firstName) !== nameKey(first.firstName))
        errors.push({ row: e.row, column: 'first_name', message: `first_name differs from row ${first.row} (${first.firstName}) for the same child.` });
    }
  }
  // Sorted by start, each row is checked against the row reaching furthest so far.
  const sorted = [...episodes].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.row - b.row));
  let reach: Episode | null = null;
  for (const e of sorted) {
    if (reach && overlaps(e, reach)) {
      errors.push({ row: e.row, column: 'start_date', message: `Overlaps row ${reach.row} (${range(reach.start, reach.end)}) for the same child.` });
    }
    if (!reach || (reach.end !== null && (e.end === null || e.end > reach.end))) reach = e;
    const clash = recorded.find((r) => overlaps(e, r));
    if (clash) errors.push({ row: e.row, column: 'start_date', message: `Overlaps a placement already recorded for this child (${range(clash.start, clash.end)}).` });
  }
}

/**
 * Checks every row and, when all are sound, writes the children and placements. Writes nothing
 * when any row has a problem; the caller runs it in one transaction, so a failure part-way (a
 * placement recorded meanwhile, caught by the overlap constraint) leaves nothing behind either.
 */
export async function importPlacementHistory(em: EntityManager, organisationId: string, csv: string): Promise<ImportReport> {
  const none = (rowErrors: ImportRowError[]): ImportReport => ({ imported: 0, childrenCreated: 0, rowErrors });
  const file = await parseCsv(csv);
  if (!('records' in file)) return none([file]);
  const at = readHeader(file.header);
  if (Array.isArray(at)) return none(at);
  if (!file.records.length) return none([{ row: null, column: null, message: 'The file has no rows below the header.' }]);

  const references = [...new Set(file.records.map((r) => unescapeFormula((r.values[at.get('child_reference')!] ?? '').trim())).filter(Boolean))];
  const org = await loadOrgData(em, organisationId, references);
  const { byChild, errors } = readEpisodes(file, at, org);
  if (errors.length) return none(errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
  return writeEpisodes(em, organisationId, org, byChild);
}

/** Every row checked on its own, then each child's rows together: the episodes by child reference, and every problem found. */
function readEpisodes(file: ParsedFile, at: Map<HistoryColumn, number>, org: OrgData): { byChild: Map<string, Episode[]>; errors: ImportRowError[] } {
  const today = todayLondon();
  const errors: ImportRowError[] = [];
  const byChild = new Map<string, Episode[]>();
  const width = file.header.values.length;
  for (const rec of file.records) {
    if (rec.values.length !== width) {
      errors.push({ row: rec.row, column: null, message: `This row has ${rec.values.length} values; the header has ${width}.` });
      continue;
    }
    const e = readRow(rec, at, org, today, errors);
    if (!e) continue;
    const list = byChild.get(e.reference);
    if (list) list.push(e);
    else byChild.set(e.reference, [e]);
  }
  for (const [reference, episodes] of byChild) {
    const existing = org.children.get(reference);
    checkChild(episodes, existing, existing ? (org.placements.get(existing.id) ?? []) : [], errors);
  }
  return { byChild, errors };
}

/** The children not yet recorded, then every episode as a placement. */
async function writeEpisodes(em: EntityManager, organisationId: string, org: OrgData, byChild: Map<string, Episode[]>): Promise<ImportReport> {
  const fresh = [...byChild.entries()].filter(([ref]) => !org.children.has(ref)).map(([, eps]) => eps[0]);
  const childIds = new Map([...org.children.entries()].map(([ref, c]) => [ref, c.id]));
  // In slices, so no one statement of a large file runs into the statement timeout.
  for (const part of slices(fresh)) {
    const created = await sql(
      em,
      `insert into child (organisation_id, reference, first_name, date_of_birth)
       select $1, r, f, d from unnest($2::text[], $3::text[], $4::date[]) as x(r, f, d)
       returning id, reference`,
      [organisationId, part.map((e) => e.reference), part.map((e) => e.firstName), part.map((e) => e.dateOfBirth)],
    );
    for (const c of created) childIds.set(c.reference, c.id);
  }
  const all = [...byChild.values()].flat();
  for (const part of slices(all)) {
    const col = <T>(f: (e: Episode) => T) => part.map(f);
    await sql(
      em,
      `insert into placement (organisation_id, child_id, household_id, setting, provider_name, kind, start_date, end_date, end_reason, unplanned)
       select $1, c, h, s, p, k, sd, ed, r, u
         from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::text[], $10::boolean[]) as x(c, h, s, p, k, sd, ed, r, u)`,
      [
        organisationId,
        col((e) => childIds.get(e.reference)!),
        col((e) => e.householdId),
        col((e) => e.setting),
        col((e) => e.providerName),
        col((e) => e.kind),
        col((e) => e.start),
        col((e) => e.end),
        col((e) => e.reason),
        col((e) => e.unplanned),
      ],
    );
  }
  return { imported: all.length, childrenCreated: fresh.length, rowErrors: [] };
}

/**
 * The staff mutation: ADMIN and FOSTERING_MANAGER only. A file with problems is refused as a
 * whole (the transaction rolls back) with every problem in `rowErrors`.
 */
export async function importPlacementHistoryAs(tx: Tx, input: { csv: string }): Promise<Outcome<ImportReport>> {
  if (!isManager(tx.viewer)) refuse(UserErrorCode.FORBIDDEN, 'Only an administrator or fostering manager can import placement history.');
  const report = await importPlacementHistory(tx.em, tx.viewer.organisationId, input.csv);
  if (report.rowErrors.length) {
    const n = report.rowErrors.length;
    throw new UserFacingError([userError(UserErrorCode.INVALID_INPUT, `The file has ${n} ${n === 1 ? 'problem' : 'problems'} (see rowErrors); nothing was imported.`, ['input', 'csv'])], {
      rowErrors: report.rowErrors,
    });
  }
  return {
    payload: report,
    subject: { type: 'Organisation', id: tx.viewer.organisationId },
    summary: { imported: report.imported, childrenCreated: report.childrenCreated },
  };
}

/**
 * The command line's import: no login, so the audit event has no actor. Runs in one transaction
 * and writes the audit event only when the rows were loaded.
 */
export async function importPlacementHistoryAsSystem(em: EntityManager, organisationId: string, csv: string): Promise<ImportReport> {
  return em.transactional(async (tx) => {
    const report = await importPlacementHistory(tx, organisationId, csv);
    if (!report.rowErrors.length) {
      await sql(tx, `insert into audit_event (organisation_id, actor_id, action, subject_id, summary) values ($1, null, 'Placement.importHistory', $2, $3)`, [
        organisationId,
        toGlobalId('Organisation', organisationId),
        JSON.stringify({ imported: report.imported, childrenCreated: report.childrenCreated, via: 'cli' }),
      ]);
    }
    return report;
  });
}
