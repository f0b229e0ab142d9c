import { Entity, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';
import { User } from '../users/user.entity';
import { Household } from './household.entity';

@Entity({ tableName: 'carer' })
@ObjectType({ implements: Node })
export class Carer {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @ManyToOne({ entity: () => Household, index: true })
  household!: Household;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  /** A carer has at most one login and a login is at most one carer. */
  @OneToOne({ entity: () => User, nullable: true, owner: true, unique: true })
  user?: User | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}
