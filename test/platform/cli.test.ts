import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServiceProcess } from '../support/process';

/**
 * The operator entry points, run as real processes the way an operator runs them: the CLI's
 * org:create and --help, and the bootstrap administrator of a first start. Each uses its own
 * embedded database in a temporary directory, so this runs anywhere.
 */
const ROOT = path.resolve(__dirname, '../..');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'src/app/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', TS_NODE_TRANSPILE_ONLY: '1', ...env } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hubnet-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('--help explains the commands', async () => {
  const r = await cli(['--help'], { HUBNET_DATA_DIR: dir });
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/org:create --name N --kind LOCAL_AUTHORITY\|INDEPENDENT_FOSTERING_AGENCY/);
});

test('org:create onboards an organisation with its administrator, once', async () => {
  const args = ['org:create', '--name', 'Leeds City Council', '--kind', 'LOCAL_AUTHORITY', '--admin-email', 'Admin@Leeds.example', '--admin-password', 'a long passphrase'];
  const first = await cli(args, { HUBNET_DATA_DIR: dir });
  expect(first.out).toMatch(/Created organisation [0-9a-f-]{36} with administrator/);
  expect(first.code).toBe(0);
  const again = await cli(args, { HUBNET_DATA_DIR: dir });
  expect(again.code).toBe(1);
  expect(again.out).toMatch(/admin@leeds\.example already has a login/);
  const bad = await cli(['org:create', '--name', 'X', '--kind', 'PARISH', '--admin-email', 'nope', '--admin-password', 'short'], { HUBNET_DATA_DIR: dir });
  expect(bad.code).toBe(1);
  expect(bad.out).toMatch(/--kind must be one of/);
  expect(bad.out).toMatch(/--admin-email is not an email address/);
}, 120_000);

test('a first start creates the bootstrap administrator, who can log in', async () => {
  const svc = await startServiceProcess({
    HUBNET_DATA_DIR: dir,
    DATABASE_URL: '',
    JWT_SECRET: 'bootstrap-test-secret-0123456789',
    HUBNET_BOOTSTRAP_ADMIN_EMAIL: 'first@council.example',
    HUBNET_BOOTSTRAP_ADMIN_PASSWORD: 'first admin passphrase',
    HUBNET_BOOTSTRAP_ORGANISATION: 'First Council',
    HUBNET_WORKER: '0',
  });
  try {
    const res = await fetch(svc.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { login(input: { email: "first@council.example", password: "first admin passphrase" }) { token user { role organisation { name } } userErrors { code } } }`,
      }),
    });
    const body = (await res.json()) as any;
    expect(body.data.login.userErrors).toEqual([]);
    expect(body.data.login.user).toEqual({ role: 'ADMIN', organisation: { name: 'First Council' } });
  } finally {
    expect(await svc.stop()).toBe(0);
  }
}, 240_000);
