import { Migration } from '@mikro-orm/migrations';

/**
 * A notification kind of its own for safeguarding concerns recorded in the support log. The kind
 * is added to whatever the check constraints allow when this runs (other capabilities add kinds of
 * their own in their migrations), rather than rewriting them from a list that could leave theirs out.
 */
const ALTER = (add: boolean) => `do $$
  declare
    t text;
    def text;
  begin
    foreach t in array array['notification', 'notification_preference'] loop
      select pg_get_constraintdef(c.oid) into def from pg_constraint c
       where c.conname = t || '_kind_check' and c.conrelid = t::regclass;
      if def is null then
        raise exception 'no constraint %_kind_check', t;
      end if;
      ${
        add
          ? `if position('''SAFEGUARDING_CONCERN''' in def) = 0 then
        def := replace(def, '::text])', '::text, ''SAFEGUARDING_CONCERN''::text])');`
          : `if position('''SAFEGUARDING_CONCERN''' in def) > 0 then
        def := replace(def, ', ''SAFEGUARDING_CONCERN''::text', '');`
      }
        execute format('alter table %I drop constraint %I', t, t || '_kind_check');
        execute format('alter table %I add constraint %I %s', t, t || '_kind_check', def);
      end if;
    end loop;
  end $$;`;

export class Migration20261202040200SafeguardingNotification extends Migration {
  override async up(): Promise<void> {
    this.addSql(ALTER(true));
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "notification_preference" where "kind" = 'SAFEGUARDING_CONCERN';`);
    this.addSql(`delete from "notification" where "kind" = 'SAFEGUARDING_CONCERN';`);
    this.addSql(ALTER(false));
  }
}
