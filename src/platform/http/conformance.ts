import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Status codes as the GraphQL-over-HTTP specification sets them for a request that was well-formed
 * HTTP but could not run (its document does not parse or validate, or its variables do not fit).
 *
 * - `application/graphql-response+json`: 400, whatever stage refused it. Apollo answers some of
 *   these with 500 (graphql-armor refuses over-long documents from inside a plugin hook, and a
 *   syntax error it meets there is reported from the same place).
 * - `application/json` (the legacy media type): 200 — a client of that type learns the outcome
 *   from `errors`, not from the status.
 *
 * Anything else keeps its status: a malformed HTTP request (BAD_REQUEST), an expired token (401),
 * trusted-document refusals (400 by design), internal failures (500).
 */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX', 'OPERATION_RESOLUTION_FAILURE']);

export function conformingStatus(status: number, contentType: string | undefined, body: { kind: string; string?: string }): number {
  if (status < 400 || body.kind !== 'complete' || !body.string) return status;
  let parsed: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  try {
    parsed = JSON.parse(body.string);
  } catch {
    return status;
  }
  // A response with a data entry is an execution result; its status is the resolvers' business.
  if ('data' in parsed || !parsed.errors?.length) return status;
  if (!parsed.errors.every((e) => REQUEST_ERROR_CODES.has(e.extensions?.code as string))) return status;
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/graphql-response+json') return 400;
  if (mediaType === 'application/json') return 200;
  return status;
}

/**
 * A POST's body is a GraphQL request only as JSON (a form or text/plain body is what a cross-site
 * page can send without asking); anything else is refused before the body is read.
 */
export function refuseNonJsonPost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  const mediaType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json') return false;
  // The body is never read, so this connection cannot carry another request.
  res.writeHead(415, { 'content-type': 'application/json', accept: 'application/json', connection: 'close' });
  res.end('{"errors":[{"message":"A GraphQL POST request has a JSON body: send content-type: application/json","extensions":{"code":"BAD_REQUEST"}}]}');
  return true;
}
