import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Constellation } from './constellation.entity';
import { DateScalar } from '../platform/graphql/scalars';
import { MembershipRole } from './enums';

/**
 * Membership over [joinedOn, leftOn). The hub is a membership with role HUB, so one exclusion
 * constraint on (household, period) keeps a household in at most one constellation on any date
 * (hand-written in the migration; see migrations/).
 */
@Entity({ tableName: 'constellation_membership' })
@ObjectType({ description: 'Membership over [joinedOn, leftOn).' })
export class ConstellationMembership {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @ManyToOne({ entity: () => Constellation, index: true })
  constellation!: Constellation;

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
