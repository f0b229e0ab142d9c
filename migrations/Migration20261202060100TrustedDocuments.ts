import { Migration } from '@mikro-orm/migrations';

/**
 * Trusted documents: the operations frontends ship, registered by an operator, looked up by the
 * sha256 of their text. The database itself refuses an entry whose hash is not its document's.
 */
export class Migration20261202060100TrustedDocuments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "trusted_document" ("hash" text not null, "document" text not null, "created_at" timestamptz not null default now(), constraint "trusted_document_pkey" primary key ("hash"));`);
    this.addSql(`alter table "trusted_document" add constraint "trusted_document_hash_rule" check (encode(sha256(convert_to("document", 'UTF8')), 'hex') = "hash");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "trusted_document" cascade;`);
  }
}
