import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * An operation a frontend ships, registered by an operator from the frontend's build manifest.
 * Named by the sha256 of its exact text (the database checks that the two agree), so a document
 * never changes once stored and every replica resolves an id the same way.
 */
@Entity({ tableName: 'trusted_document' })
export class TrustedDocument {
  /** Lower-case hex sha256 of `document`'s UTF-8 bytes. */
  @PrimaryKey({ type: 'text' })
  hash!: string;

  @Property({ type: 'text' })
  document!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;
}
