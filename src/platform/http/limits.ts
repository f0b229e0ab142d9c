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
