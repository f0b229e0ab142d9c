import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the stability report (src/stability), each one shown necessary by EXPLAIN on the
 * national data set (scripts/seed-national.ts, scripts/bench-stability.ts).
 */
export class Migration20261125000500StabilityIndexes extends Migration {
  override async up(): Promise<void> {
    // Sleepover nights across an organisation: without it the children of ~2,000 sleepovers are
    // fetched one primary-key probe at a time (or by a parallel sequential scan); with it both
    // sides are read by index and hash-joined.
    this.addSql(`create index "sleepover_child_org_nights_idx" on "sleepover_child" using gist ("organisation_id", "nights");`);
  }
}
