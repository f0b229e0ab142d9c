import { Migration } from '@mikro-orm/migrations';

/** Peer support sessions, their RSVPs and waitlists, and private calendar feeds. */
export class Migration20261125000400Sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "peer_support_session" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "constellation_id" uuid not null, "kind" text check ("kind" in ('CONSTELLATION_MEETING', 'SUPPORT_GROUP', 'TRAINING', 'SOCIAL_ACTIVITY', 'CHILDREN_ACTIVITY')) not null, "title" text not null, "description" text null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "location" text null, "capacity" int null, "status" text check ("status" in ('SCHEDULED', 'CANCELLED')) not null, "series_id" uuid null, "going_count" int not null default 0, "waitlist_count" int not null default 0, "waitlist_tickets" int not null default 0, "revision" int not null default 0, "cancel_reason" text null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "peer_support_session_pkey" primary key ("id"));`);
    this.addSql(`create index "peer_support_session_organisation_id_index" on "peer_support_session" ("organisation_id");`);
    this.addSql(`create index "peer_support_session_series_id_index" on "peer_support_session" ("series_id");`);
    this.addSql(`create index "peer_support_session_constellation_id_starts_at_index" on "peer_support_session" ("constellation_id", "starts_at");`);
    this.addSql(`create table "session_rsvp" ("session_id" uuid not null, "carer_id" uuid not null, "organisation_id" uuid not null, "status" text check ("status" in ('GOING', 'WAITLISTED', 'NOT_GOING', 'ATTENDED', 'NO_SHOW')) not null, "child_count" smallint not null default 0, "waitlist_ticket" int null, "responded_at" timestamptz not null default now(), constraint "session_rsvp_pkey" primary key ("session_id", "carer_id"));`);
    this.addSql(`create index "session_rsvp_carer_id_index" on "session_rsvp" ("carer_id");`);
    this.addSql(`create table "calendar_feed" ("user_id" uuid not null, "organisation_id" uuid not null, "token_hash" text not null, "created_at" timestamptz not null default now(), constraint "calendar_feed_pkey" primary key ("user_id"));`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "peer_support_session" add constraint "peer_support_session_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "peer_support_session" add constraint "peer_support_session_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "peer_support_session" add constraint "peer_support_session_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "session_rsvp" add constraint "session_rsvp_session_id_foreign" foreign key ("session_id") references "peer_support_session" ("id") on update cascade;`);
    this.addSql(`alter table "session_rsvp" add constraint "session_rsvp_carer_id_foreign" foreign key ("carer_id") references "carer" ("id") on update cascade;`);
    this.addSql(`alter table "session_rsvp" add constraint "session_rsvp_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);

    // ---- Hand-written (MikroORM 6's diff cannot express these). ----
    this.addSql(`alter table "peer_support_session" add constraint "peer_support_session_times_rule" check ("ends_at" > "starts_at");`);
    this.addSql(`alter table "peer_support_session" add constraint "peer_support_session_capacity_rule" check ("capacity" is null or "capacity" >= 1);`);
    // The GOING count never exceeds capacity, however writers interleave: the counts are kept by
    // the trigger below in the same statement as the RSVP change, and this check refuses the row.
    this.addSql(`alter table "peer_support_session" add constraint "peer_support_session_going_rule" check ("going_count" >= 0 and "waitlist_count" >= 0 and ("capacity" is null or "going_count" <= "capacity"));`);
    this.addSql(`alter table "session_rsvp" add constraint "session_rsvp_waitlist_rule" check (("status" = 'WAITLISTED') = ("waitlist_ticket" is not null));`);
    this.addSql(`alter table "session_rsvp" add constraint "session_rsvp_children_rule" check ("child_count" between 0 and 20);`);
    // One ticket per place in the queue.
    this.addSql(`create unique index "session_rsvp_waitlist_idx" on "session_rsvp" ("session_id", "waitlist_ticket") where "waitlist_ticket" is not null;`);
    this.addSql(`create or replace function session_rsvp_counts() returns trigger language plpgsql as $$
      declare
        d_going int := 0;
        d_waiting int := 0;
      begin
        if tg_op = 'UPDATE' and new.session_id <> old.session_id then
          raise exception 'an RSVP cannot move to another session' using errcode = 'HN002';
        end if;
        if tg_op in ('UPDATE', 'DELETE') then
          if old.status = 'GOING' then d_going := d_going - 1; end if;
          if old.status = 'WAITLISTED' then d_waiting := d_waiting - 1; end if;
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          if new.status = 'GOING' then d_going := d_going + 1; end if;
          if new.status = 'WAITLISTED' then d_waiting := d_waiting + 1; end if;
        end if;
        if d_going <> 0 or d_waiting <> 0 then
          update peer_support_session set going_count = going_count + d_going, waitlist_count = waitlist_count + d_waiting
           where id = case when tg_op = 'DELETE' then old.session_id else new.session_id end;
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger session_rsvp_counts after insert or update or delete on "session_rsvp" for each row execute function session_rsvp_counts();`);
  }
}
