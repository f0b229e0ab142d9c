import DataLoader from 'dataloader';
import { defineLoader } from '../platform/context';
import { viewerOf } from '../platform/graphql/guards';
import { todayLondon } from '../platform/time';
import { childStability } from './stability.service';
import { ChildStabilityType } from './stability.types';

/** Child.stability: the figures of every child asked, in one statement, counted in the viewer's organisation. */
export const childStabilityById = defineLoader(
  'childStability',
  (ctx) =>
    new DataLoader<string, ChildStabilityType | null>(async (ids) => {
      const rows = await childStability(ctx.em, viewerOf(ctx).organisationId, ids, todayLondon());
      return rows.map((r) => (r ? Object.assign(new ChildStabilityType(), r) : null));
    }),
);
