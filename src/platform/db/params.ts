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
