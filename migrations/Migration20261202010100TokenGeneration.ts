import { Migration } from '@mikro-orm/migrations';

/**
 * Bearer tokens carry the generation of their user's credentials; a token of an earlier
 * generation is refused. The trigger moves the generation whenever the password hash changes,
 * whoever changes it (the user, an administrator, the command line), so no path that sets a
 * password can forget to end the tokens issued before it.
 */
export class Migration20261202010100TokenGeneration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user" add column "token_generation" integer not null default 0;`);
    this.addSql(`alter table "app_user" add constraint "app_user_token_generation_rule" check ("token_generation" >= 0);`);
    this.addSql(`create or replace function app_user_next_token_generation() returns trigger language plpgsql as $$
begin
  if new.password_hash is distinct from old.password_hash then
    new.token_generation := old.token_generation + 1;
  end if;
  return new;
end $$;`);
    this.addSql(`create trigger app_user_token_generation before update of password_hash on "app_user"
  for each row execute function app_user_next_token_generation();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists app_user_token_generation on "app_user";`);
    this.addSql(`drop function if exists app_user_next_token_generation();`);
    this.addSql(`alter table "app_user" drop column if exists "token_generation";`);
  }
}
