import { spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');

/** The flags Hubnet is deployed with (package.json start:prod, Dockerfile); both bench servers get them. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** Compiles the service as it is deployed (`npm run build`, then `node dist/src/app/main.js`). */
export function buildService(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** Waits until a GraphQL server answers at `url` (about a minute at most), or its process has exited. */
export async function waitForGraphql(url: string, child: ChildProcess, describe: () => string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
      return;
    } catch {
      if (i > 300 || child.exitCode !== null) throw new Error(`${describe()} did not start`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
