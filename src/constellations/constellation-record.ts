import { ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { OrganisationRecord } from '../organisations/organisation-record';
import { DateTimeScalar } from '../platform/graphql/scalars';
import type { Constellation } from './constellation.entity';

/**
 * The columns every record kept for one constellation starts with: its id, and the organisation and
 * constellation it belongs to. The relations are named, not imported, so that an entity module can
 * extend this without an import cycle. Where the constellation is indexed, the entity says so with
 * `@Index`.
 */
export abstract class ConstellationRecord extends OrganisationRecord {
  @ManyToOne({ entity: 'Constellation' })
  constellation!: Constellation;
}

/**
 * A constellation's record of something that takes place over [startsAt, endsAt): a session, a hub
 * booking. An object type only so that type-graphql gives its fields to the types extending it;
 * nothing refers to it, so the schema never shows it.
 */
@ObjectType()
export abstract class TimedConstellationRecord extends ConstellationRecord {
  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  endsAt!: Date;
}
