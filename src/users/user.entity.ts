import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Role } from '../auth/roles';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';

/**
 * The columns of `app_user u` a scoped read maps into a User: never the password hash or the token
 * generation (lazy properties, read only where a login or a password change needs them).
 */
export const USER_COLUMNS = 'u.id, u.organisation_id, u.email, u.name, u.role, u.active, u.created_at, u.deactivated_at';

/** A login. The password hash is deliberately not a GraphQL field. */
@Entity({ tableName: 'app_user' })
@ObjectType('User', { implements: Node })
export class User {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation, index: true })
  organisation!: Organisation;

  /** Stored lower-cased so the unique index makes logins case-insensitive. */
  @Property({ type: 'text', unique: true })
  email!: string;

  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  @Property({ type: 'text', lazy: true })
  passwordHash!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;

  @Property({ type: 'timestamptz', nullable: true })
  deactivatedAt?: Date | null;

  /** Moves with every password change (a trigger): tokens of an earlier generation are refused. */
  @Property({ type: 'integer', default: 0, lazy: true })
  tokenGeneration?: number;
}
