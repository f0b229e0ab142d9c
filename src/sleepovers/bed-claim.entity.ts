import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Child } from '../children/child.entity';
import { ConstellationRecord } from '../constellations/constellation-record';
import { User } from '../users/user.entity';
import { Sleepover } from './sleepover.entity';

/**
 * Every confirmed sleepover child and every blocked night holds a bed here. The migration adds
 * EXCLUDE (constellation_id =, bed =, nights &&) and a foreign key to hub_bed, so no bed is ever
 * held twice on a night and no bed beyond sleepoverBeds exists, under any race (DESIGN.md, Beds).
 */
@Entity({ tableName: 'bed_claim' })
export class BedClaim extends ConstellationRecord {
  @Property({ type: 'smallint' })
  bed!: number;

  @Property({ type: 'date' })
  startDate!: string;

  @Property({ type: 'date' })
  endDate!: string;

  /** Exactly one of sleepover (with its child) or a block reason is set. */
  @ManyToOne({ entity: () => Sleepover, nullable: true, index: true })
  sleepover?: Sleepover | null;

  @ManyToOne({ entity: () => Child, nullable: true })
  child?: Child | null;

  @Property({ type: 'boolean', default: false })
  isBlock: boolean = false;

  @Property({ type: 'text', nullable: true })
  blockReason?: string | null;

  @ManyToOne({ entity: () => User, nullable: true })
  createdBy?: User | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
