import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { emittedSchemaText, SCHEMA_FILE } from '../src/app/schema';

/**
 * CI guard for the API contract:
 * 1. schema/schema.graphql is what the code emits (run `npm run schema:emit` after a change);
 * 2. the emitted schema keeps everything ../shared/api/contract.graphql names, compatibly
 *    (graphql-inspector's breaking changes, contract → ours), except the parts still to come.
 *
 * PENDING lists contract coordinates not built yet. Shrink it as capabilities land: a pending
 * entry that is in fact present fails the check too, so the list cannot go stale.
 */
const PENDING: string[] = [];

const CONTRACT_FILE = path.resolve(__dirname, '../../shared/api/contract.graphql');

/** Where a change is; schema-level changes (a root type removed) carry no path. */
function coordinateOf(c: { path?: string; type: string; message: string }): string {
  if (c.path) return c.path;
  const m = /'(\w+)'/.exec(c.message);
  return m ? m[1] : c.type;
}

function isPending(coordinate: string): boolean {
  return PENDING.some((p) => coordinate === p || coordinate.startsWith(`${p}.`));
}

async function main() {
  let failed = false;
  const emitted = emittedSchemaText();
  const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (emitted !== committed) {
    failed = true;
    console.error('schema/schema.graphql is stale: run `npm run schema:emit` and commit it.');
  } else {
    console.log('schema/schema.graphql matches the code');
  }

  const contract = buildSchema(fs.readFileSync(CONTRACT_FILE, 'utf8'));
  const ours = buildSchema(emitted);
  const changes = await diff(contract, ours);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const unexpected = breaking.filter((c) => !isPending(coordinateOf(c)));
  const pendingHits = breaking.filter((c) => isPending(coordinateOf(c)));
  if (unexpected.length) {
    failed = true;
    console.error(`The emitted schema breaks the contract in ${unexpected.length} place(s):`);
    for (const c of unexpected) console.error(`  ${coordinateOf(c)}: ${c.message}`);
  }
  // A pending entry that is no longer missing must leave the list, so the check tightens.
  const stale = PENDING.filter((p) => !pendingHits.some((c) => coordinateOf(c) === p || coordinateOf(c).startsWith(`${p}.`)));
  if (stale.length) {
    failed = true;
    console.error(`These contract parts are built now; remove them from PENDING in scripts/schema-check.ts: ${stale.join(', ')}`);
  }
  if (!unexpected.length && !stale.length) {
    console.log(`contract check: compatible; ${PENDING.length} contract part(s) still to come`);
  }
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
