import { Arg, Ctx as GqlCtx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Ctx } from '../platform/context';
import { viewerOf } from '../platform/graphql/guards';
import { toGlobalId } from '../platform/graphql/ids';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { runMutation } from '../platform/mutation';
import { User } from '../users/user.entity';
import { Notification } from './notification.entity';
import { deliveriesOfNotification } from './notification.loaders';
import { seesNotificationsOf } from './notification.policy';
import { listNotifications, markNotificationsRead, preferencesOf, registerPushSubscription, removePushSubscription, unreadCount, updateNotificationPreferences } from './notification.service';
import {
  MarkNotificationsReadInput,
  MarkNotificationsReadPayload,
  NotificationConnection,
  NotificationDeliveryInfo,
  NotificationPreferences,
  NotificationPreferencesPayload,
  PushSubscriptionPayload,
  RegisterPushSubscriptionInput,
  RemovePushSubscriptionInput,
  RemovePushSubscriptionPayload,
  UpdateNotificationPreferencesInput,
} from './notification.types';

@Resolver(() => Notification)
export class NotificationResolver {
  @FieldResolver(() => ID, { nullable: true, description: 'Global ID of what it is about (e.g. a Sleepover), when it is about one entity.' })
  subjectId(@Root() n: Notification): string | null {
    return n.subjectType && n.subjectId ? toGlobalId(n.subjectType, n.subjectId) : null;
  }

  @FieldResolver(() => String, { description: 'Plain text.' })
  body(@Root() n: Notification): string {
    return n.bodyText;
  }

  @FieldResolver(() => Boolean)
  read(@Root() n: Notification): boolean {
    return n.readAt != null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true })
  readAt(@Root() n: Notification): Date | null {
    return n.readAt ?? null;
  }

  @FieldResolver(() => DateTimeScalar)
  createdAt(@Root() n: Notification): Date {
    return n.createdAt;
  }

  @FieldResolver(() => [NotificationDeliveryInfo], { description: 'Email and push, as far as they went.' })
  deliveries(@Root() n: Notification, @GqlCtx() ctx: Ctx) {
    return deliveriesOfNotification(ctx).load(n.id);
  }

  @Query(() => String, { nullable: true, description: 'The VAPID public key (applicationServerKey) to subscribe a browser with; null when the service sends no Web Push.' })
  webPushPublicKey(@GqlCtx() ctx: Ctx): string | null {
    return ctx.app.notifications.pushPublicKey;
  }

  @Mutation(() => MarkNotificationsReadPayload)
  markNotificationsRead(@Arg('input', () => MarkNotificationsReadInput) input: MarkNotificationsReadInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Notification.markRead', input, (tx) => markNotificationsRead(tx, input));
  }

  @Mutation(() => NotificationPreferencesPayload, { description: 'Channels per kind for the viewer; kinds not listed keep their setting.' })
  updateNotificationPreferences(@Arg('input', () => UpdateNotificationPreferencesInput) input: UpdateNotificationPreferencesInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Notification.updatePreferences', input, (tx) => updateNotificationPreferences(tx, input));
  }

  @Mutation(() => PushSubscriptionPayload, { description: "Registers the viewer's browser for Web Push." })
  registerPushSubscription(@Arg('input', () => RegisterPushSubscriptionInput) input: RegisterPushSubscriptionInput, @GqlCtx() ctx: Ctx) {
    // The endpoint and keys are the browser's secret: the audit trail names only the fields.
    return runMutation(ctx, 'Notification.registerPush', { endpoint: '[redacted]', keys: '[redacted]' }, (tx) => registerPushSubscription(tx, input));
  }

  @Mutation(() => RemovePushSubscriptionPayload)
  removePushSubscription(@Arg('input', () => RemovePushSubscriptionInput) input: RemovePushSubscriptionInput, @GqlCtx() ctx: Ctx) {
    return runMutation(ctx, 'Notification.removePush', { endpoint: '[redacted]' }, (tx) => removePushSubscription(tx, input.endpoint));
  }
}

/** The viewer's own notifications and settings on `me`; null on anyone else. */
@Resolver(() => User)
export class UserNotificationsResolver {
  @FieldResolver(() => NotificationConnection, { nullable: true, description: "The viewer's own notifications, newest first; null for other users." })
  notifications(
    @Root() user: User,
    @GqlCtx() ctx: Ctx,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false }) unreadOnly?: boolean,
  ) {
    const v = viewerOf(ctx);
    if (!seesNotificationsOf(v, user.id)) return null;
    return listNotifications(ctx, v.userId, { first, after, unreadOnly });
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Unread notifications; null for other users.' })
  unreadNotificationCount(@Root() user: User, @GqlCtx() ctx: Ctx) {
    const v = viewerOf(ctx);
    return seesNotificationsOf(v, user.id) ? unreadCount(ctx.em, v.userId) : null;
  }

  @FieldResolver(() => NotificationPreferences, { nullable: true, description: 'Null for other users.' })
  notificationPreferences(@Root() user: User, @GqlCtx() ctx: Ctx) {
    const v = viewerOf(ctx);
    if (!seesNotificationsOf(v, user.id)) return null;
    const ch = ctx.app.notifications.channels;
    return preferencesOf(ctx.em, v.userId, { email: !!ch.email, push: !!ch.push });
  }
}
