import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { HouseholdRecord } from '../households/household-record';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';
import { DateScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';

/**
 * An exemption from the fostering limit for a household, as the local authority granted it. Ending
 * early (varied or cancelled) sets endedOn; the row is otherwise never changed.
 */
@Entity({ tableName: 'fostering_limit_exemption' })
@ObjectType({
  implements: Node,
  description:
    'An exemption from the usual fostering limit of three children (Children Act 1989, Schedule 7,\nparagraph 4), granted by the local authority where the household lives, for named children, over the\nnights [from, to) — or up to endedOn when the authority varied or cancelled it.',
})
export class FosteringLimitExemption extends HouseholdRecord {
  @Field(() => DateScalar, { name: 'from' })
  @Property({ type: 'date' })
  fromDate!: string;

  @Field(() => DateScalar, { name: 'to' })
  @Property({ type: 'date' })
  toDate!: string;

  @Field(() => Int, { description: 'Fostered children the home may have in all on a night the exemption covers.' })
  @Property({ type: 'smallint' })
  maxChildren!: number;

  @Field(() => String, { description: 'The local authority that granted it, e.g. "Leeds City Council".' })
  @Property({ type: 'text' })
  grantedByAuthority!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  conditions?: string | null;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @ManyToOne({ entity: () => User, nullable: true })
  grantedBy?: User | null;

  @Field(() => DateScalar, { nullable: true, description: 'First night it no longer covers, when ended early; null otherwise.' })
  @Property({ type: 'date', nullable: true })
  endedOn?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  endReason?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}

/** A child the exemption names (the law names the children). */
@Entity({ tableName: 'fostering_limit_exemption_child' })
export class FosteringLimitExemptionChild {
  @ManyToOne({ entity: () => FosteringLimitExemption, primary: true })
  exemption!: FosteringLimitExemption;

  @ManyToOne({ entity: () => Child, primary: true, index: true })
  child!: Child;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;
}
