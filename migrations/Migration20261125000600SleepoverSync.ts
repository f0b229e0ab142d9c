import { Migration } from '@mikro-orm/migrations';

/**
 * A sleepover's children follow its status and dates in the database: `sleepover_child.active`
 * and its nights are what `sleepover_child_no_overlap` judges, so they are copied from the
 * sleepover on insert and kept in step on every change (declined, cancelled, cut short), whatever
 * the code does.
 */
export class Migration20261125000600SleepoverSync extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function sleepover_child_from_sleepover() returns trigger language plpgsql as $$
      begin
        select s.status in ('REQUESTED', 'CONFIRMED'), s.start_date, s.end_date into new.active, new.start_date, new.end_date
          from sleepover s where s.id = new.sleepover_id;
        return new;
      end $$;`);
    this.addSql(`create trigger sleepover_child_from_sleepover before insert or update of active, start_date, end_date on "sleepover_child"
      for each row execute function sleepover_child_from_sleepover();`);
    this.addSql(`create or replace function sleepover_sync_children() returns trigger language plpgsql as $$
      begin
        update sleepover_child set active = new.status in ('REQUESTED', 'CONFIRMED'), start_date = new.start_date, end_date = new.end_date
         where sleepover_id = new.id;
        return null;
      end $$;`);
    this.addSql(`create trigger sleepover_sync_children after update of status, start_date, end_date on "sleepover"
      for each row when (old.status is distinct from new.status or old.start_date is distinct from new.start_date or old.end_date is distinct from new.end_date)
      execute function sleepover_sync_children();`);
  }
}
