import { ManyToOne, PrimaryKey } from '@mikro-orm/core';
import type { Organisation } from './organisation.entity';

/**
 * The columns every record an organisation keeps starts with: its id, and the organisation it
 * belongs to (repeated on records kept for a household or a constellation, so scoped SQL filters
 * without a join). The relation is named, not imported, so that an entity module can extend this
 * without an import cycle. Where the organisation is indexed, the entity says so with `@Index`.
 */
export abstract class OrganisationRecord {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @ManyToOne({ entity: 'Organisation' })
  organisation!: Organisation;
}
