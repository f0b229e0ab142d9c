import { Migration } from '@mikro-orm/migrations';

/**
 * The support log: an append-only record of support given to satellite households. Corrections
 * are new rows that amend the version before; the database keeps each chain one line (a version
 * is amended at most once), works out the chain's root and its "ever safeguarding" flag from the
 * version amended (so no writer can get them wrong), and refuses UPDATE, DELETE and TRUNCATE.
 */
export class Migration20261202040100SupportLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "support_log_entry" ("id" uuid not null default gen_random_uuid(), "organisation_id" uuid not null, "constellation_id" uuid not null, "household_id" uuid not null, "child_id" uuid null, "at" timestamptz not null, "channel" text check ("channel" in ('PHONE_OR_MESSAGE', 'VISIT', 'AT_THE_HUB')) not null, "out_of_hours" boolean not null, "topics" text[] not null, "summary" text not null, "action" text null, "follow_up_on" date null, "placement_at_risk" boolean not null, "would_have_ended" boolean not null, "would_have_resigned" boolean not null, "safeguarding" boolean not null, "chain_safeguarding" boolean not null, "escalated_to" text null, "escalated_at" timestamptz null, "amends_id" uuid null, "root_id" uuid not null, "recorded_in_error" boolean not null default false, "recorded_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "support_log_entry_pkey" primary key ("id"));`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_amends_id_unique" unique ("amends_id");`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_constellation_id_foreign" foreign key ("constellation_id") references "constellation" ("id") on update cascade;`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_amends_id_foreign" foreign key ("amends_id") references "support_log_entry" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_recorded_by_id_foreign" foreign key ("recorded_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    // ---- Hand-written (MikroORM 6's diff cannot express these). ----
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_escalation_rule" check (not "safeguarding" or ("escalated_to" is not null and "escalated_at" is not null));`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_withdrawal_rule" check (not "recorded_in_error" or "amends_id" is not null);`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_topics_rule" check (cardinality("topics") >= 1);`);
    this.addSql(`alter table "support_log_entry" add constraint "support_log_entry_chain_rule" check ("chain_safeguarding" or not "safeguarding");`);
    // Lists: a constellation's or a household's entries newest first; returns: an organisation's by time.
    this.addSql(`create index "support_log_entry_constellation_at_idx" on "support_log_entry" ("constellation_id", "at" desc, "id" desc);`);
    this.addSql(`create index "support_log_entry_household_at_idx" on "support_log_entry" ("household_id", "at" desc, "id" desc);`);
    this.addSql(`create index "support_log_entry_org_at_idx" on "support_log_entry" ("organisation_id", "at");`);
    // A version's chain, to judge it by the chain's latest version.
    this.addSql(`create index "support_log_entry_root_idx" on "support_log_entry" ("root_id");`);
    this.addSql(`create index "support_log_entry_follow_up_idx" on "support_log_entry" ("constellation_id", "follow_up_on") where "follow_up_on" is not null;`);

    // A correction takes its chain from the version it amends, in the same constellation.
    this.addSql(`create or replace function support_log_entry_chain() returns trigger language plpgsql as $$
      declare
        prev record;
      begin
        if new.amends_id is null then
          new.root_id := new.id;
          new.chain_safeguarding := new.safeguarding;
          return new;
        end if;
        select root_id, chain_safeguarding, constellation_id, organisation_id into prev
          from support_log_entry where id = new.amends_id;
        if prev.constellation_id is distinct from new.constellation_id or prev.organisation_id is distinct from new.organisation_id then
          raise exception 'a correction stays in the constellation of the entry it amends' using errcode = 'HN002';
        end if;
        new.root_id := prev.root_id;
        new.chain_safeguarding := prev.chain_safeguarding or new.safeguarding;
        return new;
      end $$;`);
    this.addSql(`create trigger support_log_entry_chain before insert on "support_log_entry" for each row execute function support_log_entry_chain();`);
    // Append-only, whoever connects (roles alone do not stop a superuser connection).
    this.addSql(`create or replace function support_log_entry_append_only() returns trigger language plpgsql as $$ begin raise exception 'support_log_entry is append-only: record a correction instead' using errcode = 'HN001'; end $$;`);
    this.addSql(`create trigger support_log_entry_no_update before update or delete on "support_log_entry" for each row execute function support_log_entry_append_only();`);
    this.addSql(`create trigger support_log_entry_no_truncate before truncate on "support_log_entry" for each statement execute function support_log_entry_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support_log_entry" cascade;`);
    this.addSql(`drop function if exists support_log_entry_append_only();`);
    this.addSql(`drop function if exists support_log_entry_chain();`);
  }
}
