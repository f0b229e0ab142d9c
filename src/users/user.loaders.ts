import DataLoader from 'dataloader';
import { userVisible } from '../auth/scope';
import { defineLoader, type Ctx } from '../platform/context';
import { keyIn, Params } from '../platform/db/params';
import { byKey, findRows, mapRow, rowAlongside, readJoined } from '../platform/db/rows';
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
            where ${keyIn(p, 'u.id', others)} and ${userVisible(v, 'u', p)}`,
            p.values,
          )
        : [];
      return byKey(ids, [self, ...rows], (u) => u.id);
    }),
);

/**
 * A lateral join (alias `prefix`) bringing the user `keyColumn` names beside a list statement's
 * row, exactly as userById would return it to this viewer (nothing of a user they may not reach);
 * `primeUser` hands it to that loader.
 */
export function userAlongside(ctx: Ctx, keyColumn: string, prefix: string, p: Params): string {
  return rowAlongside(ctx.em, User, keyColumn, prefix, (u) => (ctx.viewer ? userVisible(ctx.viewer, u, p) : 'false'));
}

/** Takes `userAlongside`'s columns off `row` and hands userById its answer for `id`: the user, or null when out of the viewer's reach. */
export function primeUser(ctx: Ctx, id: string | null | undefined, row: Record<string, unknown>, prefix: string): void {
  const user = readJoined(ctx.em, User, row, prefix);
  // The viewer's own row came with the viewer, and userById answers it from there.
  if (id && ctx.viewer && id !== ctx.viewer.userId) userById(ctx).prime(id, user);
}

registerNodeType('User', (ctx, id) => userById(ctx).load(id));
