import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { isCalendarDate } from '../time';

function toDate(value: unknown, node?: ValueNode): string {
  if (isCalendarDate(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(node?.kind ?? typeof value);
  throw new GraphQLError(`A Date is a real calendar date written YYYY-MM-DD (e.g. 2026-03-01); ${shown} is not one.`, node ? { nodes: node } : undefined);
}

/**
 * The contract's `Date`: a real calendar date (2015-02-30 is refused) kept as its YYYY-MM-DD
 * string end to end — never a JavaScript Date, so no time zone can move it.
 */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => toDate(value),
  parseValue: (value) => toDate(value),
  parseLiteral: (node) => toDate(node.kind === Kind.STRING ? node.value : undefined, node),
  extensions: { codegenScalarType: 'string' },
});

export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  description: 'An ISO-8601 date-time with offset, e.g. 2026-03-01T18:30:00Z.',
});
