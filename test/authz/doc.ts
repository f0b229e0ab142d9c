import { ROWS } from './matrix';
import { VIEWER_LABELS, VIEWERS } from './viewers';

/** docs/authorization.md, written from the matrix the test runs, so the two cannot disagree. */
export function authorizationDoc(): string {
  const head = `| area | operation | ${VIEWERS.map((v) => VIEWER_LABELS[v]).join(' | ')} | note | policy |`;
  const rule = `|${' --- |'.repeat(VIEWERS.length + 4)}`;
  const body = ROWS.map((r) => `| ${r.area} | ${r.operation} | ${VIEWERS.map((v) => (r.allowed.includes(v) ? 'yes' : '—')).join(' | ')} | ${r.note ?? ''} | ${r.policy ? `\`${r.policy}\`` : ''} |`);
  return [
    '# Who may do what',
    '',
    'Generated from `test/authz/matrix.ts` by `npm run authz:doc`; `test/authz/matrix.test.ts` runs every row as every',
    'kind of viewer against the real service and fails when the service and this table disagree.',
    '"yes": the operation succeeds (or the field is non-null). "—": refused (UNAUTHENTICATED/FORBIDDEN, a FORBIDDEN or',
    'NOT_FOUND userError, or null/empty, exactly as for an unknown id). Lists marked "scoped" are allowed to everyone',
    'listed and return only what that viewer may see. "policy" names the function under `src/` that decides each row',
    '(`<file>#<function>`, the file by its path from `src/` where two share a name): for a mutation the role guard or',
    'permission check its service refuses with, for a list, node() or subscription the scope or delivery rule, for a field',
    "its module's `*.policy.ts`.",
    '',
    head,
    rule,
    ...body,
    '',
  ].join('\n');
}
