import DataLoader from 'dataloader';
import { userVisible } from '../auth/scope';
import { defineLoader } from '../platform/context';
import { Params } from '../platform/db/params';
import { byKey, findRows, mapRow } from '../platform/db/rows';
import { registerNodeType } from '../platform/graphql/node-registry';
import { User, USER_COLUMNS } from './user.entity';

/** Users the viewer may see, scoped in the query (see userVisible). */
export const userById = defineLoader(
  'userById',
  (ctx) =>
    new DataLoader<string, User | null>(async (ids) => {
      const v = ctx.viewer;
      if (!v) return ids.map(() => null);
      // The viewer's own row came with the viewer (read once per request for authorisation).
      const self = mapRow(ctx.em, User, { ...v.self });
      const others = ids.filter((id) => id !== v.userId);
      const p = new Params();
      const rows = others.length
        ? await findRows(
            ctx.em,
            User,
            `select ${USER_COLUMNS}
             from app_user u
            where u.id = any(${p.add(others)}::uuid[]) and ${userVisible(v, 'u', p)}`,
            p.values,
          )
        : [];
      return byKey(ids, [self, ...rows], (u) => u.id);
    }),
);

registerNodeType('User', (ctx, id) => userById(ctx).load(id));
