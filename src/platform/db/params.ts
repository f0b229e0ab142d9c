/** Numbered SQL parameters, so scoped fragments compose without counting by hand. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v === undefined ? null : v);
    return `$${this.values.length}`;
  }
}

/** `s` as literal text inside a LIKE/ILIKE pattern (PostgreSQL's default escape character, `\`). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An ILIKE pattern matching text that contains what the user typed (trimmed, at most `max` characters). */
export function containsPattern(search: string, max = 100): string {
  return `%${escapeLike(search.trim().slice(0, max))}%`;
}

/**
 * The parents of a batched read, as rows `alias(parent_id)` to join each parent's rows to. One
 * parent, a screen's usual batch, is one row rather than an unnest of a one-element array: for an
 * array parameter PostgreSQL's generic plan reckons on ten elements, so it costs the statement ten
 * times what the plan for the actual values costs and keeps planning every request afresh.
 */
export function parentRows(p: Params, ids: readonly string[], alias: string): string {
  return ids.length === 1 ? `(values (${p.add(ids[0])}::uuid)) as ${alias}(parent_id)` : `unnest(${p.add(ids)}::uuid[]) as ${alias}(parent_id)`;
}

/**
 * `and <key> <op> (<the cursor's values>)` for a page after a cursor, and nothing for a first
 * page. Written only when there is a cursor, rather than as `$n is null or …`: PostgreSQL plans
 * such a branch for every request, where each of the two texts keeps one plan.
 */
export function afterCursor(p: Params, key: string, after: readonly unknown[] | null, casts: readonly string[], op: '>' | '<' = '>'): string {
  if (!after) return '';
  return `and ${key} ${op} (${after.map((v, i) => `${p.add(v)}::${casts[i]}`).join(', ')})`;
}

/**
 * `<column> = <the key>` for one key, `<column> = any(<the keys>)` for several: a loader's batch
 * is mostly one key, and for an array parameter PostgreSQL's generic plan reckons on ten, costs
 * the statement above the plan for the actual value and so plans every request afresh.
 */
export function keyIn(p: Params, column: string, keys: readonly unknown[], type = 'uuid'): string {
  return keys.length === 1 ? `${column} = ${p.add(keys[0])}::${type}` : `${column} = any(${p.add(keys)}::${type}[])`;
}
