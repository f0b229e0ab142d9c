import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { OrganisationRecord } from '../organisations/organisation-record';
import { PlacementKind } from '../placements/enums';
import { Node } from '../platform/graphql/node';
import { User } from '../users/user.entity';
import { DeregistrationReason, HouseholdStatus } from './enums';

/**
 * A fostering household. Fields other carers of the constellation may not see (status, approval,
 * dates, placements) are resolved in HouseholdResolver against the viewer, not exposed here.
 */
@Entity({ tableName: 'household' })
@Index({ properties: ['organisation'] })
@ObjectType({
  implements: Node,
  description:
    'Carers see every field of their own household; of other households in their constellation they\nsee id, name, carers, postcodeDistrict and constellation — the other fields are null for them.',
})
export class Household extends OrganisationRecord {
  @Field(() => String)
  @Property({ type: 'text' })
  name!: string;

  @Field(() => String, { description: 'Outward postcode only (e.g. "LS6"); full addresses are not held by this service.' })
  @Property({ type: 'text' })
  postcodeDistrict!: string;

  @Property({ type: 'boolean', default: false })
  isKinship: boolean = false;

  @Enum({ items: () => HouseholdStatus })
  status!: HouseholdStatus;

  @Property({ type: 'smallint', nullable: true })
  approvalMinAge?: number | null;

  @Property({ type: 'smallint', nullable: true })
  approvalMaxAge?: number | null;

  @Property({ type: 'smallint', nullable: true })
  approvalMaxChildren?: number | null;

  @Property({ type: 'text[]', nullable: true })
  approvalKinds?: PlacementKind[] | null;

  @Property({ type: 'date', nullable: true })
  approvedOn?: string | null;

  @Property({ type: 'date', nullable: true })
  deregisteredOn?: string | null;

  @Enum({ items: () => DeregistrationReason, nullable: true })
  deregistrationReason?: DeregistrationReason | null;

  @Property({ type: 'text', nullable: true })
  deregistrationNote?: string | null;

  @ManyToOne({ entity: () => User, nullable: true })
  supervisingSocialWorker?: User | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt?: Date;

  /** Bedrooms available to fostered children (matching; set with the household's skills). */
  @Property({ type: 'smallint', nullable: true })
  bedrooms?: number | null;
}
