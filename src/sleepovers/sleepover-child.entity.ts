import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Child } from '../children/child.entity';
import { Organisation } from '../organisations/organisation.entity';
import { Sleepover } from './sleepover.entity';

/**
 * One child of a sleepover. `active` mirrors the sleepover's status (REQUESTED or CONFIRMED) so an
 * exclusion constraint can keep a child out of two active sleepovers sharing a night.
 */
@Entity({ tableName: 'sleepover_child' })
export class SleepoverChild {
  @ManyToOne({ entity: () => Sleepover, primary: true })
  sleepover!: Sleepover;

  @ManyToOne({ entity: () => Child, primary: true, index: true })
  child!: Child;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date' })
  endDate!: string;

  @Property({ type: 'boolean' })
  active!: boolean;

  /** Set when confirmed. */
  @Property({ type: 'smallint', nullable: true })
  bed?: number | null;
}
