import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { Household } from '../households/household.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';
import { DateScalar } from '../platform/graphql/scalars';
import { PlacementEndReason, PlacementKind, PlacementSetting } from './enums';

/**
 * A child living somewhere over [startDate, endDate). No two placements of a child overlap: an
 * exclusion constraint over the generated `period` daterange (hand-written in the migration).
 */
@Entity({ tableName: 'placement' })
@ObjectType({ implements: Node })
export class Placement {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation, index: true })
  organisation!: Organisation;

  @ManyToOne({ entity: () => Child, index: true })
  child!: Child;

  @ManyToOne({ entity: () => Household, nullable: true, index: true })
  household?: Household | null;

  @Field(() => PlacementSetting)
  @Enum({ items: () => PlacementSetting })
  setting!: PlacementSetting;

  @Field(() => String, { nullable: true, description: "Name of the provider when not one of the organisation's households." })
  @Property({ type: 'text', nullable: true })
  providerName?: string | null;

  @Field(() => PlacementKind)
  @Enum({ items: () => PlacementKind })
  kind!: PlacementKind;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  startDate!: string;

  @Field(() => DateScalar, { nullable: true, description: "The day the child moved on (the next placement's startDate); null while it continues." })
  @Property({ type: 'date', nullable: true })
  endDate?: string | null;

  @Enum({ items: () => PlacementEndReason, nullable: true })
  endReason?: PlacementEndReason | null;

  @Property({ type: 'boolean', nullable: true })
  unplanned?: boolean | null;

  @Property({ type: 'text', nullable: true })
  hubOverrideReason?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}
