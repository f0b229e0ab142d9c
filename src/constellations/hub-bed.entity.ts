import { Entity, ManyToOne, PrimaryKey } from '@mikro-orm/core';
import { Organisation } from '../organisations/organisation.entity';
import { Constellation } from './constellation.entity';

/**
 * The hub's sleepover beds, 1..sleepoverBeds. Bed claims reference this table by foreign key, so a
 * bed beyond sleepoverBeds cannot be claimed (DESIGN.md, Beds).
 */
@Entity({ tableName: 'hub_bed' })
export class HubBed {
  @ManyToOne({ entity: () => Constellation, primary: true })
  constellation!: Constellation;

  @PrimaryKey({ type: 'smallint' })
  bed!: number;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;
}
