import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';

/** A child looked after. Staff-only and sleepover-only fields are resolved against the viewer. */
@Entity({ tableName: 'child' })
@Unique({ properties: ['organisation', 'reference'] })
@ObjectType({ implements: Node })
export class Child {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'text' })
  reference!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  firstName!: string;

  @Property({ type: 'date' })
  dateOfBirth!: string;

  @Property({ type: 'text', nullable: true })
  sleepoverNotes?: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}
