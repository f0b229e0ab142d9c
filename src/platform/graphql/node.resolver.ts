import { Arg, Ctx as GqlCtx, ID, Query, Resolver } from 'type-graphql';
import type { Ctx } from '../context';
import { viewerOf } from './guards';
import { fromGlobalId } from './ids';
import { Node } from './node';
import { loadNode } from './node-registry';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true })
  async node(@Arg('id', () => ID) id: string, @GqlCtx() ctx: Ctx): Promise<object | null> {
    const v = viewerOf(ctx);
    const decoded = fromGlobalId(id);
    return decoded ? loadNode(ctx, v, decoded.type, decoded.id) : null;
  }
}
