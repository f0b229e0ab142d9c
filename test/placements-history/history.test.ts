import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { HISTORY_COLUMNS, importPlacementHistoryAsSystem } from '../../src/placements/history-import.service';
import { startTestApp, type TestApp } from '../support/app';
import { embedded } from '../support/db';
import { day, gid } from '../support/fixtures';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.stop());

const IMPORT = `mutation($i: ImportPlacementHistoryInput!) { importPlacementHistory(input: $i) {
  imported childrenCreated rowErrors { row column message } userErrors { code field message } } }`;

type Row = Partial<Record<(typeof HISTORY_COLUMNS)[number], string>>;
const csvOf = (rows: Row[], columns: readonly string[] = HISTORY_COLUMNS) => stringify(rows, { header: true, columns: [...columns] });
const row = (r: Row): Row => ({
  child_reference: 'C-1',
  first_name: 'Amy',
  date_of_birth: '2012-03-04',
  start_date: '2019-01-01',
  end_date: '',
  end_reason: '',
  setting: 'FOSTER_HOUSEHOLD',
  household: 'Alder House',
  kind: 'LONG_TERM',
  unplanned: '',
  ...r,
});

async function exportCsv(token?: string | null, init: RequestInit = {}) {
  const res = await fetch(t.url.replace(/\/graphql$/, '/exports/placements.csv'), {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const records = (text: string) => parse<Record<string, string>>(text, { columns: true });
const asSet = (rs: Record<string, string>[]) => new Set(rs.map((r) => JSON.stringify(HISTORY_COLUMNS.map((c) => r[c]))));

/** An organisation with staff and the named households. */
async function organisation(name: string, households: string[]) {
  const org = await t.fx.organisation(name);
  const manager = await t.fx.user(org, 'FOSTERING_MANAGER');
  const ids: Record<string, string> = {};
  for (const h of households) ids[h] = await t.fx.household(org, { name: h });
  return { org, manager, households: ids };
}

async function counts(org: string) {
  const [r] = await t.fx.sql(`select (select count(*)::int from child where organisation_id = $1) children, (select count(*)::int from placement where organisation_id = $1) placements`, [org]);
  return r as { children: number; placements: number };
}

/** Episodes as the database holds them, in names rather than ids, so two organisations compare. */
async function episodes(org: string) {
  const rows = await t.fx.sql(
    `select c.reference, c.first_name, c.date_of_birth, pl.start_date, pl.end_date, pl.end_reason, pl.unplanned, pl.setting, h.name as household, pl.provider_name, pl.kind
       from placement pl join child c on c.id = pl.child_id left join household h on h.id = pl.household_id where pl.organisation_id = $1`,
    [org],
  );
  return new Set(rows.map((r) => JSON.stringify(r)));
}

describe('export and import round trip', () => {
  test('an organisation exported and imported into a new one with the same household names has the same episodes', async () => {
    const a = await organisation('Round Trip A', ['Alder House', 'Birch House', 'Cedar, "The Old Mill"']);
    const amy = await t.fx.child(a.org, { firstName: 'Amy', reference: 'LA-001', dob: '2012-03-04' });
    const ben = await t.fx.child(a.org, { firstName: 'Ben', reference: 'LA-002', dob: '2010-10-10' });
    const cat = await t.fx.child(a.org, { firstName: 'Cat', reference: 'LA-003', dob: '2016-02-29' });
    await t.fx.placement(a.org, amy, a.households['Alder House'], '2019-01-01', '2020-06-01', { reason: 'CREQB', unplanned: true, kind: 'SHORT_TERM' });
    await t.fx.placement(a.org, amy, null, '2020-06-01', '2020-09-01', { setting: 'RESIDENTIAL', provider: 'Oak Lodge', reason: 'CARPL', unplanned: false });
    await t.fx.placement(a.org, amy, a.households['Birch House'], '2020-09-01', null, { kind: 'LONG_TERM' });
    await t.fx.placement(a.org, ben, a.households['Cedar, "The Old Mill"'], '2018-05-05', '2021-05-05', { reason: 'LEFT_CARE', unplanned: false });
    await t.fx.placement(a.org, cat, null, '2022-01-01', null, { setting: 'WITH_PARENTS', kind: 'SHORT_TERM', provider: '=HYPERLINK("http://example.test")' });

    const exported = await exportCsv(a.manager.token);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // What the file is and is not, said by the response: the file itself is header and rows only.
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="hubnet-placement-history.csv"');
    expect(exported.headers.get('content-description')).toMatch(/SSDA903 reason-for-placement-change codes; not the SSDA903 return \(no legal status, reason for new episode or placement type\)/);
    expect(exported.text.split('\n')[0]).toBe(HISTORY_COLUMNS.join(','));
    const rowsA = records(exported.text);
    expect(rowsA.map((r) => [r.child_reference, r.start_date])).toEqual([
      ['LA-001', '2019-01-01'],
      ['LA-001', '2020-06-01'],
      ['LA-001', '2020-09-01'],
      ['LA-002', '2018-05-05'],
      ['LA-003', '2022-01-01'],
    ]);
    expect(rowsA[1]).toMatchObject({ setting: 'RESIDENTIAL', household: 'Oak Lodge', end_reason: 'CARPL', unplanned: 'false' });
    expect(rowsA[2]).toMatchObject({ end_date: '', end_reason: '', unplanned: '' });
    // Text a spreadsheet would run as a formula goes out behind an apostrophe, and comes back without it.
    expect(rowsA[4]).toMatchObject({ setting: 'WITH_PARENTS', household: `'=HYPERLINK("http://example.test")` });

    const b = await organisation('Round Trip B', ['Alder House', 'Birch House', 'Cedar, "The Old Mill"']);
    const imported = await t.gql(IMPORT, { i: { csv: exported.text } }, { token: b.manager.token });
    expect(imported.errors).toBeUndefined();
    expect(imported.data.importPlacementHistory).toEqual({ imported: 5, childrenCreated: 3, rowErrors: [], userErrors: [] });

    expect(await episodes(b.org)).toEqual(await episodes(a.org));
    expect(asSet(records((await exportCsv(b.manager.token)).text))).toEqual(asSet(rowsA));
    // Importing the same file again would duplicate every episode: each row now overlaps.
    const again = await t.gql(IMPORT, { i: { csv: exported.text } }, { token: b.manager.token });
    expect(again.data.importPlacementHistory.rowErrors).toHaveLength(5);
    expect(again.data.importPlacementHistory.rowErrors.every((e: any) => /already recorded/.test(e.message))).toBe(true);
    expect(await counts(b.org)).toEqual({ children: 3, placements: 5 });
  });
});

describe('import', () => {
  let o: Awaited<ReturnType<typeof organisation>>;
  beforeAll(async () => {
    o = await organisation('Import Council', ['Alder House', 'Birch House', 'Twin', 'twin ']);
  });

  const importCsv = async (csv: string, token = o.manager.token, headers: Record<string, string> = {}) => {
    const r = await t.gql(IMPORT, { i: { csv } }, { token, headers });
    expect(r.errors).toBeUndefined();
    return r.data.importPlacementHistory as { imported: number | null; childrenCreated: number | null; rowErrors: { row: number | null; column: string | null; message: string }[]; userErrors: any[] };
  };
  const errorsOf = async (csv: string) => (await importCsv(csv)).rowErrors.map((e) => [e.row, e.column]);

  test('all or nothing: one bad row and nothing is written, every bad row reported', async () => {
    const before = await counts(o.org);
    const auditBefore = (await t.fx.sql(`select count(*)::int n from audit_event where organisation_id = $1`, [o.org]))[0].n;
    const r = await importCsv(
      csvOf([
        row({ child_reference: 'N-1', start_date: '2019-01-01', end_date: '2019-05-01', end_reason: 'CARPL', unplanned: 'false' }),
        row({ child_reference: 'N-1', start_date: '2019-05-01', household: 'Birch House' }),
        row({ child_reference: 'N-2', first_name: 'Ben', start_date: '2015-02-30' }),
        row({ child_reference: 'N-3', first_name: 'Cal', household: 'Nowhere House' }),
        row({ child_reference: 'N-4', first_name: 'Dee', end_date: '2018-01-01', end_reason: 'CARPL', unplanned: 'false' }),
      ]),
    );
    expect(r.imported).toBeNull();
    expect(r.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['input', 'csv'], message: 'The file has 3 problems (see rowErrors); nothing was imported.' }]);
    expect(r.rowErrors).toEqual([
      { row: 4, column: 'start_date', message: 'start_date must be a real date written YYYY-MM-DD (got "2015-02-30").' },
      { row: 5, column: 'household', message: 'No household of this organisation is called "Nowhere House".' },
      { row: 6, column: 'end_date', message: 'end_date must be after start_date (it is the day the child moved on).' },
    ]);
    expect(await counts(o.org)).toEqual(before);
    expect((await t.fx.sql(`select count(*)::int n from audit_event where organisation_id = $1`, [o.org]))[0].n).toBe(auditBefore);
  });

  test('a sound file is written, audited, and matches children by reference', async () => {
    const existing = await t.fx.child(o.org, { firstName: 'Eve', reference: 'E-1', dob: '2011-01-01' });
    await t.fx.placement(o.org, existing, o.households['Alder House'], '2023-01-01', null);
    const r = await importCsv(
      csvOf([
        // Case and spacing of household names and enum values do not matter.
        row({
          child_reference: 'E-1',
          first_name: 'eve',
          date_of_birth: '2011-01-01',
          start_date: '2020-01-01',
          end_date: '2023-01-01',
          end_reason: 'carpl',
          unplanned: 'FALSE',
          household: ' birch house ',
          kind: 'short_term',
        }),
        row({ child_reference: 'F-1', first_name: 'Fay', date_of_birth: '2014-04-04', start_date: '2021-01-01', setting: 'RESIDENTIAL', household: '' }),
      ]),
    );
    expect(r).toEqual({ imported: 2, childrenCreated: 1, rowErrors: [], userErrors: [] });
    const eve = await t.fx.sql(`select household_id, kind, end_reason, unplanned from placement where child_id = $1 order by start_date`, [existing]);
    expect(eve[0]).toEqual({ household_id: o.households['Birch House'], kind: 'SHORT_TERM', end_reason: 'CARPL', unplanned: false });
    const fay = await t.fx.sql(
      `select c.first_name, pl.setting, pl.provider_name, pl.household_id from child c join placement pl on pl.child_id = c.id where c.reference = 'F-1' and c.organisation_id = $1`,
      [o.org],
    );
    expect(fay).toEqual([{ first_name: 'Fay', setting: 'RESIDENTIAL', provider_name: null, household_id: null }]);
    const audit = await t.fx.sql(`select actor_id, subject_id, summary from audit_event where organisation_id = $1 and action = 'Placement.importHistory'`, [o.org]);
    expect(audit).toHaveLength(1);
    expect(audit[0].subject_id).toBe(gid('Organisation', o.org));
    expect(audit[0].summary).toMatchObject({ imported: 2, childrenCreated: 1 });
  });

  test('every kind of bad row is reported with its line and column', async () => {
    const existing = await t.fx.child(o.org, { firstName: 'Gus', reference: 'G-1', dob: '2013-03-03' });
    await t.fx.placement(o.org, existing, o.households['Alder House'], '2020-01-01', '2022-01-01', { reason: 'CARPL', unplanned: false });
    const csv = csvOf([
      /* 2 */ row({ child_reference: 'H-1', first_name: 'Hal', start_date: '2019-01-01', end_date: '2020-01-01', end_reason: 'CARPL', unplanned: 'false' }),
      /* 3 */ row({ child_reference: 'H-1', first_name: 'Hal', start_date: '2019-06-01', end_date: '2020-06-01', end_reason: 'CREQO', unplanned: 'true' }), // overlaps row 2
      /* 4 */ row({ child_reference: 'H-1', first_name: 'Hal', date_of_birth: '2012-03-05', start_date: '2021-01-01', end_date: '2021-02-01', end_reason: 'CARPL', unplanned: 'false' }),
      /* 5 */ row({ child_reference: 'G-1', first_name: 'Gus', date_of_birth: '2013-03-03', start_date: '2021-06-01', end_date: '2021-07-01', end_reason: 'CARPL', unplanned: 'false' }), // overlaps existing
      /* 6 */ row({ child_reference: 'G-1', first_name: 'Gus', date_of_birth: '2013-03-04', start_date: '2018-01-01', end_date: '2018-02-01', end_reason: 'CARPL', unplanned: 'false' }),
      /* 7 */ row({ child_reference: 'I-1', first_name: 'Ida', household: 'Twin' }), // ambiguous
      /* 8 */ row({ child_reference: 'J-1', first_name: 'Jo', end_reason: 'CARPL', unplanned: 'true' }), // open but reason given
      /* 9 */ row({ child_reference: 'K-1', first_name: 'Kit', end_date: '2020-01-01' }), // ended without reason
      /* 10 */ row({ child_reference: 'L-1', first_name: 'Lou', end_date: '2020-01-01', end_reason: 'BORED', unplanned: 'maybe' }),
      /* 11 */ row({ child_reference: 'M-1', first_name: 'Mo', kind: 'FOREVER', setting: 'CASTLE' }),
      /* 12 */ row({ child_reference: 'N-9', first_name: 'Ned', start_date: '2010-01-01' }), // before birth
      /* 13 */ row({ child_reference: 'O-1', first_name: 'Oz', start_date: day(5) }), // in the future
      /* 14 */ row({ child_reference: '', first_name: '', date_of_birth: '', start_date: '', kind: '' }),
      /* 15 */ row({ child_reference: 'P-1', first_name: 'Pip', setting: 'FOSTER_HOUSEHOLD', household: '' }),
    ]);
    const r = await importCsv(csv);
    expect(r.imported).toBeNull();
    expect(r.rowErrors.map((e) => [e.row, e.column])).toEqual([
      [3, 'start_date'],
      [4, 'date_of_birth'],
      [5, 'start_date'],
      [6, 'date_of_birth'],
      [7, 'household'],
      [8, 'end_reason'],
      [8, 'unplanned'],
      [9, 'end_reason'],
      [9, 'unplanned'],
      [10, 'end_reason'],
      [10, 'unplanned'],
      [11, 'kind'],
      [11, 'setting'],
      [12, 'start_date'],
      [13, 'start_date'],
      [14, 'child_reference'],
      [14, 'first_name'],
      [14, 'date_of_birth'],
      [14, 'start_date'],
      [14, 'kind'],
      [15, 'household'],
    ]);
    const msg = (line: number) => r.rowErrors.filter((e) => e.row === line).map((e) => e.message);
    expect(msg(3)).toEqual(['Overlaps row 2 (2019-01-01 to 2020-01-01) for the same child.']);
    expect(msg(4)).toEqual(['date_of_birth differs from row 2 (2012-03-04) for the same child.']);
    expect(msg(5)).toEqual(['Overlaps a placement already recorded for this child (2020-01-01 to 2022-01-01).']);
    expect(msg(6)).toEqual(['Child G-1 is already recorded with date_of_birth 2013-03-03.']);
    expect(msg(7)).toEqual(['2 households are called "Twin": rename one so the name says which.']);
    expect(msg(13)).toEqual(['start_date is in the future: import only what has happened.']);
  });

  test('malformed files', async () => {
    // No header: the first episode is read as one and named as unknown columns.
    const noHeader = csvOf([row({})])
      .split('\n')
      .slice(1)
      .join('\n');
    const h = (await importCsv(noHeader)).rowErrors;
    expect(h.every((e) => e.row === 1)).toBe(true);
    expect(h[0].message).toMatch(/^Unknown column "C-1": the columns are child_reference, first_name/);
    expect(h[h.length - 1].message).toMatch(/^The header row is missing the columns child_reference, first_name/);

    const missing = await importCsv(
      csvOf(
        [row({})],
        HISTORY_COLUMNS.filter((c) => c !== 'kind'),
      ),
    );
    expect(missing.rowErrors).toEqual([{ row: 1, column: null, message: 'The header row is missing the column kind.' }]);
    const twice = await importCsv(`${HISTORY_COLUMNS.join(',')},kind\n`);
    expect(twice.rowErrors).toEqual([{ row: 1, column: 'kind', message: 'Column kind appears more than once.' }]);

    expect(await importCsv('')).toMatchObject({ rowErrors: [{ row: 1, column: null, message: expect.stringMatching(/^The file is empty/) }] });
    expect((await importCsv(`${HISTORY_COLUMNS.join(',')}\n`)).rowErrors).toEqual([{ row: null, column: null, message: 'The file has no rows below the header.' }]);
    const unclosed = await importCsv(`${HISTORY_COLUMNS.join(',')}\nC-1,"Amy,2012-03-04\n`);
    expect(unclosed.rowErrors).toHaveLength(1);
    expect(unclosed.rowErrors[0].message).toMatch(/^The file is not valid CSV: Quote Not Closed/);
    // Rows with the wrong number of values are reported by line; blank lines count as lines.
    const ragged = await errorsOf(`${HISTORY_COLUMNS.join(',')}\n\nC-1,Amy\n${Object.values(row({})).join(',')},extra\n`);
    expect(ragged).toEqual([
      [3, null],
      [4, null],
    ]);
    // A quoted line break keeps the next row's line number right.
    const multiline = csvOf([row({ household: 'Nowhere\nHouse' }), row({ child_reference: 'Z-9', household: 'Nowhere' })]);
    expect(await errorsOf(multiline)).toEqual([
      [2, 'household'],
      [4, 'household'],
    ]);
  });

  test('characters outside the BMP survive wherever the file is cut into pieces for parsing', async () => {
    const fox = await t.fx.household(o.org, { name: '🦊 Fox House' });
    const head = csvOf([]);
    const filler = (i: number, provider: string) => `${['S-' + i, 'Sam', '2012-03-04', '2019-01-01', '2019-02-01', 'CARPL', 'RESIDENTIAL', provider, 'SHORT_TERM', 'false'].join(',')}\n`;
    let body = '';
    let i = 0;
    while ((head + body).length < 65_300) body += filler(i++, 'Lodge');
    const foxRow = ['S-fox', 'Sid', '2012-03-04', '2019-01-01', '', '', 'FOSTER_HOUSEHOLD', '🦊 Fox House', 'LONG_TERM', ''].join(',');
    // Pad one more row so the fox's high surrogate is the last UTF-16 unit of the first 64 KiB piece.
    const before = head.length + body.length + foxRow.indexOf('🦊');
    body += filler(i++, 'L'.repeat(65_535 - before - filler(i, '').length));
    const csv = head + body + foxRow + '\n';
    expect(csv.charCodeAt(65_535)).toBe('🦊'.charCodeAt(0));
    const r = await importCsv(csv);
    expect(r.rowErrors).toEqual([]);
    const placed = await t.fx.sql(`select pl.household_id from placement pl join child c on c.id = pl.child_id where c.reference = 'S-fox' and c.organisation_id = $1`, [o.org]);
    expect(placed).toEqual([{ household_id: fox }]);
  });

  test('caps the size of a file', async () => {
    const header = `${HISTORY_COLUMNS.join(',')}\n`;
    const line = `${Object.values(row({})).join(',')}\n`;
    const tooMany = header + line.repeat(50_001);
    const r = await importPlacementHistoryAsSystem(t.db.orm.em.fork(), o.org, tooMany);
    expect(r.rowErrors).toEqual([{ row: null, column: null, message: 'The file has more than 50000 rows: split it into several imports.' }]);
    const tooBig = await importPlacementHistoryAsSystem(t.db.orm.em.fork(), o.org, header + 'x'.repeat(21 * 1024 * 1024));
    expect(tooBig.rowErrors[0].message).toBe('The file is larger than 20 MB: split it into several imports.');
    // Through the API the request size limit comes first.
    const res = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${o.manager.token}` },
      body: JSON.stringify({ query: IMPORT, variables: { i: { csv: header + line.repeat(20_000) } } }),
    });
    expect(res.status).toBe(413);
  });

  test('only administrators and fostering managers may import; replays are idempotent', async () => {
    const ssw = await t.fx.user(o.org, 'SUPERVISING_SOCIAL_WORKER');
    const csv = csvOf([row({ child_reference: 'Q-1', first_name: 'Quin' })]);
    const refused = await importCsv(csv, ssw.token);
    expect(refused).toEqual({ imported: null, childrenCreated: null, rowErrors: [], userErrors: [expect.objectContaining({ code: 'FORBIDDEN' })] });
    const anonymous = await t.gql(IMPORT, { i: { csv } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const admin = await t.fx.user(o.org, 'ADMIN');
    const first = await importCsv(csv, admin.token, { 'idempotency-key': 'import-q-1' });
    const replay = await importCsv(csv, admin.token, { 'idempotency-key': 'import-q-1' });
    expect(first).toEqual({ imported: 1, childrenCreated: 1, rowErrors: [], userErrors: [] });
    expect(replay).toEqual(first);
    expect((await t.fx.sql(`select count(*)::int n from child where organisation_id = $1 and reference = 'Q-1'`, [o.org]))[0].n).toBe(1);
  });

  test('the command line imports as the system (no actor) and reports problems with exit code 1', async () => {
    const org = await t.fx.organisation('Command Line Council');
    await t.fx.household(org, { name: 'Alder House' });
    const good = csvOf([row({ child_reference: 'CLI-1' })]);
    const bad = csvOf([row({ child_reference: 'CLI-2', start_date: '2019-13-01' })]);
    if (embedded()) {
      // The embedded database has one connection, held by this test's service: run the CLI's service in-process.
      expect(await importPlacementHistoryAsSystem(t.db.orm.em.fork() as any, org, good)).toEqual({ imported: 1, childrenCreated: 1, rowErrors: [] });
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubnet-import-'));
      fs.writeFileSync(path.join(dir, 'good.csv'), good);
      fs.writeFileSync(path.join(dir, 'bad.csv'), bad);
      const run = (file: string) =>
        promisify(execFile)('npx', ['ts-node', '--transpile-only', 'src/app/cli.ts', 'import:placements', path.join(dir, file), '--organisation', org], {
          cwd: path.resolve(__dirname, '../..'),
          env: { ...process.env, DATABASE_URL: t.db.url, LOG_LEVEL: 'silent' },
        }).then(
          (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
          (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
        );
      const [ok, failed] = await Promise.all([run('good.csv'), run('bad.csv')]);
      expect(ok).toMatchObject({ code: 0, stdout: 'Imported 1 placement(s) into Command Line Council; 1 child record(s) created.\n' });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('row 2 start_date: start_date must be a real date written YYYY-MM-DD (got "2019-13-01").');
      fs.rmSync(dir, { recursive: true });
    }
    expect(await counts(org)).toEqual({ children: 1, placements: 1 });
    const audit = await t.fx.sql(`select actor_id, summary from audit_event where organisation_id = $1 and action = 'Placement.importHistory'`, [org]);
    expect(audit).toEqual([{ actor_id: null, summary: { imported: 1, childrenCreated: 1, via: 'cli' } }]);
  }, 120_000);
});

describe('export', () => {
  test('bearer token required; staff who read the organisation only', async () => {
    const w = await t.fx.world();
    await t.fx.sql(`update child set reference = 'W-' || first_name where organisation_id = $1`, [w.org]);
    expect((await exportCsv(null)).status).toBe(401);
    expect((await exportCsv('not-a-token')).status).toBe(401);
    expect((await exportCsv(w.carerA.token)).status).toBe(403);
    expect((await exportCsv(w.hubCarer.token)).status).toBe(403);
    expect((await exportCsv(w.liaison.token)).status).toBe(403);
    expect((await exportCsv(w.admin.token, { method: 'POST' })).status).toBe(405);
    for (const token of [w.admin.token, w.manager.token, w.ssw.token]) {
      const r = await exportCsv(token);
      expect(r.status).toBe(200);
      expect(records(r.text).map((x) => x.child_reference)).toEqual(['W-Amy', 'W-Ava', 'W-Ben', 'W-Cal']);
    }
    // The other organisation's administrator gets their own (empty) history, never ours.
    await t.fx.placement(w.org2, w.foreignChild, w.foreignHousehold, day(-30));
    const foreign = await exportCsv(w.foreignAdmin.token);
    expect(records(foreign.text).map((x) => [x.first_name, x.household])).toEqual([['Fay', 'Foreign House']]);
    const audit = await t.fx.sql(`select count(*)::int n from audit_event where organisation_id = $1 and action = 'Placement.exportHistory'`, [w.org]);
    expect(audit[0].n).toBe(3);
  });

  test('a large export is streamed in pages and arrives complete and in order', async () => {
    const org = await t.fx.organisation('Large Council');
    const admin = await t.fx.user(org, 'ADMIN');
    const hh = await t.fx.household(org, { name: 'Big House', maxChildren: 20 });
    await t.fx.sql(
      `insert into child (organisation_id, reference, first_name, date_of_birth)
       select $1, 'R' || lpad(i::text, 5, '0'), 'Child ' || i, date '2012-01-01' + i from generate_series(1, 2500) i`,
      [org],
    );
    await t.fx.sql(
      `insert into placement (organisation_id, child_id, household_id, setting, kind, start_date, end_date, end_reason, unplanned)
       select $1::uuid, c.id, null::uuid, 'RESIDENTIAL', 'SHORT_TERM', date '2020-01-01', date '2021-01-01', 'CARPL', false from child c where c.organisation_id = $1
       union all
       select $1::uuid, c.id, $2::uuid, 'FOSTER_HOUSEHOLD', 'LONG_TERM', date '2021-01-01', null, null, null from child c where c.organisation_id = $1`,
      [org, hh],
    );
    const r = await exportCsv(admin.token);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-length')).toBeNull();
    expect(r.headers.get('transfer-encoding')).toBe('chunked');
    const rows = records(r.text);
    expect(rows).toHaveLength(5000);
    const keys = rows.map((x) => `${x.child_reference} ${x.start_date}`);
    expect(new Set(keys).size).toBe(5000);
    expect(keys).toEqual([...keys].sort());
    expect(rows[0]).toEqual({
      child_reference: 'R00001',
      first_name: 'Child 1',
      date_of_birth: '2012-01-02',
      start_date: '2020-01-01',
      end_date: '2021-01-01',
      end_reason: 'CARPL',
      setting: 'RESIDENTIAL',
      household: '',
      kind: 'SHORT_TERM',
      unplanned: 'false',
    });
    expect(rows[4999]).toMatchObject({ child_reference: 'R02500', start_date: '2021-01-01', household: 'Big House', end_date: '' });
  });
});
