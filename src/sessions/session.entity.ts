import { Entity, Enum, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { TimedConstellationRecord } from '../constellations/constellation-record';
import { Node } from '../platform/graphql/node';
import { User } from '../users/user.entity';
import { PeerSupportSessionKind, PeerSupportSessionStatus } from './enums';

/**
 * A constellation meeting, support group, training, social or children's activity.
 *
 * `goingCount` and `waitlistCount` are kept by a trigger on session_rsvp (hand-written in the
 * migration) in the same statement as the RSVP change, and a CHECK holds goingCount <= capacity,
 * so no interleaving of writers can over-fill a session (DESIGN.md, Sessions). Writers also lock
 * the session row first, which orders the waitlist: `waitlistTickets` hands out tickets under it.
 */
@Entity({ tableName: 'peer_support_session' })
@Index({ properties: ['organisation'] })
@Index({ properties: ['constellation', 'startsAt'] })
@ObjectType({ implements: Node })
export class PeerSupportSession extends TimedConstellationRecord {
  /** A new session starts from these (the counters at 0, the times from the database): em.create needs no value for them. */
  [OptionalProps]?: 'goingCount' | 'waitlistCount' | 'waitlistTickets' | 'revision' | 'createdAt' | 'updatedAt';

  @Field(() => PeerSupportSessionKind)
  @Enum({ items: () => PeerSupportSessionKind })
  kind!: PeerSupportSessionKind;

  @Field(() => String)
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  location?: string | null;

  @Field(() => Int, { nullable: true, description: 'Places for carers; null means no limit.' })
  @Property({ type: 'integer', nullable: true })
  capacity?: number | null;

  @Field(() => PeerSupportSessionStatus)
  @Enum({ items: () => PeerSupportSessionStatus })
  status!: PeerSupportSessionStatus;

  /** Shared by the sessions of one repeating series. */
  @Property({ type: 'uuid', nullable: true, index: true })
  seriesId?: string | null;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  goingCount: number = 0;

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  waitlistCount: number = 0;

  /** The last waitlist ticket handed out; tickets order the waitlist, first come first served. */
  @Property({ type: 'integer', default: 0 })
  waitlistTickets: number = 0;

  /** Bumped on every change of the session itself: the iCalendar SEQUENCE, so phone calendars update. */
  @Property({ type: 'integer', default: 0 })
  revision: number = 0;

  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;

  @ManyToOne({ entity: () => User, nullable: true })
  createdBy?: User | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
