import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationRule } from 'graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Abuse limits (graphql-armor, not hand-rolled). Sized so the real screens pass with room to
 * spare: the hub dashboard (about 8 levels, ~60 fields) and a session list with its RSVPs and
 * their carers' households (cost ~19,000 for 50 sessions).
 */
export const LIMITS = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 3000,
  maxCost: 30000,
} as const;

export function armor(production: boolean) {
  return new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: !production },
    maxAliases: { n: LIMITS.maxAliases },
    maxDirectives: { n: LIMITS.maxDirectives },
    maxTokens: { n: LIMITS.maxTokens },
    costLimit: { maxCost: LIMITS.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: !production },
    // Suggestions ("did you mean …") map the schema for an attacker once introspection is off.
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

/** graphql-armor reports its rejections as syntax/validation errors; the contract calls them QUERY_TOO_COMPLEX. */
const ARMOR_MESSAGE = /^Syntax Error: (Query Cost|Query depth|Aliases|Directives|Token) limit/;
export function isLimitError(message: string): boolean {
  return ARMOR_MESSAGE.test(message);
}

/**
 * PostgreSQL text cannot hold a NUL character, so no input containing one can be valid. Refuse
 * it for every operation here — variables and inline literals alike — instead of letting it
 * reach the database as an internal error.
 */

function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(hasNul);
  if (v && typeof v === 'object') return Object.values(v).some(hasNul);
  return false;
}

export const noNulLiterals: ValidationRule = (context) => ({
  StringValue(node) {
    if (node.value.includes('\u0000')) context.reportError(new GraphQLError('Text may not contain NUL characters.', { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
});

export function noNulVariables(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        // The hook where Apollo lets a plugin refuse an operation as the client's error.
        async didResolveOperation({ request }) {
          if (hasNul(request.variables)) {
            throw new GraphQLError('Text may not contain NUL characters.', { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
