import type { GraphQLError } from 'graphql';

/** A subscription's payload as graphql-ws receives it (a client naming a document sends `query: ""`). */
export interface SocketOperation {
  query: string;
  documentId?: unknown;
  extensions?: unknown;
}

/**
 * What every operation's document passes before it is parsed: the frontends' trusted documents.
 * The composition root plugs in the documents module's resolver; the transports only call it.
 */
export interface DocumentGate {
  /**
   * An HTTP request's document (the POST body, or the GET query string): the request to hand to
   * Apollo, or null when the gate has answered the refusal itself.
   */
  http(
    req: { method?: string; headers: Record<string, string | string[] | undefined> },
    res: { writeHead(status: number, headers: Record<string, string>): { end(body: string): unknown } },
    search: string,
    body: unknown,
  ): Promise<{ search: string; body: unknown } | null>;
  /** A subscription's document, resolved in place; the refusal as errors, or null to carry on. */
  socket(payload: SocketOperation): Promise<GraphQLError[] | null>;
}
