import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { OrganisationRecord } from '../organisations/organisation-record';
import { Node } from '../platform/graphql/node';
import { DateScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';
import { ConstellationStatus } from './enums';

@Entity({ tableName: 'constellation' })
@Index({ properties: ['organisation'] })
@ObjectType({ implements: Node })
export class Constellation extends OrganisationRecord {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ConstellationStatus)
  @Enum({ items: () => ConstellationStatus })
  status!: ConstellationStatus;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  launchedOn?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, index: true })
  liaisonWorker?: User | null;

  @Field(() => Int, { description: 'Beds the hub keeps for sleepovers (2 in the standard model).' })
  @Property({ type: 'smallint' })
  sleepoverBeds!: number;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}
