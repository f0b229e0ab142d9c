import type { Ctx } from '../context';

/**
 * How to load a node of each type as the viewer may see it (null when not visible). Used by
 * `node(id:)` and by idempotent replays. Each capability registers its own node types.
 */
type NodeLoader = (ctx: Ctx, id: string) => Promise<object | null>;
const loaders = new Map<string, NodeLoader>();

export function registerNodeType(typeName: string, load: NodeLoader): void {
  loaders.set(typeName, load);
}

export async function loadNode(ctx: Ctx, typeName: string, id: string): Promise<object | null> {
  const load = loaders.get(typeName);
  return load ? load(ctx, id) : null;
}

/** The GraphQL type name of an entity instance (classes are named as the contract's types). */
export function typeNameOf(entity: object): string {
  return entity.constructor.name;
}
