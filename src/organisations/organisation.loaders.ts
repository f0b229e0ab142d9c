import DataLoader from 'dataloader';
import { defineLoader } from '../platform/context';
import { registerNodeType } from '../platform/graphql/node-registry';
import { Organisation } from './organisation.entity';

/** A viewer sees their own organisation only; any other id reads as unknown. */
export const organisationById = defineLoader(
  'organisationById',
  (ctx) =>
    new DataLoader<string, Organisation | null>(async (ids) => {
      const orgId = ctx.viewer?.organisationId;
      if (!orgId || !ids.includes(orgId)) return ids.map(() => null);
      const org = await ctx.em.findOne(Organisation, { id: orgId });
      return ids.map((id) => (id === orgId ? org : null));
    }),
);

registerNodeType('Organisation', (ctx, id) => organisationById(ctx).load(id));
