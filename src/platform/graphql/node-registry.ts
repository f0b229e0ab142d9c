import type { Ctx } from '../context';
import type { Viewer } from '../viewer';

/**
 * How to load a node of each type as the viewer may see it (null when not visible). Used by
 * `node(id:)` and by idempotent replays, which resolve the viewer once and pass it; a loader that
 * applies a rule beyond its scoped SQL takes it from there. Each capability registers its own node
 * types.
 */
type NodeLoader = (ctx: Ctx, id: string, viewer: Viewer) => Promise<object | null>;
const loaders = new Map<string, NodeLoader>();

export function registerNodeType(typeName: string, load: NodeLoader): void {
  loaders.set(typeName, load);
}

export async function loadNode(ctx: Ctx, viewer: Viewer, typeName: string, id: string): Promise<object | null> {
  const load = loaders.get(typeName);
  return load ? load(ctx, id, viewer) : null;
}

/** The GraphQL type name of an entity instance (classes are named as the contract's types). */
export function typeNameOf(entity: object): string {
  return entity.constructor.name;
}
