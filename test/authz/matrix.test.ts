import fs from 'node:fs';
import path from 'node:path';
import { vapidEnv } from '../notifications/support';
import { startTestApp, type TestApp } from '../support/app';
import { day } from '../support/fixtures';
import { authorizationDoc } from './doc';
import { ROWS, type MatrixCtx } from './matrix';
import { VIEWERS, type ViewerKind } from './viewers';

let t: TestApp;
let m: MatrixCtx;
beforeAll(async () => {
  // Web Push configured, so registering a browser is a real answer rather than INVALID_STATE.
  t = await startTestApp({ PUSH_ENDPOINT_HOSTS: 'push.example.test', ...vapidEnv() });
  const w = await t.fx.world();
  // An ended placement for the staff-only ending fields, and a deactivated user's still-signed token.
  await t.fx.sql(`update placement set start_date = $1 where id = $2`, [day(-200), w.placementA]);
  await t.fx.placement(w.org, w.childA, w.satA, day(-400), day(-200), { reason: 'CARPL' });
  const deactivated = await t.fx.user(w.org, 'FOSTERING_MANAGER', { active: false });
  const tokens: Record<ViewerKind, string | null> = {
    anonymous: null,
    admin: w.admin.token,
    manager: w.manager.token,
    ssw: w.ssw.token,
    liaison: w.liaison.token,
    otherLiaison: w.otherLiaison.token,
    hubCarer: w.hubCarer.token,
    carer: w.carerA.token,
    otherCarer: w.carer2.token,
    foreignAdmin: w.foreignAdmin.token,
    deactivated: deactivated.token,
  };
  m = { t, w, token: (v) => tokens[v] };
});
afterAll(async () => t.stop());

const cases = ROWS.flatMap((row) => VIEWERS.map((v) => [row.operation, v, row] as const));

test.each(cases)('%s as %s', async (_op, viewer, row) => {
  const outcome = await row.run(m, viewer);
  expect(outcome).toEqual(row.allowed.includes(viewer) ? 'allowed' : 'denied');
});

const SRC = path.resolve(__dirname, '../../src');

/** Every file under src/ by its name without `.ts` (`sleepover.policy`), for the rows' `policy`. */
function sourceFiles(dir: string, out = new Map<string, string[]>()): Map<string, string[]> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(full, out);
    else if (e.name.endsWith('.ts')) out.set(e.name.slice(0, -3), [...(out.get(e.name.slice(0, -3)) ?? []), full]);
  }
  return out;
}

test('every row names its policy, and every policy named is a function exported by that file', () => {
  const files = sourceFiles(SRC);
  const problems: string[] = [];
  for (const row of ROWS) {
    if (!row.policy) {
      problems.push(`${row.operation}: no policy`);
      continue;
    }
    const [file, name] = row.policy.split('#');
    // A name two files share is given by its path from src/ (auth/viewer, not viewer).
    const found = file.includes('/') ? [path.join(SRC, `${file}.ts`)].filter((f) => fs.existsSync(f)) : (files.get(file) ?? []);
    if (found.length !== 1) {
      problems.push(`${row.operation}: ${file} names ${found.length} files under src/`);
      continue;
    }
    if (!name || !new RegExp(`export (async )?function ${name}\\(`).test(fs.readFileSync(found[0], 'utf8'))) problems.push(`${row.operation}: ${file} exports no function ${name}`);
  }
  expect(problems).toEqual([]);
});

test('docs/authorization.md is the table this test runs', () => {
  const file = path.resolve(__dirname, '../../docs/authorization.md');
  expect(fs.readFileSync(file, 'utf8')).toBe(authorizationDoc());
});
