import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Household } from '../households/household.entity';
import { DateScalar } from '../platform/graphql/scalars';
import { ConstellationRecord } from './constellation-record';
import { MembershipRole } from './enums';

/**
 * Membership over [joinedOn, leftOn). The hub is a membership with role HUB, so one exclusion
 * constraint on (household, period) keeps a household in at most one constellation on any date
 * (hand-written in the migration; see migrations/).
 */
@Entity({ tableName: 'constellation_membership' })
@Index({ properties: ['constellation'] })
@ObjectType({ description: 'Membership over [joinedOn, leftOn).' })
export class ConstellationMembership extends ConstellationRecord {
  @ManyToOne({ entity: () => Household, index: true })
  household!: Household;

  @Enum({ items: () => MembershipRole })
  role!: MembershipRole;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  joinedOn!: string;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  leftOn?: string | null;
}
