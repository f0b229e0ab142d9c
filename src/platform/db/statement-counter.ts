import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Counts the SQL statements each request sends, so tests and benchmarks can hold the number of
 * statements to the query's shape. One patch of pg's Client.query; free when no request is
 * being counted.
 */
const store = new AsyncLocalStorage<{ count: number }>();
let patched = false;

export function installStatementCounter(): void {
  if (patched) return;
  patched = true;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function patchedQuery(this: unknown, ...args: unknown[]) {
    const s = store.getStore();
    if (s) s.count++;
    return original.apply(this, args);
  };
}

export function countStatements<T>(fn: () => T): { result: T; counter: { count: number } } {
  const counter = { count: 0 };
  const result = store.run(counter, fn);
  return { result, counter };
}

/** Statements sent so far by the request this call runs in (null outside a counted request). */
export function currentStatementCount(): number | null {
  return store.getStore()?.count ?? null;
}
