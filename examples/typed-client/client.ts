/**
 * The smallest typed client for Hubnet, for a TypeScript frontend to copy: typed documents from
 * graphql-codegen (./graphql.ts, generated from docs/operations/*.graphql), sent with fetch, by
 * trusted-document id when the server runs only registered documents.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface HubnetError {
  message: string;
  extensions?: { code?: string; requestId?: string };
}

export interface HubnetResult<R> {
  data?: R;
  errors?: HubnetError[];
}

export interface HubnetClientOptions {
  /** The API, e.g. https://hubnet.example.org/graphql. */
  url: string;
  /** The bearer token of the logged-in user, or null before logging in. */
  token?: () => string | null;
  /** Send documents by id ("documentId": "sha256:…") instead of their text. */
  byDocumentId?: boolean;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The text a document is sent as; the manifest is built from the same text, so the ids agree. */
export const documentText = (document: TypedDocumentNode<any, any>) => print(document);

/** A trusted-documents manifest ({ "<sha256 hex>": "<document>" }) for `npm run cli -- documents:add`. */
export async function manifestOf(documents: TypedDocumentNode<any, any>[]): Promise<Record<string, string>> {
  const entries = await Promise.all(documents.map(async (d) => [await sha256Hex(documentText(d)), documentText(d)] as const));
  return Object.fromEntries(entries);
}

export function createHubnetClient(options: HubnetClientOptions) {
  return async function request<R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    init: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<HubnetResult<R>> {
    const text = documentText(document);
    const token = options.token?.();
    const res = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}),
      },
      body: JSON.stringify(options.byDocumentId ? { documentId: `sha256:${await sha256Hex(text)}`, variables } : { query: text, variables }),
      signal: init.signal,
    });
    // graphql-response+json: a 4xx still carries a GraphQL response (errors), anything else does not.
    const type = res.headers.get('content-type') ?? '';
    if (!/json/.test(type)) throw new Error(`Hubnet answered ${res.status} without a GraphQL response`);
    return (await res.json()) as HubnetResult<R>;
  };
}
