import { type GraphQLSchema, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync, type NonEmptyArray } from 'type-graphql';
import { createHubnetPubSub, type HubnetPubSub } from '../pubsub';
import { toGlobalId } from './ids';
import { DateTimeScalar } from './scalars';

/** A resolver class, as type-graphql takes it. */
export type ResolverClass = new (...args: never[]) => object;

/**
 * Builds the executable schema once per process. Every type implementing Node gets its `id`
 * resolved to an opaque global ID here, in one place, instead of in each resolver; likewise every
 * connection's lazily counted totalCount.
 */
export function buildHubnetSchema(resolvers: NonEmptyArray<ResolverClass>, pubSub?: HubnetPubSub): GraphQLSchema {
  const schema = buildSchemaSync({
    resolvers,
    // Printing or testing a schema never publishes, but type-graphql wants a pub/sub once there are subscriptions.
    pubSub: pubSub ?? createHubnetPubSub(),
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    emitSchemaFile: false,
  });
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    // Connections count only when totalCount is selected: the value is a thunk (see toConnection).
    const total = type.name.endsWith('Connection') ? type.getFields().totalCount : undefined;
    if (total) total.resolve = (root: { totalCount: number | (() => Promise<number>) }) => (typeof root.totalCount === 'function' ? root.totalCount() : root.totalCount);
    if (!type.getInterfaces().some((i) => i.name === 'Node')) continue;
    const idField = type.getFields().id;
    const typeName = type.name;
    idField.resolve = (root: { id: string }) => toGlobalId(typeName, root.id);
  }
  return schema;
}

export function printHubnetSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
