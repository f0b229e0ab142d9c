import { Entity, Enum, Index, ManyToOne, OptionalProps, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { ConstellationRecord } from '../constellations/constellation-record';
import { Household } from '../households/household.entity';
import { Node } from '../platform/graphql/node';
import { DateScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';
import { SleepoverKind, StoredSleepoverStatus } from './enums';

/**
 * Children of one household at the hub for the nights [startDate, endDate). Never a placement.
 * Fields that depend on the viewer (children, household, requester, notes) and derived ones
 * (status, nights, beds) are resolved in the sleepover resolver.
 */
@Entity({ tableName: 'sleepover' })
@Index({ properties: ['constellation'] })
@ObjectType({
  implements: Node,
  description: 'A sleepover at the hub home: one or more children of one satellite household (siblings stay\ntogether) for the nights [startDate, endDate), one bed each.',
})
export class Sleepover extends ConstellationRecord {
  /** The database sets these on insert (em.create needs no value for them). */
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  /** The household the children are placed with. */
  @ManyToOne({ entity: () => Household, index: true })
  household!: Household;

  @ManyToOne({ entity: () => User, nullable: true })
  requestedBy?: User | null;

  @Field(() => SleepoverKind)
  @Enum({ items: () => SleepoverKind })
  kind!: SleepoverKind;

  @Enum({ items: () => StoredSleepoverStatus })
  status!: StoredSleepoverStatus;

  @Field(() => DateScalar, { description: 'First night.' })
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => DateScalar, { description: 'Morning the children go home.' })
  @Property({ type: 'date' })
  endDate!: string;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ type: 'text', nullable: true })
  decisionReason?: string | null;

  /** Set when staff book a child from outside the constellation (cover while its hub is away). */
  @Property({ type: 'text', nullable: true })
  coverReason?: string | null;

  @Field(() => Boolean, {
    description: 'Recorded after its first night had begun and was no longer tonight (an emergency dealt with first,\nwritten up after).',
  })
  @Property({ type: 'boolean', default: false })
  recordedAfterwards: boolean = false;

  /** A manager's reason for taking the children outside the hub's terms of approval (emergency, regulation 23). */
  @Property({ type: 'text', nullable: true })
  approvalOverrideReason?: string | null;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  @Field(() => Date)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt!: Date;
}
