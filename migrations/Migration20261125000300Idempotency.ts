import { Migration } from '@mikro-orm/migrations';

/** Idempotency-Key records, kept 24 hours, written in the same transaction as the effect. */
export class Migration20261125000300Idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("user_id" uuid not null, "key" text not null, "action" text not null, "request_hash" text not null, "outcome" jsonb not null, "created_at" timestamptz not null default now(), constraint "idempotency_key_pkey" primary key ("user_id", "key"));`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`);
  }
}
