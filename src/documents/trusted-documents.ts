import crypto from 'node:crypto';
import { GraphQLError, parse } from 'graphql';
import type { App } from '../platform/app';
import type { Orm } from '../platform/db/orm';
import { sql, sqlOne } from '../platform/db/sql';

/**
 * Trusted documents (persisted operations). Frontends register the operations they ship; a request
 * may then name one by `"documentId": "sha256:<hex>"` (the GraphQL-over-HTTP convention) or by
 * Apollo's `extensions.persistedQuery.sha256Hash`. With HUBNET_TRUSTED_DOCUMENTS=only nothing else
 * runs, on HTTP and WebSocket alike.
 */
export type TrustedDocumentsMode = 'allow' | 'only';

const HEX64 = /^[0-9a-f]{64}$/;
const DOCUMENT_ID = /^sha256:([0-9a-f]{64})$/;

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** A manifest as graphql-codegen's client preset writes it: `{ "<sha256 hex>": "<document>" }`. */
export function parseManifest(text: string): { entries: [string, string][]; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { entries: [], problems: ['the manifest is not JSON'] };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { entries: [], problems: ['the manifest must be a JSON object of "<sha256 hex>": "<document>"'] };
  const entries: [string, string][] = [];
  const problems: string[] = [];
  for (const [hash, document] of Object.entries(json)) {
    if (!HEX64.test(hash)) {
      problems.push(`${hash}: not a sha256 in lower-case hex`);
      continue;
    }
    if (typeof document !== 'string') {
      problems.push(`${hash}: the document is not a string`);
      continue;
    }
    if (sha256Hex(document) !== hash) {
      problems.push(`${hash}: does not match its document (its sha256 is ${sha256Hex(document)})`);
      continue;
    }
    try {
      parse(document);
    } catch (err) {
      problems.push(`${hash}: not a GraphQL document (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    entries.push([hash, document]);
  }
  if (!problems.length && !entries.length) problems.push('the manifest has no documents');
  return { entries, problems };
}

/** Stores the documents (all in one statement); ones already registered are left as they are. */
export async function addTrustedDocuments(em: Orm['em'], entries: [string, string][]): Promise<{ added: number; known: number }> {
  const rows = await sql<{ hash: string }>(em, `insert into trusted_document (hash, document) select * from unnest($1::text[], $2::text[]) on conflict (hash) do nothing returning hash`, [
    entries.map((e) => e[0]),
    entries.map((e) => e[1]),
  ]);
  return { added: rows.length, known: entries.length - rows.length };
}

/**
 * Registered documents never change (their id is their hash), so a found one is kept in memory for
 * good. A miss is not remembered: a manifest an operator has just added works at once on every
 * replica, and unknown ids cannot fill the memory.
 */
class TrustedDocumentStore {
  private readonly known = new Map<string, string>();
  constructor(private readonly orm: Orm) {}

  async lookup(hash: string): Promise<string | null> {
    const hit = this.known.get(hash);
    if (hit !== undefined) return hit;
    const row = await sqlOne<{ document: string }>(this.orm.em.fork(), `select document from trusted_document where hash = $1`, [hash]);
    if (row) this.known.set(hash, row.document);
    return row?.document ?? null;
  }
}

const stores = new WeakMap<App, TrustedDocumentStore>();
function storeOf(app: App): TrustedDocumentStore {
  let store = stores.get(app);
  if (!store) stores.set(app, (store = new TrustedDocumentStore(app.orm)));
  return store;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class TrustedDocumentRefusal {
  constructor(
    readonly code: 'PERSISTED_QUERY_NOT_FOUND' | 'TRUSTED_DOCUMENTS_ONLY' | 'BAD_REQUEST',
    readonly message: string,
  ) {}
}

export interface OperationRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/**
 * Turns a request that names a registered document into one that carries it (`query` set, the id
 * and the persistedQuery extension removed), or refuses it. A full document passes unless the mode
 * is 'only'. Apollo's own automatic persisted queries never see the extension: clients cannot
 * register documents themselves.
 */
async function resolveOperation(app: App, request: OperationRequest): Promise<TrustedDocumentRefusal | { query?: string; extensions?: Record<string, unknown> }> {
  const mode = app.config.trustedDocuments;
  const extensions = isMap(request.extensions) ? { ...request.extensions } : undefined;
  const persisted = extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (extensions) delete extensions.persistedQuery;
  const query = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
  let hash: string | undefined;
  if (request.documentId !== undefined && request.documentId !== null) {
    const m = typeof request.documentId === 'string' ? DOCUMENT_ID.exec(request.documentId) : null;
    if (!m) return new TrustedDocumentRefusal('BAD_REQUEST', 'documentId must be "sha256:" followed by the document\'s sha256 in lower-case hex.');
    hash = m[1];
  } else if (persisted) {
    if (typeof persisted.sha256Hash !== 'string' || !HEX64.test(persisted.sha256Hash)) {
      return new TrustedDocumentRefusal('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash must be a sha256 in lower-case hex.');
    }
    hash = persisted.sha256Hash;
  }
  if (hash === undefined) {
    if (query !== undefined && mode === 'only') {
      return new TrustedDocumentRefusal('TRUSTED_DOCUMENTS_ONLY', 'This server runs only registered documents: send "documentId": "sha256:<hash>" instead of the query text.');
    }
    return { query, extensions };
  }
  // A text sent with a hash that is not its own is a client error, whatever is registered.
  if (query !== undefined && sha256Hex(query) !== hash) {
    return new TrustedDocumentRefusal('BAD_REQUEST', 'The hash sent with the document is not its sha256.');
  }
  const document = await storeOf(app).lookup(hash);
  if (document !== null) return { query: document, extensions };
  // An automatic-persisted-query client sends the text with its hash after a miss: it may run, as
  // any document may, when unregistered documents are allowed.
  if (mode === 'allow' && query !== undefined && sha256Hex(query) === hash) return { query, extensions };
  return new TrustedDocumentRefusal('PERSISTED_QUERY_NOT_FOUND', `No registered document has the id sha256:${hash}.`);
}

/**
 * The HTTP side: resolves the document of a POST body or a GET query string. Answers a refusal
 * itself (400) and returns null; otherwise returns the request to hand to Apollo.
 */
export async function resolveTrustedHttpRequest(
  app: App,
  req: { method?: string; headers: Record<string, string | string[] | undefined> },
  res: { writeHead(status: number, headers: Record<string, string>): { end(body: string): unknown } },
  search: string,
  body: unknown,
): Promise<{ search: string; body: unknown } | null> {
  let outcome: Awaited<ReturnType<typeof resolveOperation>>;
  if (req.method === 'GET') {
    const params = new URLSearchParams(search);
    let extensions: unknown;
    try {
      extensions = params.has('extensions') ? JSON.parse(params.get('extensions')!) : undefined;
      if (extensions != null && !isMap(extensions)) return { search, body };
    } catch {
      // Apollo refuses malformed extensions with its own message.
      return { search, body };
    }
    outcome = await resolveOperation(app, { query: params.get('query') ?? undefined, documentId: params.get('documentId') ?? undefined, extensions });
    if (!(outcome instanceof TrustedDocumentRefusal)) {
      params.delete('documentId');
      if (outcome.query !== undefined) params.set('query', outcome.query);
      if (outcome.extensions && Object.keys(outcome.extensions).length) params.set('extensions', JSON.stringify(outcome.extensions));
      else params.delete('extensions');
      const rewritten = params.toString();
      return { search: rewritten ? `?${rewritten}` : '', body };
    }
  } else if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { documentId, ...rest } = body as Record<string, unknown>;
    // Apollo refuses extensions that are not a map with its own message: leave them to it.
    if (rest.extensions != null && !isMap(rest.extensions)) return { search, body };
    outcome = await resolveOperation(app, { query: rest.query, documentId, extensions: rest.extensions });
    if (!(outcome instanceof TrustedDocumentRefusal)) {
      if (outcome.query !== undefined) rest.query = outcome.query;
      if (outcome.extensions && Object.keys(outcome.extensions).length) rest.extensions = outcome.extensions;
      else delete rest.extensions;
      return { search, body: rest };
    }
  } else {
    return { search, body };
  }
  const accept = String(req.headers.accept ?? '');
  res
    .writeHead(400, {
      'content-type': accept.includes('application/graphql-response+json') ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(JSON.stringify({ errors: [{ message: outcome.message, extensions: { code: outcome.code } }] }));
  return null;
}

/**
 * The WebSocket side, for graphql-ws's onSubscribe: resolves the payload's document in place (the
 * protocol requires a `query` string, so a client naming a document sends `query: ""`) and returns
 * the refusal as errors for the subscription, or null to carry on.
 */
export async function resolveTrustedDocument(app: App, payload: OperationRequest & { query: string }): Promise<GraphQLError[] | null> {
  const outcome = await resolveOperation(app, payload);
  if (outcome instanceof TrustedDocumentRefusal) return [new GraphQLError(outcome.message, { extensions: { code: outcome.code } })];
  payload.query = outcome.query ?? '';
  delete payload.documentId;
  if (outcome.extensions && Object.keys(outcome.extensions).length) payload.extensions = outcome.extensions;
  else delete payload.extensions;
  return null;
}
