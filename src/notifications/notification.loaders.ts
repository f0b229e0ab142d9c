import DataLoader from 'dataloader';
import { defineLoader } from '../platform/context';
import { byKey, findRows, groupByKey } from '../platform/db/rows';
import { sql } from '../platform/db/sql';
import { registerNodeType } from '../platform/graphql/node-registry';
import { Notification } from './notification.entity';
import type { NotificationDeliveryInfo } from './notification.types';

/** Notifications are the recipient's alone: anyone else reads them as unknown. */
export const notificationById = defineLoader(
  'notificationById',
  (ctx) =>
    new DataLoader<string, Notification | null>(async (ids) => {
      const v = ctx.viewer;
      if (!v) return ids.map(() => null);
      const rows = await findRows(ctx.em, Notification, `select * from notification where id = any($1::uuid[]) and recipient_id = $2`, [ids, v.userId]);
      return byKey(ids, rows, (n) => n.id);
    }),
);

/** Deliveries of notifications already shown to their recipient, by channel. */
export const deliveriesOfNotification = defineLoader(
  'deliveriesOfNotification',
  (ctx) =>
    new DataLoader<string, NotificationDeliveryInfo[]>(async (ids) => {
      const rows = await sql(
        ctx.em,
        `select notification_id, channel, status, attempts, to_char(delivered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as delivered_at from notification_delivery
        where notification_id = any($1::uuid[]) and recipient_id = $2 order by channel`,
        [ids, ctx.viewer?.userId ?? null],
      );
      const infos = rows.map((r) => ({
        notificationId: r.notification_id as string,
        channel: r.channel,
        status: r.status,
        attempts: r.attempts,
        deliveredAt: r.delivered_at ? new Date(r.delivered_at) : null,
      }));
      return groupByKey(ids, infos, (r) => r.notificationId);
    }),
);

registerNodeType('Notification', (ctx, id) => notificationById(ctx).load(id));
