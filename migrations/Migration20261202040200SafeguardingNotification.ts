import { Migration } from '@mikro-orm/migrations';

const BEFORE = `'EMERGENCY_SLEEPOVER_REQUESTED', 'SLEEPOVER_REQUESTED', 'SLEEPOVER_CONFIRMED', 'SLEEPOVER_DECLINED', 'SLEEPOVER_CANCELLED', 'SESSION_SCHEDULED', 'SESSION_UPDATED', 'SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'SLEEPOVER_REMINDER', 'SESSION_REMINDER', 'REQUESTS_DIGEST'`;
const AFTER = `${BEFORE}, 'SAFEGUARDING_CONCERN'`;

/** A notification kind of its own for safeguarding concerns recorded in the support log. */
export class Migration20261202040200SafeguardingNotification extends Migration {
  override async up(): Promise<void> {
    for (const table of ['notification', 'notification_preference']) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_kind_check";`);
      this.addSql(`alter table "${table}" add constraint "${table}_kind_check" check ("kind" in (${AFTER}));`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "notification_preference" where "kind" = 'SAFEGUARDING_CONCERN';`);
    for (const table of ['notification', 'notification_preference']) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_kind_check";`);
      this.addSql(`alter table "${table}" add constraint "${table}_kind_check" check ("kind" in (${BEFORE}));`);
    }
  }
}
