import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';

/**
 * The contract's `Date`: graphql-scalars' LocalDate (validates real calendar dates, keeps the
 * YYYY-MM-DD string, never builds a JavaScript Date) under the contract's name.
 */
export const DateScalar = new GraphQLScalarType({
  ...GraphQLLocalDate.toConfig(),
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
});

export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  description: 'An ISO-8601 date-time with offset, e.g. 2026-03-01T18:30:00Z.',
});
