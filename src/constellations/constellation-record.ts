import { ManyToOne, PrimaryKey } from '@mikro-orm/core';
import type { Organisation } from '../organisations/organisation.entity';
import type { Constellation } from './constellation.entity';

/**
 * The columns every record kept for one constellation starts with: its id, and the organisation and
 * constellation it belongs to (the organisation repeated, so scoped SQL filters without a join).
 * The relations are named, not imported, so that an entity module can extend this without an import cycle.
 */
export abstract class ConstellationRecord {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'Organisation' })
  organisation!: Organisation;

  @ManyToOne({ entity: 'Constellation' })
  constellation!: Constellation;
}
