import { Migration } from '@mikro-orm/migrations';

/** Sleepovers and the hub's bed claims. */
export class Migration20261125000200Sleepovers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sleepover" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "constellation_id" uuid not null, "household_id" uuid not null, "requested_by_id" uuid null, "kind" text check ("kind" in ('PLANNED', 'EMERGENCY')) not null, "status" text check ("status" in ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED')) not null, "start_date" date not null, "end_date" date not null, "notes" text null, "decision_reason" text null, "cover_reason" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "sleepover_pkey" primary key ("id"));`);
    this.addSql(`create index "sleepover_constellation_id_index" on "sleepover" ("constellation_id");`);
    this.addSql(`create index "sleepover_household_id_index" on "sleepover" ("household_id");`);
    this.addSql(`create table "sleepover_child" ("sleepover_id" uuid not null, "child_id" uuid not null, "organisation_id" uuid not null, "start_date" date not null, "end_date" date not null, "active" boolean not null, "bed" smallint null, constraint "sleepover_child_pkey" primary key ("sleepover_id", "child_id"));`);
    this.addSql(`create index "sleepover_child_child_id_index" on "sleepover_child" ("child_id");`);
    this.addSql(`create table "bed_claim" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "constellation_id" uuid not null, "bed" smallint not null, "start_date" date not null, "end_date" date not null, "sleepover_id" uuid null, "child_id" uuid null, "is_block" boolean not null default false, "block_reason" text null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "bed_claim_pkey" primary key ("id"));`);
    this.addSql(`create index "bed_claim_sleepover_id_index" on "bed_claim" ("sleepover_id");`);
    this.addSql(`alter table "sleepover" add constraint "sleepover_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover" add constraint "sleepover_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover" add constraint "sleepover_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover" add constraint "sleepover_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "sleepover_child" add constraint "sleepover_child_sleepover_id_foreign" foreign key ("sleepover_id") references "sleepover" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover_child" add constraint "sleepover_child_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover_child" add constraint "sleepover_child_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_sleepover_id_foreign" foreign key ("sleepover_id") references "sleepover" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    // ---- Hand-written (MikroORM 6's diff cannot express these). ----
    this.addSql(`alter table "sleepover" add column "nights" daterange generated always as (daterange("start_date", "end_date", '[)')) stored;`);
    this.addSql(`alter table "sleepover" add constraint "sleepover_dates_rule" check ("end_date" > "start_date" and "end_date" - "start_date" <= 28);`);
    this.addSql(`create index "sleepover_constellation_nights_idx" on "sleepover" using gist ("constellation_id", "nights");`);
    this.addSql(`create index "sleepover_org_start_idx" on "sleepover" ("organisation_id", "start_date", "created_at");`);

    this.addSql(`alter table "sleepover_child" add column "nights" daterange generated always as (daterange("start_date", "end_date", '[)')) stored;`);
    // A child is never in two active (REQUESTED or CONFIRMED) sleepovers sharing a night.
    this.addSql(`alter table "sleepover_child" add constraint "sleepover_child_no_overlap" exclude using gist ("child_id" with =, "nights" with &&) where ("active");`);

    this.addSql(`alter table "bed_claim" add column "nights" daterange generated always as (daterange("start_date", "end_date", '[)')) stored;`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_dates_rule" check ("end_date" > "start_date");`);
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_kind_rule" check (("is_block" and "sleepover_id" is null and "child_id" is null) or (not "is_block" and "sleepover_id" is not null and "child_id" is not null));`);
    // Beds exist only as rows of hub_bed (1..sleepoverBeds); a claim on any other bed fails.
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_hub_bed_fk" foreign key ("constellation_id", "bed") references "hub_bed" ("constellation_id", "bed");`);
    // No bed holds two children, or a child and a block, on any night.
    this.addSql(`alter table "bed_claim" add constraint "bed_claim_no_overlap" exclude using gist ("constellation_id" with =, "bed" with =, "nights" with &&);`);
  }
}
