import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../platform/graphql/node';
import { OrganisationKind } from './enums';

/** A fostering service; the tenant boundary. */
@Entity({ tableName: 'organisation' })
@ObjectType({ implements: Node })
export class Organisation {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => OrganisationKind)
  @Enum({ items: () => OrganisationKind, nativeEnumName: undefined })
  kind!: OrganisationKind;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;
}
