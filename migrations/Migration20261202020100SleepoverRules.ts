import { Migration } from '@mikro-orm/migrations';

/**
 * The hub home's law and practice: sleepover consents (a history per child), exemptions from the
 * fostering limit with the children they name, the hub's bedrooms, and two sleepover flags (written
 * up afterwards; a manager's override of the hub's approval). Every existing hub gets one room
 * holding its beds, which is what a hub without rooms meant until now.
 */
export class Migration20261202020100SleepoverRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "sleepover_consent" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "child_id" uuid not null, "given_by" text not null, "given_on" date not null, "expires_on" date null, "conditions" text null, "room_sharing" text check ("room_sharing" in ('OWN_ROOM', 'SIBLINGS', 'OTHER_CHILDREN')) not null, "not_with_ids" text[] not null default '{}', "withdrawn_on" date null, "withdrawal_reason" text null, "recorded_by_id" uuid null, "recorded_at" timestamptz not null default now(), constraint "sleepover_consent_pkey" primary key ("id"));`);
    this.addSql(`create table "fostering_limit_exemption" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "household_id" uuid not null, "from_date" date not null, "to_date" date not null, "max_children" smallint not null, "granted_by_authority" text not null, "conditions" text null, "reason" text not null, "granted_by_id" uuid null, "ended_on" date null, "end_reason" text null, "created_at" timestamptz not null default now(), constraint "fostering_limit_exemption_pkey" primary key ("id"));`);
    this.addSql(`create index "fostering_limit_exemption_household_id_index" on "fostering_limit_exemption" ("household_id");`);
    this.addSql(`create table "fostering_limit_exemption_child" ("exemption_id" uuid not null, "child_id" uuid not null, "organisation_id" uuid not null, constraint "fostering_limit_exemption_child_pkey" primary key ("exemption_id", "child_id"));`);
    this.addSql(`create index "fostering_limit_exemption_child_child_id_index" on "fostering_limit_exemption_child" ("child_id");`);
    this.addSql(`create table "hub_room" ("constellation_id" uuid not null, "position" smallint not null, "organisation_id" uuid not null, "name" text not null, "beds" smallint not null, constraint "hub_room_pkey" primary key ("constellation_id", "position"));`);
    this.addSql(`alter table "sleepover_consent" add constraint "sleepover_consent_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover_consent" add constraint "sleepover_consent_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover_consent" add constraint "sleepover_consent_recorded_by_id_foreign" foreign key ("recorded_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "fostering_limit_exemption" add constraint "fostering_limit_exemption_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "fostering_limit_exemption" add constraint "fostering_limit_exemption_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "fostering_limit_exemption" add constraint "fostering_limit_exemption_granted_by_id_foreign" foreign key ("granted_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "fostering_limit_exemption_child" add constraint "fostering_limit_exemption_child_exemption_id_foreign" foreign key ("exemption_id") references "fostering_limit_exemption" ("id") on update cascade;`);
    this.addSql(`alter table "fostering_limit_exemption_child" add constraint "fostering_limit_exemption_child_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "fostering_limit_exemption_child" add constraint "fostering_limit_exemption_child_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_room" add constraint "hub_room_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_room" add constraint "hub_room_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "sleepover" add column "recorded_afterwards" boolean not null default false, add column "approval_override_reason" text null;`);

    // ---- Hand-written. ----
    this.addSql(`alter table "sleepover_consent" add constraint "sleepover_consent_expiry_rule" check ("expires_on" is null or "expires_on" > "given_on");`);
    this.addSql(`alter table "sleepover_consent" add constraint "sleepover_consent_withdrawal_rule" check (("withdrawn_on" is null) = ("withdrawal_reason" is null) and ("withdrawn_on" is null or "withdrawn_on" >= "given_on"));`);
    // The history of one child, newest first: what every night check and Child.sleepoverConsents read.
    this.addSql(`create index "sleepover_consent_child_idx" on "sleepover_consent" ("child_id", "given_on" desc, "recorded_at" desc);`);
    this.addSql(`alter table "fostering_limit_exemption" add constraint "fostering_limit_exemption_nights_rule" check ("to_date" > "from_date" and ("ended_on" is null or ("ended_on" >= "from_date" and "ended_on" < "to_date")));`);
    this.addSql(`alter table "fostering_limit_exemption" add constraint "fostering_limit_exemption_children_rule" check ("max_children" between 1 and 20);`);
    this.addSql(`alter table "hub_room" add constraint "hub_room_beds_rule" check ("beds" >= 1 and "position" >= 1);`);
    this.addSql(`insert into "hub_room" ("constellation_id", "position", "organisation_id", "name", "beds") select "id", 1, "organisation_id", 'Bedroom', "sleepover_beds" from "constellation";`);
  }
}
