import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';
import { User } from '../users/user.entity';
import { DeliveryStatus, NotificationChannel, NotificationKind } from './kinds';

/**
 * One thing one user is told, written in the same transaction as the change it is about (the
 * outbox): readable in the API at once, delivered by the worker through the channels the
 * recipient chose. Its text holds only what the recipient may see.
 */
@Entity({ tableName: 'notification' })
@ObjectType('Notification', { implements: Node, description: 'Something the viewer was told. Ordered newest first in connections.' })
@Unique({ properties: ['recipient', 'dedupeKey'] })
export class Notification {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @ManyToOne({ entity: () => User })
  recipient!: User;

  @Field(() => NotificationKind)
  @Enum({ items: () => NotificationKind })
  kind!: NotificationKind;

  /** Also the email subject and the push title: never names a child. */
  @Field(() => String, { description: 'Short line, also the email subject and push title; never names a child.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { description: 'Plain text.' })
  @Property({ type: 'text' })
  bodyText!: string;

  @Property({ type: 'text' })
  bodyHtml!: string;

  /** The entity it is about (e.g. Sleepover), for the client to open; both or neither. */
  @Property({ type: 'text', nullable: true })
  subjectType?: string | null;

  @Property({ type: 'uuid', nullable: true })
  subjectId?: string | null;

  /** Scheduled notifications: one per (recipient, kind, subject, date) however many replicas tick. */
  @Property({ type: 'text', nullable: true })
  dedupeKey?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  readAt?: Date | null;
}

/**
 * One channel of one notification. (notification, channel) is unique: the idempotent delivery
 * key. Rows of one batch share `batchId` (the first row's id) and are sent as one message by one
 * queue job; an unbatched row is its own batch.
 */
@Entity({ tableName: 'notification_delivery' })
@Unique({ properties: ['notification', 'channel'] })
export class NotificationDelivery {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Notification, deleteRule: 'cascade' })
  notification!: Notification;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @ManyToOne({ entity: () => User, index: true })
  recipient!: User;

  @Enum({ items: () => NotificationChannel })
  channel!: NotificationChannel;

  @Enum({ items: () => DeliveryStatus, default: DeliveryStatus.PENDING })
  status: DeliveryStatus = DeliveryStatus.PENDING;

  @Property({ type: 'smallint', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** Notifications with the same key for the same recipient and channel may be gathered into one message. */
  @Property({ type: 'text', nullable: true })
  batchKey?: string | null;

  @Property({ type: 'uuid', index: true })
  batchId!: string;

  /** Not sent before this instant (a batch's window). */
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  deliverAfter!: Date;

  /** While SENDING: the claim's lease. After it, a send whose worker died is marked DEAD (never resent). */
  @Property({ type: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}

/** A user's channels for one kind; no row means both channels on. */
@Entity({ tableName: 'notification_preference' })
export class NotificationPreference {
  @ManyToOne({ entity: () => User, primary: true, deleteRule: 'cascade' })
  user!: User;

  @Enum({ items: () => NotificationKind, primary: true })
  kind!: NotificationKind;

  @Property({ type: 'boolean' })
  email!: boolean;

  @Property({ type: 'boolean' })
  push!: boolean;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}

/** A browser's Web Push subscription. The endpoint is a capability URL: one row per browser. */
@Entity({ tableName: 'push_subscription' })
export class PushSubscription {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => User, index: true, deleteRule: 'cascade' })
  user!: User;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'text', unique: true })
  endpoint!: string;

  @Property({ type: 'text' })
  p256dh!: string;

  @Property({ type: 'text' })
  auth!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
