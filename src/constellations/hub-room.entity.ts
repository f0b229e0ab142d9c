import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Organisation } from '../organisations/organisation.entity';
import { Constellation } from './constellation.entity';

/**
 * The hub's bedrooms, in order: room `position` holds the next `beds` bed numbers after the rooms
 * before it, so beds are numbered in room order and the rooms' beds add up to sleepoverBeds. A hub
 * with no rows has one room holding every bed.
 */
@Entity({ tableName: 'hub_room' })
export class HubRoomRow {
  @ManyToOne({ entity: () => Constellation, primary: true })
  constellation!: Constellation;

  @PrimaryKey({ type: 'smallint' })
  position!: number;

  @ManyToOne({ entity: () => Organisation })
  organisation!: Organisation;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'smallint' })
  beds!: number;
}
