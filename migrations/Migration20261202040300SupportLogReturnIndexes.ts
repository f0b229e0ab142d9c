import { Migration } from '@mikro-orm/migrations';

/**
 * What the return reads of the support log: the corrected versions of a set of constellations
 * (few, so they are gathered once and anti-joined by hash) and their at-risk entries over the
 * whole history (the episodes walk from the beginning; a small share of the log).
 */
export class Migration20261202040300SupportLogReturnIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "support_log_entry_amended_idx" on "support_log_entry" ("constellation_id", "amends_id") where "amends_id" is not null;`);
    this.addSql(`create index "support_log_entry_at_risk_idx" on "support_log_entry" ("constellation_id", "at") where "placement_at_risk";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "support_log_entry_at_risk_idx";`);
    this.addSql(`drop index if exists "support_log_entry_amended_idx";`);
  }
}
