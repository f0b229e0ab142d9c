import { Migration } from '@mikro-orm/migrations';

const KINDS_BEFORE = `'EMERGENCY_SLEEPOVER_REQUESTED', 'SLEEPOVER_REQUESTED', 'SLEEPOVER_CONFIRMED', 'SLEEPOVER_DECLINED', 'SLEEPOVER_CANCELLED', 'SESSION_SCHEDULED', 'SESSION_UPDATED', 'SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'SLEEPOVER_REMINDER', 'SESSION_REMINDER', 'REQUESTS_DIGEST'`;
const KINDS_AFTER = `${KINDS_BEFORE}, 'HUB_BOOKING_REQUESTED', 'HUB_BOOKING_CONFIRMED', 'HUB_BOOKING_DECLINED', 'HUB_BOOKING_CANCELLED', 'HUB_BOOKING_REMINDER'`;

/** The hub home as a venue: its rules for daytime use, its bookings and their children, and the notifications about them. */
export class Migration20261202030100HubVenue extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "hub_venue" ("constellation_id" uuid not null, "household_id" uuid not null, "organisation_id" uuid not null, "family_time_allowed" boolean not null default false, "opens_at" text not null, "closes_at" text not null, "updated_by_id" uuid null, "updated_at" timestamptz not null default now(), constraint "hub_venue_pkey" primary key ("constellation_id", "household_id"));`);
    this.addSql(`create table "hub_booking" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "constellation_id" uuid not null, "purpose" text check ("purpose" in ('FAMILY_TIME', 'SIBLING_CONTACT', 'DAY_CARE', 'MEETING', 'OTHER')) not null, "status" text check ("status" in ('REQUESTED', 'CONFIRMED', 'DECLINED', 'CANCELLED')) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "london_day" date not null, "supervisor" text null, "requested_by_id" uuid null, "notes" text null, "decision_reason" text null, "outcome" text check ("outcome" in ('TOOK_PLACE', 'CUT_SHORT', 'FAMILY_DID_NOT_ATTEND', 'CHILD_DID_NOT_ATTEND', 'CANCELLED_ON_THE_DAY')) null, "outcome_notes" text null, "outcome_recorded_by_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "hub_booking_pkey" primary key ("id"));`);
    this.addSql(`create table "hub_booking_child" ("booking_id" uuid not null, "child_id" uuid not null, "organisation_id" uuid not null, constraint "hub_booking_child_pkey" primary key ("booking_id", "child_id"));`);
    this.addSql(`create index "hub_booking_child_child_id_index" on "hub_booking_child" ("child_id");`);
    this.addSql(`alter table "hub_venue" add constraint "hub_venue_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_venue" add constraint "hub_venue_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "hub_venue" add constraint "hub_venue_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_venue" add constraint "hub_venue_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_outcome_recorded_by_id_foreign" foreign key ("outcome_recorded_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "hub_booking_child" add constraint "hub_booking_child_booking_id_foreign" foreign key ("booking_id") references "hub_booking" ("id") on update cascade;`);
    this.addSql(`alter table "hub_booking_child" add constraint "hub_booking_child_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade;`);
    this.addSql(`alter table "hub_booking_child" add constraint "hub_booking_child_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "notification_preference" drop constraint if exists "notification_preference_kind_check";`);
    this.addSql(`alter table "notification_preference" add constraint "notification_preference_kind_check" check ("kind" in (${KINDS_AFTER}));`);
    this.addSql(`alter table "notification" drop constraint if exists "notification_kind_check";`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in (${KINDS_AFTER}));`);

    // ---- Hand-written (MikroORM 6's diff cannot express these). ----
    // Opening hours are "HH:MM" (London wall clock), so text order is time order.
    this.addSql(`alter table "hub_venue" add constraint "hub_venue_hours_rule" check ("opens_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "closes_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "opens_at" < "closes_at");`);
    this.addSql(`alter table "hub_booking" add column "period" tstzrange generated always as (tstzrange("starts_at", "ends_at", '[)')) stored;`);
    // A booking lies within one London day, and london_day is that day.
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_times_rule" check ("ends_at" > "starts_at" and "london_day" = ("starts_at" at time zone 'Europe/London')::date and "ends_at" <= (("london_day" + 1)::timestamp at time zone 'Europe/London'));`);
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_supervisor_rule" check ("purpose" <> 'FAMILY_TIME' or "supervisor" is not null);`);
    // One venue: confirmed bookings of a hub never share a moment, under any race or number of replicas.
    this.addSql(`alter table "hub_booking" add constraint "hub_booking_no_overlap" exclude using gist ("constellation_id" with =, "period" with &&) where ("status" = 'CONFIRMED');`);
    this.addSql(`create index "hub_booking_constellation_starts_idx" on "hub_booking" ("constellation_id", "starts_at", "id");`);
    this.addSql(`create index "hub_booking_org_day_idx" on "hub_booking" ("organisation_id", "london_day");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "hub_booking_child" cascade;`);
    this.addSql(`drop table if exists "hub_booking" cascade;`);
    this.addSql(`drop table if exists "hub_venue" cascade;`);
    this.addSql(`delete from "notification_preference" where "kind" like 'HUB_BOOKING_%';`);
    this.addSql(`delete from "notification" where "kind" like 'HUB_BOOKING_%';`);
    this.addSql(`alter table "notification_preference" drop constraint if exists "notification_preference_kind_check";`);
    this.addSql(`alter table "notification_preference" add constraint "notification_preference_kind_check" check ("kind" in (${KINDS_BEFORE}));`);
    this.addSql(`alter table "notification" drop constraint if exists "notification_kind_check";`);
    this.addSql(`alter table "notification" add constraint "notification_kind_check" check ("kind" in (${KINDS_BEFORE}));`);
  }
}
