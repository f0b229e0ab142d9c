import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Child } from '../children/child.entity';
import { ConstellationRecord } from '../constellations/constellation-record';
import { Household } from '../households/household.entity';
import { Node } from '../platform/graphql/node';
import { DateScalar, DateTimeScalar } from '../platform/graphql/scalars';
import { User } from '../users/user.entity';
import { SupportChannel, SupportTopic } from './support.enums';

/**
 * One version of a support log entry. Rows are never changed or deleted (a trigger refuses it,
 * see the migration): a correction is a new row whose `amends` is the version it replaces, and
 * a unique index on `amends_id` keeps each chain a single line, so "the latest version" is the
 * row nobody amends. `rootId` names the chain (the first version's id) and `chainSafeguarding`
 * carries "any version was safeguarding" forward, so a chain's latest row answers both without
 * reading the rows before it.
 */
@Entity({ tableName: 'support_log_entry' })
@ObjectType('SupportLogEntry', {
  implements: Node,
  description: 'Support the hub carer or liaison worker gave a household. Entries are never changed or deleted:\na correction is a new entry that amends the earlier one.',
})
export class SupportLogEntry extends ConstellationRecord {
  @ManyToOne({ entity: () => Household })
  household!: Household;

  @ManyToOne({ entity: () => Child, nullable: true })
  child?: Child | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz' })
  at!: Date;

  @Field(() => SupportChannel)
  @Enum({ items: () => SupportChannel })
  channel!: SupportChannel;

  @Field(() => Boolean, { description: 'Evenings and nights (before 08:00 or from 18:00 London time), weekends and bank holidays.' })
  @Property({ type: 'boolean' })
  outOfHours!: boolean;

  @Field(() => [SupportTopic])
  @Property({ type: 'text[]' })
  topics!: SupportTopic[];

  @Field(() => String)
  @Property({ type: 'text' })
  summary!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  action?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  followUpOn?: string | null;

  @Field(() => Boolean, { description: 'The carer said the placement was at risk of ending.' })
  @Property({ type: 'boolean' })
  placementAtRisk!: boolean;

  @Field(() => Boolean, { description: 'The carer said that without this support the placement would have ended.' })
  @Property({ type: 'boolean' })
  wouldHaveEnded!: boolean;

  @Field(() => Boolean, { description: 'The carer said that without this support they would have stopped fostering.' })
  @Property({ type: 'boolean' })
  wouldHaveResigned!: boolean;

  /** This version's own flag; the chain's is chainSafeguarding (what the API shows). */
  @Property({ type: 'boolean' })
  safeguarding!: boolean;

  /** This version or any before it was safeguarding. */
  @Property({ type: 'boolean' })
  chainSafeguarding!: boolean;

  @Field(() => String, { nullable: true, description: 'To whom, and when, a safeguarding concern was passed on (both required when safeguarding).' })
  @Property({ type: 'text', nullable: true })
  escalatedTo?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  escalatedAt?: Date | null;

  @ManyToOne({ entity: () => SupportLogEntry, nullable: true, unique: 'support_log_entry_amends_id_unique' })
  amends?: SupportLogEntry | null;

  /** The chain's first version. */
  @Property({ type: 'uuid' })
  rootId!: string;

  @Field(() => Boolean, {
    description: 'This correction withdraws the entry as made in error (e.g. about the wrong household): the chain\ncounts nowhere and no carer sees it.',
  })
  @Property({ type: 'boolean', default: false })
  recordedInError: boolean = false;

  @ManyToOne({ entity: () => User, nullable: true })
  recordedBy?: User | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
