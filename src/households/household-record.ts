import { ManyToOne } from '@mikro-orm/core';
import { OrganisationRecord } from '../organisations/organisation-record';
import type { Household } from './household.entity';

/**
 * The columns every record kept for one household starts with: its id, the organisation and the
 * household (indexed: these are read by household). The relation is named, not imported, so that an
 * entity module can extend this without an import cycle.
 */
export abstract class HouseholdRecord extends OrganisationRecord {
  @ManyToOne({ entity: 'Household', index: true })
  household!: Household;
}
