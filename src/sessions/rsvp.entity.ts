import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Carer } from '../households/carer.entity';
import { Organisation } from '../organisations/organisation.entity';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { RsvpStatus } from './enums';
import { PeerSupportSession } from './session.entity';

/**
 * One carer's answer to one session. A WAITLISTED row holds a ticket (unique per session, handed
 * out under the session's lock); `waitlistPosition` is its rank among the session's tickets.
 */
@Entity({ tableName: 'session_rsvp' })
@ObjectType()
export class SessionRsvp {
  @ManyToOne({ entity: () => PeerSupportSession, primary: true })
  session!: PeerSupportSession;

  @ManyToOne({ entity: () => Carer, primary: true, index: true })
  carer!: Carer;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Field(() => RsvpStatus)
  @Enum({ items: () => RsvpStatus })
  status!: RsvpStatus;

  @Field(() => Int, { description: "Children the carer brings (children's activities); they do not take carers' places." })
  @Property({ type: 'smallint', default: 0 })
  childCount: number = 0;

  @Property({ type: 'integer', nullable: true })
  waitlistTicket?: number | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  respondedAt!: Date;

  /** Not stored: the rank among WAITLISTED rows, 1 for the next to be promoted. */
  @Field(() => Int, { nullable: true, description: '1 for the next to be promoted; null unless WAITLISTED.' })
  waitlistPosition?: number | null;
}
