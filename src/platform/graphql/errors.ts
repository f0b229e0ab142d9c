import { GraphQLError } from 'graphql';

/** Top-level errors for the unexpected, with the contract's extensions.code. */
export const unauthenticated = () => new GraphQLError('You must be logged in.', { extensions: { code: 'UNAUTHENTICATED', http: { status: 200 } } });
export const forbidden = (message = 'You may not do that.') => new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
export const badUserInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
