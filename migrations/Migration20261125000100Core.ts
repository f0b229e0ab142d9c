import { Migration } from '@mikro-orm/migrations';

/** Core fostering model: organisations, users, households, constellations, children, placements, audit. */
export class Migration20261125000100Core extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(`create table "organisation" ("id" uuid not null default gen_random_uuid(), "name" text not null, "kind" text check ("kind" in ('LOCAL_AUTHORITY', 'INDEPENDENT_FOSTERING_AGENCY')) not null, "created_at" timestamptz not null default now(), constraint "organisation_pkey" primary key ("id"));`);
    this.addSql(`create table "child" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "reference" text not null, "first_name" text not null, "date_of_birth" date not null, "sleepover_notes" text null, "created_at" timestamptz not null default now(), constraint "child_pkey" primary key ("id"));`);
    this.addSql(`alter table "child" add constraint "child_organisation_id_reference_unique" unique ("organisation_id", "reference");`);
    this.addSql(`create table "child_sibling" ("child_id" uuid not null, "sibling_id" uuid not null, "organisation_id" uuid not null, constraint "child_sibling_pkey" primary key ("child_id", "sibling_id"));`);
    this.addSql(`create index "child_sibling_sibling_id_index" on "child_sibling" ("sibling_id");`);
    this.addSql(`create table "app_user" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "email" text not null, "name" text not null, "role" text check ("role" in ('ADMIN', 'FOSTERING_MANAGER', 'SUPERVISING_SOCIAL_WORKER', 'LIAISON_WORKER', 'CARER')) not null, "password_hash" text not null, "active" boolean not null default true, "created_at" timestamptz not null default now(), "deactivated_at" timestamptz null, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`create index "app_user_organisation_id_index" on "app_user" ("organisation_id");`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`create table "household" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "name" text not null, "postcode_district" text not null, "is_kinship" boolean not null default false, "status" text check ("status" in ('IN_ASSESSMENT', 'TEMPORARILY_APPROVED', 'APPROVED', 'ON_HOLD', 'DEREGISTERED')) not null, "approval_min_age" smallint null, "approval_max_age" smallint null, "approval_max_children" smallint null, "approval_kinds" text[] null, "approved_on" date null, "deregistered_on" date null, "deregistration_reason" text check ("deregistration_reason" in ('RETIREMENT', 'PERSONAL_CIRCUMSTANCES', 'DISSATISFIED_WITH_SERVICE', 'TRANSFERRED_TO_ANOTHER_PROVIDER', 'BECAME_ADOPTERS_OR_GUARDIANS', 'APPROVAL_TERMINATED', 'OTHER')) null, "deregistration_note" text null, "supervising_social_worker_id" uuid null, "created_at" timestamptz not null default now(), constraint "household_pkey" primary key ("id"));`);
    this.addSql(`create index "household_organisation_id_index" on "household" ("organisation_id");`);
    this.addSql(`create table "placement" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "child_id" uuid not null, "household_id" uuid null, "setting" text check ("setting" in ('FOSTER_HOUSEHOLD', 'OTHER_FOSTERING_PROVIDER', 'RESIDENTIAL', 'SECURE', 'SUPPORTED_ACCOMMODATION', 'WITH_PARENTS', 'HOSPITAL', 'OTHER')) not null, "provider_name" text null, "kind" text check ("kind" in ('EMERGENCY', 'SHORT_TERM', 'LONG_TERM', 'RESPITE', 'PARENT_AND_CHILD', 'REMAND')) not null, "start_date" date not null, "end_date" date null, "end_reason" text check ("end_reason" in ('CARPL', 'PLACE', 'CREQB', 'CREQO', 'CHILD', 'LAREQ', 'STAND', 'CLOSE', 'ALLEG', 'APPRR', 'CUSTOD', 'LEFT_CARE', 'OTHER')) null, "unplanned" boolean null, "hub_override_reason" text null, "created_at" timestamptz not null default now(), constraint "placement_pkey" primary key ("id"));`);
    this.addSql(`create index "placement_organisation_id_index" on "placement" ("organisation_id");`);
    this.addSql(`create index "placement_child_id_index" on "placement" ("child_id");`);
    this.addSql(`create index "placement_household_id_index" on "placement" ("household_id");`);
    this.addSql(`create table "constellation" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "name" text not null, "status" text check ("status" in ('FORMING', 'ACTIVE', 'PAUSED', 'CLOSED')) not null, "launched_on" date null, "liaison_worker_id" uuid null, "sleepover_beds" smallint not null, "created_at" timestamptz not null default now(), constraint "constellation_pkey" primary key ("id"));`);
    this.addSql(`create index "constellation_organisation_id_index" on "constellation" ("organisation_id");`);
    this.addSql(`create index "constellation_liaison_worker_id_index" on "constellation" ("liaison_worker_id");`);
    this.addSql(`create table "hub_bed" ("constellation_id" uuid not null, "bed" smallint not null, "organisation_id" uuid not null, constraint "hub_bed_pkey" primary key ("constellation_id", "bed"));`);
    this.addSql(`create table "constellation_membership" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "constellation_id" uuid not null, "household_id" uuid not null, "role" text check ("role" in ('HUB', 'SATELLITE')) not null, "joined_on" date not null, "left_on" date null, constraint "constellation_membership_pkey" primary key ("id"));`);
    this.addSql(`create index "constellation_membership_constellation_id_index" on "constellation_membership" ("constellation_id");`);
    this.addSql(`create index "constellation_membership_household_id_index" on "constellation_membership" ("household_id");`);
    this.addSql(`create table "carer" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "household_id" uuid not null, "name" text not null, "user_id" uuid null, "created_at" timestamptz not null default now(), constraint "carer_pkey" primary key ("id"));`);
    this.addSql(`create index "carer_household_id_index" on "carer" ("household_id");`);
    this.addSql(`alter table "carer" add constraint "carer_user_id_unique" unique ("user_id");`);
    this.addSql(`create table "audit_event" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "at" timestamptz not null default now(), "actor_id" uuid null, "action" text not null, "subject_id" text not null, "request_id" text null, "summary" jsonb null, constraint "audit_event_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);
    this.addSql(`create index "audit_event_subject_id_index" on "audit_event" ("subject_id");`);
    this.addSql(`alter table "child" add constraint "child_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "child_sibling" add constraint "child_sibling_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "child_sibling" add constraint "child_sibling_sibling_id_foreign" foreign key ("sibling_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "child_sibling" add constraint "child_sibling_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "app_user" add constraint "app_user_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "household" add constraint "household_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "household" add constraint "household_supervising_social_worker_id_foreign" foreign key ("supervising_social_worker_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "placement" add constraint "placement_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "placement" add constraint "placement_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "placement" add constraint "placement_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "constellation" add constraint "constellation_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "constellation" add constraint "constellation_liaison_worker_id_foreign" foreign key ("liaison_worker_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "hub_bed" add constraint "hub_bed_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_bed" add constraint "hub_bed_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "constellation_membership" add constraint "constellation_membership_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "constellation_membership" add constraint "constellation_membership_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "constellation_membership" add constraint "constellation_membership_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "carer" add constraint "carer_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "carer" add constraint "carer_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "carer" add constraint "carer_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete set null;`);

    // ---- Hand-written: MikroORM 6's schema diff does not understand exclusion constraints. ----
    // Half-open ranges are stored as daterange columns generated from the dates, so the constraints
    // and the range queries use the same value the API reads.
    

    this.addSql(`alter table "constellation_membership" add column "period" daterange generated always as (daterange("joined_on", "left_on", '[)')) stored;`);
    this.addSql(`alter table "constellation_membership" add constraint "membership_dates_rule" check ("left_on" is null or "left_on" > "joined_on");`);
    // A household is in at most one constellation on any date, as hub or satellite.
    this.addSql(`alter table "constellation_membership" add constraint "membership_household_no_overlap" exclude using gist ("household_id" with =, "period" with &&);`);
    // A constellation has at most one hub on any date.
    this.addSql(`alter table "constellation_membership" add constraint "membership_one_hub" exclude using gist ("constellation_id" with =, "period" with &&) where ("role" = 'HUB');`);

    this.addSql(`alter table "placement" add column "period" daterange generated always as (daterange("start_date", "end_date", '[)')) stored;`);
    this.addSql(`alter table "placement" add constraint "placement_dates_rule" check ("end_date" is null or "end_date" > "start_date");`);
    this.addSql(`alter table "placement" add constraint "placement_ending_rule" check (("end_date" is null) = ("end_reason" is null) and ("end_date" is null) = ("unplanned" is null));`);
    this.addSql(`alter table "placement" add constraint "placement_setting_rule" check (("setting" = 'FOSTER_HOUSEHOLD') = ("household_id" is not null));`);
    // A child's placements never overlap.
    this.addSql(`alter table "placement" add constraint "placement_child_no_overlap" exclude using gist ("child_id" with =, "period" with &&);`);
    this.addSql(`create index "placement_household_period_idx" on "placement" using gist ("household_id", "period");`);

    this.addSql(`alter table "household" add constraint "household_approval_rule" check ((("approval_min_age" is null) = ("approval_max_age" is null)) and (("approval_min_age" is null) = ("approval_max_children" is null)) and (("approval_min_age" is null) = ("approval_kinds" is null)) and ("approval_min_age" is null or ("approval_min_age" >= 0 and "approval_max_age" >= "approval_min_age" and "approval_max_age" <= 25 and "approval_max_children" between 1 and 20)));`);
    this.addSql(`alter table "constellation" add constraint "constellation_beds_rule" check ("sleepover_beds" between 1 and 10);`);
    this.addSql(`alter table "hub_bed" add constraint "hub_bed_range_rule" check ("bed" >= 1);`);
    this.addSql(`alter table "child_sibling" add constraint "child_sibling_not_self" check ("child_id" <> "sibling_id");`);

    // The audit trail is append-only. Roles alone do not stop a superuser connection, a trigger does.
    this.addSql(`create or replace function audit_event_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_event is append-only' using errcode = 'HN001'; end $$;`);
    this.addSql(`create trigger audit_event_no_update before update or delete on "audit_event" for each row execute function audit_event_append_only();`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on "audit_event" for each statement execute function audit_event_append_only();`);
    this.addSql(`create index "audit_event_org_at_idx" on "audit_event" ("organisation_id", "at" desc, "id" desc);`);
  }
}
