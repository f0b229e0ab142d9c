import { Entity, OneToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../platform/graphql/node';
import { User } from '../users/user.entity';
import { HouseholdRecord } from './household-record';

@Entity({ tableName: 'carer' })
@ObjectType({ implements: Node })
export class Carer extends HouseholdRecord {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  /** A carer has at most one login and a login is at most one carer. */
  @OneToOne({ entity: () => User, nullable: true, owner: true, unique: true })
  user?: User | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}
