import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ParseOptions, type ValidationRule } from 'graphql';
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

/**
 * The rules every operation is checked against, whichever transport brings it (HTTP or
 * WebSocket): graphql-armor's depth, alias, directive and cost limits, no NUL characters, and in
 * production no introspection. The token limit is graphql-js's own parse option, so a document
 * too long to parse is refused while it is parsed, by the same parser on both transports.
 */
export function operationRules(production: boolean, introspection = !production): { validationRules: ValidationRule[]; parseOptions: ParseOptions } {
  const armored = new ApolloArmor({
    maxDepth: { n: LIMITS.maxDepth, ignoreIntrospection: introspection },
    maxAliases: { n: LIMITS.maxAliases },
    maxDirectives: { n: LIMITS.maxDirectives },
    // graphql-armor's token limit is an Apollo plugin (so HTTP only) that turns a plain syntax
    // error into an internal one: parseOptions.maxTokens below does the same for both transports.
    maxTokens: { enabled: false },
    costLimit: { maxCost: LIMITS.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: introspection },
    // Suggestions are taken out of every error text in production (errors.ts), not only validation's.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    validationRules: [...armored.validationRules, noNulLiterals, ...(introspection ? [] : [NoSchemaIntrospectionCustomRule])],
    parseOptions: { maxTokens: LIMITS.maxTokens },
  };
}

/** graphql-armor reports its rejections as syntax/validation errors; the contract calls them QUERY_TOO_COMPLEX. */
const ARMOR_MESSAGE = /^Syntax Error: ((Query Cost|Query depth|Aliases|Directives|Token) limit|Document contains more tha[nt] \d+ tokens)/;
export function isLimitError(message: string): boolean {
  return ARMOR_MESSAGE.test(message);
}

/**
 * PostgreSQL text cannot hold a NUL character, so no input containing one can be valid. Refuse
 * it for every operation here — variables and inline literals alike — instead of letting it
 * reach the database as an internal error.
 */

export function hasNul(v: unknown): boolean {
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
