import type { TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { ORG_WIDE, type ViewerKind } from './viewers';

/**
 * Who may do what: the table the authorisation test runs, and the source of
 * docs/authorization.md (`npm run authz:doc`). Each row runs its operation as every kind of
 * viewer; `allowed` lists the viewers for whom it must succeed, everyone else must be refused
 * (an UNAUTHENTICATED/FORBIDDEN error, a FORBIDDEN/NOT_FOUND userError, or a null/empty answer).
 */
export type Outcome = 'allowed' | 'denied' | { unexpected: string };

export interface MatrixCtx {
  t: TestApp;
  w: Awaited<ReturnType<TestApp['fx']['world']>>;
  token(v: ViewerKind): string | null;
}

export interface Row {
  area: string;
  operation: string;
  allowed: readonly ViewerKind[];
  note?: string;
  /**
   * The rule the row exercises, as `<file>#<export>` of a file under src/ (e.g.
   * `sleepover.policy#seesSleepoverDetails`, or `scope#constellationVisible` for a SQL scope).
   * Every row about a field of an object type names one; matrix.test.ts checks that it exists.
   */
  policy?: string;
  run(m: MatrixCtx, v: ViewerKind): Promise<Outcome>;
}

const DENY_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

/** A query whose answer at `pick` is present when allowed and null/empty (or refused) when not. */
export function query(query: string, vars: (m: MatrixCtx) => Record<string, unknown>, pick: (data: any) => unknown) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const r = await m.t.gql(query, vars(m), { token: m.token(v) });
    const code = r.errors?.[0]?.extensions?.code as string | undefined;
    if (code && DENY_CODES.has(code)) return 'denied';
    if (r.errors?.length) return { unexpected: JSON.stringify(r.errors) };
    const value = pick(r.data);
    if (value == null || (Array.isArray(value) && value.length === 0)) return 'denied';
    return 'allowed';
  };
}

/** A mutation: allowed when it returns no userErrors; refused by error, or FORBIDDEN/NOT_FOUND userError. */
export function mutation(doc: string, field: string, input: (m: MatrixCtx, v: ViewerKind) => Promise<Record<string, unknown>> | Record<string, unknown>) {
  return async (m: MatrixCtx, v: ViewerKind): Promise<Outcome> => {
    const r = await m.t.gql(doc, { i: await input(m, v) }, { token: m.token(v) });
    const code = r.errors?.[0]?.extensions?.code as string | undefined;
    if (code && DENY_CODES.has(code)) return 'denied';
    if (r.errors?.length) return { unexpected: JSON.stringify(r.errors) };
    const errs: { code: string }[] = r.data[field].userErrors;
    if (!errs.length) return 'allowed';
    if (errs.every((e) => e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND')) return 'denied';
    return { unexpected: JSON.stringify(errs) };
  };
}

export const ALL_ORG: ViewerKind[] = ['admin', 'manager', 'ssw', 'liaison', 'otherLiaison', 'hubCarer', 'carer', 'otherCarer'];
export const RIVERSIDE: ViewerKind[] = [...ORG_WIDE, 'liaison', 'hubCarer', 'carer'];
export const NODE = (type: string, pick: (w: MatrixCtx['w']) => string, fields = 'id') =>
  query(`query($id: ID!) { node(id: $id) { ... on ${type} { ${fields} } } }`, (m) => ({ id: gid(type, pick(m.w)) }), (d) => d?.node?.id);

let n = 0;
export const uniq = () => `${Date.now().toString(36)}${++n}`;

