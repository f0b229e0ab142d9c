import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { asksTotalCount } from '../../src/platform/graphql/connection';

/**
 * A first page counts its total in the statement that reads it only when the request will show
 * totalCount: found directly, under an alias, in fragments, and as @skip and @include leave it.
 */
const schema = buildSchema(`
  type Connection { totalCount: Int! edges: [Int!]! }
  type Query { list: Connection! }
`);

async function asks(document: string, variableValues?: Record<string, unknown>): Promise<boolean> {
  let seen: boolean | undefined;
  const rootValue = {
    list: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
      seen = asksTotalCount(info);
      return { totalCount: 0, edges: [] };
    },
  };
  const result = await graphql({ schema, source: document, rootValue, variableValues });
  expect(result.errors).toBeUndefined();
  if (seen === undefined) throw new Error('the list was not resolved');
  return seen;
}

test.each([
  ['directly', '{ list { totalCount } }'],
  ['under an alias', '{ list { n: totalCount } }'],
  ['in an inline fragment', '{ list { ... on Connection { totalCount } } }'],
  ['in a named fragment', '{ list { ...F } } fragment F on Connection { totalCount }'],
  ['in a fragment inside a fragment', '{ list { ...F } } fragment F on Connection { ...G } fragment G on Connection { totalCount }'],
  ['kept by @include(if: true)', '{ list { totalCount @include(if: true) } }'],
  ['kept by @skip(if: false)', '{ list { totalCount @skip(if: false) } }'],
  ['skipped in one place and asked in another', '{ list { totalCount @skip(if: true) ... on Connection { totalCount } } }'],
])('totalCount is asked for %s', async (_name, document) => {
  expect(await asks(document)).toBe(true);
});

test.each([
  ['not at all', '{ list { edges } }'],
  ['skipped', '{ list { edges totalCount @skip(if: true) } }'],
  ['not included', '{ list { edges totalCount @include(if: false) } }'],
  ['in a skipped inline fragment', '{ list { edges ... on Connection @skip(if: true) { totalCount } } }'],
  ['in a fragment spread that is not included', '{ list { edges ...F @include(if: false) } } fragment F on Connection { totalCount }'],
])('totalCount is not asked for %s', async (_name, document) => {
  expect(await asks(document)).toBe(false);
});

test('@skip and @include are read from the request’s variables', async () => {
  const document = 'query($hide: Boolean!, $show: Boolean!) { list { edges totalCount @skip(if: $hide) @include(if: $show) } }';
  expect(await asks(document, { hide: false, show: true })).toBe(true);
  expect(await asks(document, { hide: true, show: true })).toBe(false);
  expect(await asks(document, { hide: false, show: false })).toBe(false);
});
