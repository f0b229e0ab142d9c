import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Idempotency-Key records, written in the same transaction as the effect they guard. The primary
 * key (user, key) makes racing repeats wait for the first to commit, then replay its outcome.
 */
@Entity({ tableName: 'idempotency_key' })
export class IdempotencyKey {
  /**
   * The user's id. The relation is named rather than imported so the platform depends on no
   * capability; the foreign key to app_user is the same either way.
   */
  @ManyToOne({ entity: 'User', primary: true, mapToPk: true, fieldName: 'user_id', columnType: 'uuid' })
  userId!: string;

  @PrimaryKey({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  action!: string;

  /** sha256 of the operation and its input: the same key with another request is a CONFLICT. */
  @Property({ type: 'text' })
  requestHash!: string;

  /** The first outcome, with entities as references to reload on replay. */
  @Property({ type: 'jsonb' })
  outcome!: unknown;

  @Property({ type: 'timestamptz', defaultRaw: 'now()', index: true })
  createdAt!: Date;
}
