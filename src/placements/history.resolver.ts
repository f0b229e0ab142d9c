import { Arg, Ctx as GqlCtx, Mutation, Resolver } from 'type-graphql';
import type { Ctx } from '../platform/context';
import { runMutation } from '../platform/mutation';
import { importPlacementHistoryAs } from './history-import.service';
import { ImportPlacementHistoryInput, PlacementImportPayload } from './history.types';

@Resolver()
export class PlacementHistoryResolver {
  @Mutation(() => PlacementImportPayload, {
    description:
      'Loads placement history (episodes of children, matched by case reference or created) from CSV: every row or none;\nevery problem is listed in rowErrors. ADMIN and FOSTERING_MANAGER only. Files beyond the request size limit go\nthrough the command line (npm run cli -- import:placements).',
  })
  async importPlacementHistory(@Arg('input', () => ImportPlacementHistoryInput) input: ImportPlacementHistoryInput, @GqlCtx() ctx: Ctx): Promise<PlacementImportPayload> {
    const result = await runMutation(ctx, 'Placement.importHistory', input, (tx) => importPlacementHistoryAs(tx, input));
    return { rowErrors: [], ...result };
  }
}
