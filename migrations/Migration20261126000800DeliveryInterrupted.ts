import { Migration } from '@mikro-orm/migrations';

/**
 * A notification delivery cut off mid-send (its worker died; the message may or may not have left)
 * gets a status of its own, INTERRUPTED, rather than DEAD with a telling error text: the database
 * holds the state, and a send that does finish after all can be recorded SENT by status alone.
 */
export class Migration20261126000800DeliveryInterrupted extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notification_delivery" drop constraint if exists "notification_delivery_status_check";`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_status_check" check ("status" in ('PENDING', 'SENDING', 'RETRYING', 'SENT', 'DEAD', 'INTERRUPTED', 'SKIPPED'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "notification_delivery" set "status" = 'DEAD' where "status" = 'INTERRUPTED';`);
    this.addSql(`alter table "notification_delivery" drop constraint if exists "notification_delivery_status_check";`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_status_check" check ("status" in ('PENDING', 'SENDING', 'RETRYING', 'SENT', 'DEAD', 'SKIPPED'));`);
  }
}
