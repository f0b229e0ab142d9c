import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications: the outbox (notification + one delivery row per channel, written in the same
 * transaction as the change), per-kind channel preferences, and browsers' push subscriptions.
 * The job queue that delivers them (pg-boss) keeps its own schema, installed by pg-boss at start.
 */
export class Migration20261125000400Notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "push_subscription" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "organisation_id" uuid not null, "endpoint" text not null, "p256dh" text not null, "auth" text not null, "created_at" timestamptz not null default now(), constraint "push_subscription_pkey" primary key ("id"));`);
    this.addSql(`create index "push_subscription_user_id_index" on "push_subscription" ("user_id");`);
    this.addSql(`alter table "push_subscription" add constraint "push_subscription_endpoint_unique" unique ("endpoint");`);
    this.addSql(`create table "notification_preference" ("user_id" uuid not null, "kind" text check ("kind" in ('EMERGENCY_SLEEPOVER_REQUESTED', 'SLEEPOVER_REQUESTED', 'SLEEPOVER_CONFIRMED', 'SLEEPOVER_DECLINED', 'SLEEPOVER_CANCELLED', 'SESSION_SCHEDULED', 'SESSION_UPDATED', 'SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'SLEEPOVER_REMINDER', 'SESSION_REMINDER', 'REQUESTS_DIGEST')) not null, "email" boolean not null, "push" boolean not null, "updated_at" timestamptz not null default now(), constraint "notification_preference_pkey" primary key ("user_id", "kind"));`);
    this.addSql(`create table "notification" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "recipient_id" uuid not null, "kind" text check ("kind" in ('EMERGENCY_SLEEPOVER_REQUESTED', 'SLEEPOVER_REQUESTED', 'SLEEPOVER_CONFIRMED', 'SLEEPOVER_DECLINED', 'SLEEPOVER_CANCELLED', 'SESSION_SCHEDULED', 'SESSION_UPDATED', 'SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'SLEEPOVER_REMINDER', 'SESSION_REMINDER', 'REQUESTS_DIGEST')) not null, "title" text not null, "body_text" text not null, "body_html" text not null, "subject_type" text null, "subject_id" uuid null, "dedupe_key" text null, "created_at" timestamptz not null default now(), "read_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`alter table "notification" add constraint "notification_recipient_id_dedupe_key_unique" unique ("recipient_id", "dedupe_key");`);
    this.addSql(`create table "notification_delivery" ("id" uuid not null default gen_random_uuid(), "notification_id" uuid not null, "organisation_id" uuid not null, "recipient_id" uuid not null, "channel" text check ("channel" in ('EMAIL', 'PUSH')) not null, "status" text check ("status" in ('PENDING', 'SENDING', 'RETRYING', 'SENT', 'DEAD', 'SKIPPED')) not null default 'PENDING', "attempts" smallint not null default 0, "last_error" text null, "batch_key" text null, "batch_id" uuid not null, "deliver_after" timestamptz not null default now(), "locked_until" timestamptz null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "notification_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_delivery_recipient_id_index" on "notification_delivery" ("recipient_id");`);
    this.addSql(`create index "notification_delivery_batch_id_index" on "notification_delivery" ("batch_id");`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_notification_id_channel_unique" unique ("notification_id", "channel");`);
    this.addSql(`alter table "push_subscription" add constraint "push_subscription_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "push_subscription" add constraint "push_subscription_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "notification_preference" add constraint "notification_preference_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_recipient_id_foreign" foreign key ("recipient_id") references "app_user" ("id") on update cascade;`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_notification_id_foreign" foreign key ("notification_id") references "notification" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_recipient_id_foreign" foreign key ("recipient_id") references "app_user" ("id") on update cascade;`);

    // ---- Hand-written ----
    // A user's notifications, newest first (keyset pagination), and the unread ones.
    this.addSql(`create index "notification_recipient_created_idx" on "notification" ("recipient_id", "created_at" desc, "id" desc);`);
    this.addSql(`create index "notification_unread_idx" on "notification" ("recipient_id") where "read_at" is null;`);
    this.addSql(`alter table "notification" add constraint "notification_subject_rule" check (("subject_type" is null) = ("subject_id" is null));`);
    // An open batch is found by (recipient, channel, key) while its rows are still PENDING.
    this.addSql(`create index "notification_delivery_open_batch_idx" on "notification_delivery" ("recipient_id", "channel", "batch_key") where "status" = 'PENDING' and "batch_key" is not null;`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_sent_rule" check (("status" = 'SENT') = ("delivered_at" is not null));`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_attempts_rule" check ("attempts" >= 0);`);
  }
}
