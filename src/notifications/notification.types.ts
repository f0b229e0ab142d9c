import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { connectionTypes } from '../platform/graphql/connection';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { UserError } from '../platform/graphql/user-errors';
import { DeliveryStatus, NotificationChannel, NotificationKind } from './kinds';
import { Notification } from './notification.entity';

export const { ConnectionType: NotificationConnection, EdgeType: NotificationEdge } = connectionTypes('Notification', Notification, 'Newest first.');

@ObjectType({ description: 'How one notification went out through one channel.' })
export class NotificationDeliveryInfo {
  @Field(() => NotificationChannel) channel!: NotificationChannel;
  @Field(() => DeliveryStatus) status!: DeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
}

@ObjectType({ description: 'The channels one kind of notification reaches the user through.' })
export class NotificationKindPreference {
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field(() => Boolean) email!: boolean;
  @Field(() => Boolean, { description: 'Web Push to every browser the user registered.' })
  push!: boolean;
}

@ObjectType({ description: "The viewer's notification settings. Every notification is readable in the API whatever they say." })
export class NotificationPreferences {
  @Field(() => [NotificationKindPreference], { description: 'One entry per kind; both channels are on until the user turns them off.' })
  kinds!: NotificationKindPreference[];
  @Field(() => Int, { description: 'Browsers registered for Web Push.' })
  pushSubscriptionCount!: number;
  @Field(() => Boolean, { description: 'The service sends email (SMTP configured).' })
  emailAvailable!: boolean;
  @Field(() => Boolean, { description: 'The service sends Web Push (VAPID keys configured).' })
  pushAvailable!: boolean;
}

@InputType()
export class NotificationKindPreferenceInput {
  @Field(() => NotificationKind) kind!: NotificationKind;
  @Field(() => Boolean, { nullable: true, description: 'Unchanged when omitted.' }) email?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Unchanged when omitted.' }) push?: boolean | null;
}

@InputType()
export class UpdateNotificationPreferencesInput {
  @Field(() => [NotificationKindPreferenceInput]) preferences!: NotificationKindPreferenceInput[];
}

@ObjectType()
export class NotificationPreferencesPayload {
  @Field(() => NotificationPreferences, { nullable: true }) preferences?: NotificationPreferences | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], { nullable: true, description: "The viewer's notifications to mark read (at most 100)." })
  ids?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Mark every notification of the viewer read.' })
  all?: boolean | null;
}

@ObjectType()
export class MarkNotificationsReadPayload {
  @Field(() => [Notification], { nullable: true, description: 'The notifications named in `ids`, now read; null for `all`.' })
  notifications?: Notification[] | null;
  @Field(() => Int, { nullable: true }) unreadCount?: number | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class PushSubscriptionKeysInput {
  @Field(() => String, { description: "The browser's P-256 public key, base64url (PushSubscription.getKey('p256dh'))." })
  p256dh!: string;
  @Field(() => String, { description: 'The 16-byte authentication secret, base64url.' })
  auth!: string;
}

@InputType({ description: "A browser's PushSubscription (PushSubscription.toJSON()), made with Query.webPushPublicKey." })
export class RegisterPushSubscriptionInput {
  @Field(() => String) endpoint!: string;
  @Field(() => PushSubscriptionKeysInput) keys!: PushSubscriptionKeysInput;
}

@InputType()
export class RemovePushSubscriptionInput {
  @Field(() => String) endpoint!: string;
}

@ObjectType()
export class PushSubscriptionPayload {
  @Field(() => Boolean, { nullable: true, description: 'Null when userErrors are returned.' }) registered?: boolean | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class RemovePushSubscriptionPayload {
  @Field(() => Boolean, { nullable: true, description: 'False when the viewer had no such subscription; null when userErrors are returned.' }) removed?: boolean | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
