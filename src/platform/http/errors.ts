import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Ctx } from '../context';
import { isLimitError } from './limits';

/**
 * What a client may read of an error, the same over HTTP and WebSocket: codes a client may see
 * pass as they are; anything else is masked, with the request id to quote to support.
 */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'TRUSTED_DOCUMENTS_ONLY',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function isClientError(code: unknown): boolean {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/**
 * graphql-js quotes a refused variable value in full ("Variable "$i" got invalid value …"): a
 * 100 kB string would come straight back. Long quoted values are cut; the explanation stays.
 */
function shortenMessage(message: string): string {
  const cut = message.replace(/"((?:[^"\\]|\\.){60})(?:[^"\\]|\\.)+"/g, '"$1…"');
  return cut.length > 2000 ? `${cut.slice(0, 2000)}…` : cut;
}

/**
 * Once introspection is off, error texts must not map the schema for an attacker: no "did you
 * mean" (fields, arguments, types and enum values alike), and a refused variable is explained
 * without naming the input and enum types behind it.
 */
function hideSchemaDetails(message: string): string {
  let m = message.replace(/ ?Did you mean [^?]*\?/g, '');
  if (m.startsWith('Variable "$')) {
    m = m
      .replace(/ of (?:required )?type "[^"]*"/g, '')
      .replace(/ (?:is not defined )by type "[^"]*"/g, ' is not defined')
      .replace(/ does not exist in "[^"]*" enum/g, ' is not one of the allowed values')
      .replace(/Expected type "[^"]*"/g, 'Expected another type');
  }
  return m;
}

/** Apollo's own refusals that arrive without a code, and what they are. */
const UNCODED_CLIENT_ERRORS: [RegExp, string][] = [
  // An automatic persisted query whose hash is not the hash of the query sent with it.
  [/^provided sha does not match query$/, 'BAD_REQUEST'],
];

/** Masks the unexpected: message replaced, code INTERNAL_SERVER_ERROR; the request id is added by the transport. */
export function formatError(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
  if (isLimitError(formatted.message)) {
    return { message: formatted.message.replace(/^Syntax Error: /, ''), extensions: { code: 'QUERY_TOO_COMPLEX' } };
  }
  if (formatted.message.startsWith('Syntax Error:')) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
  }
  let code = formatted.extensions?.code as string | undefined;
  const uncoded = UNCODED_CLIENT_ERRORS.find(([re]) => re.test(formatted.message));
  if (uncoded) code = uncoded[1];
  if (isClientError(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const message = shortenMessage(production ? hideSchemaDetails(formatted.message) : formatted.message);
    return { ...formatted, message, extensions: { ...extensions, code } };
  }
  const requestId = formatted.extensions?.requestId;
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } };
}

/**
 * One error per distinct refusal: a document repeating a mistake fifty times (a directive, an
 * unknown field) is answered once, with the places it occurs, not with fifty errors. A document
 * over a limit is answered with that alone: what else is wrong with it is noise.
 */
const MAX_LOCATIONS = 10;
export function collapseErrors<E extends GraphQLFormattedError>(errors: readonly E[]): E[] {
  const tooComplex = errors.filter((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
  const byKey = new Map<string, E>();
  for (const e of tooComplex.length ? tooComplex : errors) {
    const key = `${String(e.extensions?.code)}\u0000${e.message}\u0000${(e.path ?? []).join('.')}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...e });
      continue;
    }
    const locations = [...(seen.locations ?? [])];
    for (const l of e.locations ?? []) {
      if (locations.length < MAX_LOCATIONS && !locations.some((x) => x.line === l.line && x.column === l.column)) locations.push(l);
    }
    (seen as { locations?: GraphQLFormattedError['locations'] }).locations = locations;
  }
  return [...byKey.values()];
}

/** Logs what was masked (with the request id); adds the request id to masked errors; collapses repeats. */
export function errorPlugin(): ApolloServerPlugin<Ctx> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          logUnexpected(contextValue, errors);
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          result.errors = collapseErrors(result.errors);
          for (const e of result.errors) {
            if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}

export function logUnexpected(ctx: Pick<Ctx, 'log'>, errors: readonly GraphQLError[]): void {
  for (const err of errors) {
    if (isClientError(err.extensions?.code)) continue;
    ctx.log.error({ err: err.originalError ?? err, path: err.path }, 'unexpected error');
  }
}
