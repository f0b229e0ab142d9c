import { Migration } from '@mikro-orm/migrations';

/**
 * What a child needs from carers and what a household's carers can offer, for matching; and the
 * bedrooms a household has for fostered children. Needs are special category data: they live in a
 * table of their own, read by staff only, and leave with the child (on delete cascade).
 */
export class Migration20261202050100NeedsSkills extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "child_need" ("child_id" uuid not null, "position" smallint not null, "organisation_id" uuid not null, "area" text check ("area" in ('DISABILITY', 'MEDICAL', 'BEHAVIOUR', 'EDUCATION', 'LANGUAGE', 'RELIGION_AND_CULTURE', 'EMOTIONAL_WELLBEING', 'EXPLOITATION_RISK', 'OTHER')) not null, "detail" text null, "essential" boolean not null default false, constraint "child_need_pkey" primary key ("child_id", "position"));`);
    this.addSql(`create table "household_skill" ("household_id" uuid not null, "position" smallint not null, "organisation_id" uuid not null, "area" text check ("area" in ('DISABILITY', 'MEDICAL', 'BEHAVIOUR', 'EDUCATION', 'LANGUAGE', 'RELIGION_AND_CULTURE', 'EMOTIONAL_WELLBEING', 'EXPLOITATION_RISK', 'OTHER')) not null, "detail" text null, constraint "household_skill_pkey" primary key ("household_id", "position"));`);
    this.addSql(`alter table "child_need" add constraint "child_need_child_id_foreign" foreign key ("child_id") references "child" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "child_need" add constraint "child_need_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "household_skill" add constraint "household_skill_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "household_skill" add constraint "household_skill_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "household" add column "bedrooms" smallint null;`);
    // The same bounds the service checks, held where no other writer can skip them.
    this.addSql(`alter table "household" add constraint "household_bedrooms_rule" check ("bedrooms" is null or "bedrooms" between 0 and 20);`);
    this.addSql(`alter table "child_need" add constraint "child_need_detail_rule" check (length("detail") <= 200);`);
    this.addSql(`alter table "household_skill" add constraint "household_skill_detail_rule" check (length("detail") <= 200);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "household" drop constraint if exists "household_bedrooms_rule";`);
    this.addSql(`alter table "household" drop column if exists "bedrooms";`);
    this.addSql(`drop table if exists "household_skill";`);
    this.addSql(`drop table if exists "child_need";`);
  }
}
