import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the hub carer's dashboard (issue "Performance"), each shown necessary by
 * `npm run bench:profile` (EXPLAIN ANALYZE on the national data set).
 */
export class Migration20261126000700HubScreenIndexes extends Migration {
  override async up(): Promise<void> {
    // A constellation's sleepovers of some statuses in list order (requests waiting, upcoming):
    // without it every sleepover in the hub's history is read and sorted (1.7 ms, 270 buffers for
    // 6 waiting requests); with it the first page is read in order.
    this.addSql(`create index "sleepover_constellation_status_start_idx" on "sleepover" ("constellation_id", "status", "start_date");`);
    // "Members of this constellation on this date", in every scope check of a hub carer's or
    // liaison worker's screen: one index scan, where a prepared statement's generic plan otherwise
    // intersects the constellation's rows with every current membership in the country (1.9 ms).
    this.addSql(`create index "membership_constellation_period_idx" on "constellation_membership" using gist ("constellation_id", "period");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "sleepover_constellation_status_start_idx";`);
    this.addSql(`drop index if exists "membership_constellation_period_idx";`);
  }
}
