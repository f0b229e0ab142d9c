import DataLoader from 'dataloader';
import { isCarer } from '../auth/viewer';
import { defineLoader } from '../platform/context';
import { byKey, findRows } from '../platform/db/rows';
import { registerNodeType } from '../platform/graphql/node-registry';
import { User } from './user.entity';

/**
 * Users the viewer may see, scoped in the query: staff see the organisation's users; carers see
 * staff and the logins of their own household's carers.
 */
export const userById = defineLoader('userById', (ctx) =>
  new DataLoader<string, User | null>(async (ids) => {
    const v = ctx.viewer;
    if (!v) return ids.map(() => null);
    const rows = await findRows(
      ctx.em,
      User,
      `select u.id, u.organisation_id, u.email, u.name, u.role, u.active, u.created_at, u.deactivated_at
         from app_user u
        where u.id = any($1::uuid[]) and u.organisation_id = $2
          and ($3::boolean or u.role <> 'CARER' or u.id = $4
               or exists (select 1 from carer c where c.user_id = u.id and c.household_id = $5))`,
      [ids, v.organisationId, !isCarer(v), v.userId, v.householdId],
    );
    return byKey(ids, rows, (u) => u.id);
  }),
);

registerNodeType('User', (ctx, id) => userById(ctx).load(id));
