import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Organisation } from '../organisations/organisation.entity';
import { registerEnum } from '../platform/graphql/enums';
import { Node } from '../platform/graphql/node';
import { DateScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';

export enum RoomSharing {
  OWN_ROOM = 'OWN_ROOM',
  SIBLINGS = 'SIBLINGS',
  OTHER_CHILDREN = 'OTHER_CHILDREN',
}
registerEnum(RoomSharing, 'RoomSharing', {
  values: {
    OWN_ROOM: null,
    SIBLINGS: 'With brothers and sisters only.',
    OTHER_CHILDREN: 'With siblings and with other children whose consent allows it too.',
  },
});

/**
 * One consent in a child's history. Rows are never deleted: a new consent supersedes the one before
 * it from its givenOn, and a withdrawal sets withdrawnOn. notWith, recordedBy and the viewer-dependent
 * fields are resolved in the consent resolver.
 */
@Entity({ tableName: 'sleepover_consent' })
@ObjectType({
  implements: Node,
  description:
    'Agreement, from whoever holds that right for the child (the responsible authority; a parent where\nthe child is accommodated by agreement), that the child may stay overnight at the hub home.',
})
export class SleepoverConsent {
  /** The database sets it on insert (em.create needs no value for it). */
  [OptionalProps]?: 'recordedAt';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @ManyToOne({ entity: () => Child })
  child!: Child;

  @Field(() => String, { description: 'Who gave it, e.g. "Leeds CSC, J. Smith (team manager)".' })
  @Property({ type: 'text' })
  givenBy!: string;

  @Field(() => DateScalar, { description: 'First night it covers.' })
  @Property({ type: 'date' })
  givenOn!: string;

  @Field(() => DateScalar, { nullable: true, description: 'First night it no longer covers; null while it stands with no end.' })
  @Property({ type: 'date', nullable: true })
  expiresOn?: string | null;

  @Field(() => String, { nullable: true, description: 'What the hub must respect, e.g. "not on nights before contact".' })
  @Property({ type: 'text', nullable: true })
  conditions?: string | null;

  @Field(() => RoomSharing, {
    description: "Whom the child may share a bedroom with at the hub (Fostering NMS 10.6: a child over three has\na room of their own unless each child's responsible authority agrees to sharing).",
  })
  @Enum({ items: () => RoomSharing })
  roomSharing!: RoomSharing;

  @Property({ type: 'text[]', default: '{}' })
  notWithIds: string[] = [];

  @Field(() => DateScalar, { nullable: true, description: 'First night it no longer covers because it was withdrawn; null unless withdrawn.' })
  @Property({ type: 'date', nullable: true })
  withdrawnOn?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  withdrawalReason?: string | null;

  @ManyToOne({ entity: () => User, nullable: true })
  recordedBy?: User | null;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  recordedAt!: Date;
}
