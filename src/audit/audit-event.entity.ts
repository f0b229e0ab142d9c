import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Organisation } from '../organisations/organisation.entity';
import { Node } from '../platform/graphql/node';
import { User } from '../users/user.entity';

/** Append-only: a trigger rejects UPDATE and DELETE (hand-written in the migration). */
@Entity({ tableName: 'audit_event' })
@ObjectType({ implements: Node })
export class AuditEvent {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', index: true })
  at!: Date;

  @ManyToOne({ entity: () => User, nullable: true })
  actor?: User | null;

  @Field(() => String, { description: 'e.g. "Sleepover.confirm".' })
  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text', index: true })
  subjectId!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  requestId?: string | null;

  /** Redacted summary of the change: ids and changed field names, never personal free text. */
  @Property({ type: 'jsonb', nullable: true })
  summary?: unknown;
}
