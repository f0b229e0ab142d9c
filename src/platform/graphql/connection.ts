import {
  type FieldNode,
  type FragmentSpreadNode,
  getDirectiveValues,
  GraphQLIncludeDirective,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  type InlineFragmentNode,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { type ClassType, Field, Int, ObjectType } from 'type-graphql';
import { isValidDate } from '../time';
import { badUserInput } from './errors';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when asked for: a separate statement. */
  totalCount: () => Promise<number>;
}

/** Connection and edge types for a node type, named as the contract names them. */
export function connectionTypes<T extends object>(name: string, nodeType: ClassType<T>, description?: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => nodeType) node!: T;
  }
  @ObjectType(`${name}Connection`, { description })
  class ConnectionType {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    // graphql-js calls a function-valued property, so the count runs only when selected.
    @Field(() => Int) totalCount!: number;
  }
  return { EdgeType, ConnectionType };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page {
  limit: number;
  /** Decoded sort key of the `after` cursor, or null for the first page. */
  after: unknown[] | null;
}

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** The SQL type of each part of a list's sort key, so a cursor is checked before it reaches SQL. */
export type CursorPart = 'text' | 'uuid' | 'date' | 'int' | 'timestamptz';

/** The usual sort key: a name, then the row's id. */
export const BY_NAME_THEN_ID: readonly CursorPart[] = ['text', 'uuid'];

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

function fitsPart(v: unknown, part: CursorPart): boolean {
  switch (part) {
    case 'text':
      return typeof v === 'string';
    case 'uuid':
      return typeof v === 'string' && UUID_RE.test(v);
    case 'date':
      return isValidDate(v);
    case 'int':
      return Number.isSafeInteger(v);
    case 'timestamptz':
      return typeof v === 'string' && TIMESTAMP_RE.test(v) && !Number.isNaN(Date.parse(v));
  }
}

/**
 * Validates first/after as the contract's header says: default 20, at most 100, opaque cursors.
 * `key` names the types of the list's sort key: a cursor that does not fit them (forged, or from
 * another list) is BAD_USER_INPUT rather than an error from the database.
 */
export function readPage(args: PageArgs, key?: readonly CursorPart[]): Page {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw badUserInput(`first must be between 0 and ${MAX_PAGE}.`);
  }
  let after: unknown[] | null = null;
  if (args.after != null) {
    after = decodeCursor(args.after);
    if (!after || (key && (after.length !== key.length || !key.every((part, i) => fitsPart(after![i], part))))) {
      throw badUserInput('after is not a cursor of this list.');
    }
  }
  return { limit: first, after };
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): unknown[] | null {
  if (cursor.length > 1000) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) && v.every((x) => x === null || ['string', 'number'].includes(typeof x)) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Builds a connection from rows fetched with limit+1 in the list's order. `key` gives a row's
 * sort key (the cursor), `count` the total when asked for.
 */
export function toConnection<R, T>(rows: R[], page: Page, key: (row: R) => unknown[], node: (row: R) => T, count: () => Promise<number>): Connection<T> {
  const hasNextPage = rows.length > page.limit;
  const slice = hasNextPage ? rows.slice(0, page.limit) : rows;
  const edges = slice.map((r) => ({ cursor: encodeCursor(key(r)), node: node(r) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (counted ??= count()),
  };
}

/**
 * Whether the connection field being resolved asks for totalCount, directly or in a fragment, as
 * the request's @skip and @include leave it: a first page whose total is asked for may count in
 * the statement that reads it and hand the count to the count's loader.
 */
export function asksTotalCount(info: GraphQLResolveInfo): boolean {
  const spread = new Set<string>();
  const kept = (node: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true && getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const asks = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((s) => {
      if (!kept(s)) return false;
      if (s.kind === Kind.FIELD) return s.name.value === 'totalCount';
      if (s.kind === Kind.INLINE_FRAGMENT) return asks(s.selectionSet);
      if (spread.has(s.name.value)) return false;
      spread.add(s.name.value);
      return asks(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((f) => asks(f.selectionSet));
}

/**
 * One page of a parent's list as a connection. `read` fetches the page (limit + 1 rows), told
 * whether to count the total beside it: on a first page whose totalCount is asked for, so that the
 * count costs no statement of its own; `count` is the count's loader, which that read primes.
 */
export async function pagedConnection<T>(
  page: Page,
  info: GraphQLResolveInfo,
  read: (withTotal: boolean) => Promise<T[]>,
  key: (row: T) => unknown[],
  count: () => Promise<number>,
): Promise<Connection<T>> {
  const rows = await read(page.after === null && asksTotalCount(info));
  return toConnection(rows, page, key, (r) => r, count);
}
